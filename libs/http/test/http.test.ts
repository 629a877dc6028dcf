import { ApolloServer } from '@apollo/server';
import { createLogger } from '@ap/logger';
import { unauthenticated } from '@ap/errors';
import { Readiness, RunningHttpService, startHttpService } from '../src';

describe('startHttpService', () => {
  let ready: boolean | Readiness = true;
  let svc: RunningHttpService;
  beforeAll(async () => {
    const apollo = new ApolloServer<{ who: string }>({
      typeDefs: 'input Note { summary: String } type Query { hello(name: String, input: Note): String }',
      resolvers: { Query: { hello: (_: unknown, __: unknown, ctx: { who: string }) => `hello ${ctx.who}` } },
    });
    svc = await startHttpService({
      name: 'test',
      apollo,
      logger: createLogger('test'),
      port: 0,
      maxBodyBytes: 2048,
      ready: async () => ready,
      context: async (req) => {
        if (req.headers.authorization !== 'Bearer ok') throw unauthenticated();
        return { who: 'caller' };
      },
    });
  });
  afterAll(() => svc.stop());

  const post = (body: unknown, auth = 'Bearer ok') =>
    fetch(svc.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });

  it('answers GraphQL with the context it built', async () => {
    const res = await post({ query: '{ hello }' });
    expect(await res.json()).toEqual({ data: { hello: 'hello caller' } });
  });

  it('answers 401 with UNAUTHENTICATED when the context refuses the caller', async () => {
    const res = await post({ query: '{ hello }' }, 'Bearer nope');
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses batches and oversized bodies with a clear message', async () => {
    const batch = await post([{ query: '{ hello }' }, { query: '{ hello }' }]);
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as any).errors[0].message).toMatch(/one operation per request/);
    const big = await post({ query: `{ hello } # ${'x'.repeat(4096)}` });
    expect(big.status).toBe(413);
  });

  it('reports health and readiness, with what a Readiness says', async () => {
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    ready = false;
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
    ready = { database: { status: 'up' }, kafka: { status: 'down', critical: false, detail: 'unavailable' } };
    const degraded = await fetch(`${svc.url}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded', service: 'test', checks: { database: { status: 'up' }, kafka: { status: 'down', detail: 'unavailable' } } });
    ready = true;
    expect((await fetch(`${svc.url}/nowhere`)).status).toBe(404);
  });

  it('serves metrics on their own port only, on the same host', async () => {
    expect((await fetch(`${svc.url}/metrics`)).status).toBe(404);
    const metricsUrl = new URL(svc.metricsUrl);
    expect(metricsUrl.hostname).toBe('127.0.0.1');
    expect(metricsUrl.port).not.toBe(String(svc.port));
    const metrics = await (await fetch(svc.metricsUrl)).text();
    expect(metrics).toMatch(/http_requests_total\{.*route="graphql".*\} \d+/);
    expect((await fetch(new URL('/graphql', metricsUrl))).status).toBe(404);
  });

  it('refuses a body that is not valid UTF-8 instead of storing U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"query":"{ hello }","variables":{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}}')]);
    const res = await fetch(svc.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ok' }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'The request body is not valid UTF-8: send JSON encoded as UTF-8.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it.each([
    ['a NUL in a variable', { query: '{ hello }', variables: { input: { name: 'a\u0000b' } } }, 'input.name', 'U+0000'],
    ['a bell in a list item', { query: '{ hello }', variables: { tags: ['ok', 'x\u0007'] } }, 'tags[1]', 'U+0007'],
    ['a lone surrogate', { query: '{ hello }', variables: { s: 'x\ud800' } }, 's', 'U+D800'],
    ['an escaped NUL in a literal', { query: '{ hello(name: "a\\u0000") }' }, 'name', 'U+0000'],
    ['a braced escape in a literal', { query: '{ hello(input: { summary: "a\\u{1}" }) }' }, 'summary', 'U+0001'],
    ['a raw NUL in the query', { query: '{ hello(name: "a\u0000") }' }, 'query', 'U+0000'],
    ['a NUL in the operation name', { query: '{ hello }', operationName: 'A\u0000' }, 'operationName', 'U+0000'],
  ])('refuses %s with BAD_USER_INPUT naming where', async (_, body, field, character) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as any).errors[0];
    expect(error).toEqual({
      message: `${field} contains the control character ${character}; remove it. Text may hold tabs and line breaks, but no other control characters.`,
      extensions: { code: 'BAD_USER_INPUT', field, problems: [{ field, message: error.message }] },
    });
  });

  it('lets tabs, line breaks and ordinary escapes through', async () => {
    const res = await post({ query: '{ hello } # "\\u0041"', variables: { summary: 'line one\r\nline\ttwo é 🙂' } });
    expect(await res.json()).toEqual({ data: { hello: 'hello caller' } });
  });

  it('checks a GET request the same way, and its percent-encoding', async () => {
    const get = (search: string) => fetch(`${svc.graphqlUrl}?${search}`, { headers: { authorization: 'Bearer ok', 'apollo-require-preflight': '1' } });
    const nul = await get(`query=${encodeURIComponent('{ hello }')}&variables=${encodeURIComponent('{"n":"a\\u0000"}')}`);
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'n' });
    const bad = await get(`query=${encodeURIComponent('{ hello }')}&x=%E9`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].message).toMatch(/not valid percent-encoded UTF-8/);
    expect(await (await get(`query=${encodeURIComponent('{ hello }')}`)).json()).toEqual({ data: { hello: 'hello caller' } });
  });

  it("answers with the trace's id: the caller's traceparent, else an x-trace-id that is a trace id, else a new one", async () => {
    const traced = async (headers: Record<string, string>) => (await fetch(`${svc.url}/healthz`, { headers })).headers.get('x-trace-id');
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(await traced({ traceparent: `00-${T}-00f067aa0ba902b7-01`, 'x-trace-id': 'a'.repeat(32) })).toBe(T);
    expect(await traced({ 'x-trace-id': T })).toBe(T);
    // A UUID (our trace ids before OpenTelemetry) is the same 128 bits.
    expect(await traced({ 'x-trace-id': '0f8fad5b-d9cb-469f-a165-70867728950e' })).toBe('0f8fad5bd9cb469fa16570867728950e');
    const replaced = await traced({ 'x-trace-id': 'trace id with spaces' });
    expect(replaced).toMatch(/^[0-9a-f]{32}$/);
    expect(await traced({ 'x-trace-id': 'trace id with spaces' })).not.toBe(replaced);
  });

  it('answers 405 with an allow header to methods other than GET and POST on /graphql', async () => {
    const res = await fetch(svc.graphqlUrl, { method: 'PUT', headers: { authorization: 'Bearer ok' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('body limits by operation (BODY_LIMITS)', () => {
  let svc: RunningHttpService;
  beforeAll(async () => {
    const apollo = new ApolloServer({
      typeDefs: 'input Mark { code: String } type Query { hello: String } type Mutation { push(marks: [Mark!]!): Int note(text: String): Int }',
      resolvers: { Query: { hello: () => 'hi' }, Mutation: { push: (_: unknown, a: { marks: unknown[] }) => a.marks.length, note: () => 1 } },
    });
    svc = await startHttpService({
      name: 'limits',
      apollo,
      logger: createLogger('test'),
      port: 0,
      bodyLimits: { default: 2048, byRootField: { 'Mutation.push': 8192 } },
      context: async () => ({}),
    });
  });
  afterAll(() => svc.stop());

  const post = (body: unknown) => fetch(svc.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const marks = (n: number) => Array.from({ length: n }, () => ({ code: '/' }));
  const PUSH = 'mutation($m: [Mark!]!) { push(marks: $m) }';

  it('lets the raised operation through above the default, up to its own allowance', async () => {
    const res = await post({ query: PUSH, variables: { m: marks(300) } }); // about 4.5 kB
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { push: 300 } });
    const tooBig = await post({ query: PUSH, variables: { m: marks(700) } }); // about 10 kB
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as any).errors[0].message).toMatch(/larger than 8192 bytes/);
  });

  it('keeps the default for every other operation, and for the raised one beside another field or under another name', async () => {
    const padding = 'x'.repeat(3000);
    for (const body of [
      { query: 'mutation($t: String) { note(text: $t) }', variables: { t: padding } },
      { query: 'mutation($m: [Mark!]!, $t: String) { push(marks: $m) note(text: $t) }', variables: { m: marks(10), t: padding } },
      { query: `mutation A($m: [Mark!]!) { push(marks: $m) } mutation B($t: String) { note(text: $t) }`, operationName: 'B', variables: { t: padding } },
      { query: '{ hello }', variables: { t: padding } },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(413);
      expect(((await res.json()) as any).errors[0].message).toMatch(/larger than 2048 bytes/);
    }
  });
});
