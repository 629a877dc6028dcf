import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { AddressInfo, createServer as createNetServer, Socket } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import pino from 'pino';
import { issueClientToken, issueInternalToken, Principal } from '@ap/auth';
import { INTERNAL_MESSAGE } from '@ap/errors';
import { createGateway, RunningGateway } from '../src';
import { startTestSubgraphs, TestSubgraph } from './subgraphs';

const admin: Principal = { userId: 'alice', role: 'LA_ADMIN', org: { type: 'la', id: '865' } };
const school: Principal = { userId: 'sam', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } };

let directory: TestSubgraph;
let referral: TestSubgraph;
let gateway: RunningGateway;
let adminToken: string;
let schoolToken: string;
const lines: Record<string, any>[] = [];

beforeAll(async () => {
  let supergraphSdl: string;
  ({ directory, referral, supergraphSdl } = await startTestSubgraphs());
  gateway = await createGateway({
    supergraphSdl,
    subgraphUrls: { directory: directory.url, referral: referral.url },
    port: 0,
    logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
    limits: { maxBodyBytes: 64 * 1024 },
  });
  adminToken = await issueClientToken(admin);
  schoolToken = await issueClientToken(school);
});

afterAll(async () => {
  await gateway?.stop();
  await directory?.stop();
  await referral?.stop();
});

interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(body: unknown, { token, url = gateway.url, headers = {} }: { token?: string; url?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as GraphQLBody };
}

describe('gateway', () => {
  it('refuses a request without a token with UNAUTHENTICATED and says how to sign in', async () => {
    const r = await post({ query: '{ referrals { id } }' });
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.body.errors?.[0].message).toMatch(/Authorization: Bearer/);
    const bad = await post({ query: '{ referrals { id } }' }, { token: `${adminToken}x` });
    expect(bad.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/signature is not valid/) });
  });

  it('joins data across both subgraphs through _entities', async () => {
    const r = await post({ query: '{ referrals { id reason school { urn name } } }' }, { token: schoolToken });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({
      referrals: [
        { id: 'r1', reason: 'Permanent exclusion', school: { urn: '100001', name: 'Hillside Primary' } },
        { id: 'r2', reason: 'Medical needs', school: { urn: '100002', name: 'Riverside Academy' } },
      ],
    });
    expect(r.headers.get('x-trace-id')).toBeTruthy();
  });

  it("sends each subgraph the client's principal in an internal token for that subgraph, with the trace id", async () => {
    directory.seen.length = 0;
    referral.seen.length = 0;
    // A client's trace id, in W3C form (a caller's id that is not one is replaced by a new one).
    const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
    const r = await post({ query: '{ referrals { school { name } } whoami { userId role org } }' }, { token: schoolToken, headers: { 'x-trace-id': TRACE } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.whoami).toEqual({ userId: 'sam', role: 'SCHOOL_USER', org: 'school:100001' });
    expect(r.headers.get('x-trace-id')).toBe(TRACE);
    for (const [subgraph, audience] of [
      [directory, 'subgraph:directory'],
      [referral, 'subgraph:referral'],
    ] as const) {
      expect(subgraph.seen.length).toBeGreaterThan(0);
      for (const seen of subgraph.seen) {
        expect(seen.context).toEqual({ principal: school, viaGateway: true, traceId: TRACE });
        expect(seen.token).toMatchObject({ aud: audience, iss: 'ap-pathways-gateway', sub: 'sam' });
        expect(seen.traceHeader).toBe(TRACE);
        // The W3C trace context too, under a span of the gateway's (tracing is off here: not sampled).
        expect(seen.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
      }
    }
  });

  it('keeps a subgraph’s public error and code', async () => {
    const r = await post({ query: '{ school(urn: "999999") { name } }' }, { token: schoolToken });
    expect(r.body.errors?.[0]).toEqual(expect.objectContaining({ message: 'School 999999 was not found', extensions: { code: 'NOT_FOUND' } }));
  });

  it('passes a subgraph’s FORBIDDEN through', async () => {
    const provider = await issueClientToken({ userId: 'pat', role: 'PROVIDER_USER', org: { type: 'provider', id: '0f8fad5b-d9cb-469f-a165-70867728950e' } });
    const r = await post({ query: '{ referrals { id } }' }, { token: provider });
    expect(r.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(r.body.errors?.[0].message).toMatch(/needs the role .* PROVIDER_USER/);
  });

  it('masks an internal error thrown in a subgraph as INTERNAL_SERVER_ERROR, and logs it with the trace id', async () => {
    lines.length = 0;
    const r = await post({ query: '{ boom }' }, { token: adminToken, headers: { 'x-trace-id': 'b00b1e5b00b1e5b00b1e5b00b1e5b00b' } });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]).toMatchObject({ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(r.body)).not.toMatch(/db-secret-host|directory|stacktrace/);
    const masked = lines.filter((l) => l.msg === 'masked an internal error');
    expect(masked).toHaveLength(1);
    expect(masked[0]).toMatchObject({ traceId: 'b00b1e5b00b1e5b00b1e5b00b1e5b00b', level: 50, path: ['boom'] });
  });

  it('keeps the field and every problem of a BAD_USER_INPUT from a subgraph', async () => {
    const r = await post({ query: 'mutation { renameSchool(urn: "1", name: "") { name } }' }, { token: adminToken });
    expect(r.body.errors).toEqual([
      expect.objectContaining({
        message: 'URN must be 6 digits; Name must not be empty',
        extensions: {
          code: 'BAD_USER_INPUT',
          field: 'urn',
          problems: [
            { field: 'urn', message: 'URN must be 6 digits' },
            { field: 'name', message: 'Name must not be empty' },
          ],
        },
      }),
    ]);
  });

  it('refuses a direct call to a subgraph without an internal token', async () => {
    const r = await post({ query: '{ school(urn: "100001") { name } }' }, { url: directory.url, token: adminToken });
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/only accepts requests through the gateway/) });
    const none = await post({ query: '{ _service { sdl } }' }, { url: directory.url });
    expect(none.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(none.body.data).toBeUndefined();
  });

  it('refuses an internal token made for another subgraph', async () => {
    const forReferral = await issueInternalToken({ principal: admin, audience: 'referral', traceId: 't' });
    const r = await post({ query: '{ school(urn: "100001") { name } }' }, { url: directory.url, token: forReferral });
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/subgraph:directory/) });
    const forDirectory = await issueInternalToken({ principal: admin, audience: 'directory', traceId: 't' });
    const ok = await post({ query: '{ school(urn: "100001") { name } }' }, { url: directory.url, token: forDirectory });
    expect(ok.body.data).toEqual({ school: { name: 'Hillside Primary' } });
  });

  it('refuses a query deeper than the limit with BAD_USER_INPUT', async () => {
    // The test schema is shallow, so the 13-level query also fails field validation; the depth
    // rule measures the document regardless and reports its own BAD_USER_INPUT error.
    const nested = '{ referrals '.repeat(13) + '}'.repeat(13);
    const r = await post({ query: `query Deep ${nested}` }, { token: adminToken });
    expect(r.status).toBe(400);
    const limit = r.body.errors?.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
    expect(limit?.message).toMatch(/Query depth limit of 12 exceeded, found 13\. Ask for fewer fields/);
  });

  it('refuses a query costing too much, counting each fragment use', async () => {
    const fragments = ['fragment F0 on School { urn name }'];
    for (let i = 1; i <= 11; i++) fragments.push(`fragment F${i} on School { ...F${i - 1} ...F${i - 1} }`);
    const r = await post({ query: `{ school(urn: "100001") { ...F11 } } ${fragments.join(' ')}` }, { token: adminToken });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/Query Cost limit of 5000 exceeded/) });
  });

  it('refuses a 10,000-field query (30 kB) with BAD_USER_INPUT at parse time', async () => {
    const query = `{ referrals { ${'id '.repeat(10_000)}} }`;
    expect(query.length).toBeGreaterThan(30_000);
    const r = await post({ query }, { token: adminToken });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      expect.objectContaining({
        message: 'The query is too large: it has more than 800 tokens (names, punctuation and values). Ask for fewer fields, or split the request into smaller queries.',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  it('refuses 1,900 aliases with BAD_USER_INPUT, and 100 too', async () => {
    const aliases = (n: number) => `{ referrals { ${Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ')} } }`;
    const many = await post({ query: aliases(1900) }, { token: adminToken });
    expect(many.status).toBe(400);
    expect(many.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/more than 800 tokens/) });
    const some = await post({ query: aliases(100) }, { token: adminToken });
    expect(some.status).toBe(400);
    expect(some.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/Aliases limit of 10 exceeded, found 100/) });
  });

  describe('bad requests get a 4xx and a clear code, never a 500', () => {
    it('an operationName that names no operation', async () => {
      const r = await post({ query: 'query A { referrals { id } }', operationName: 'B' }, { token: adminToken });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'OPERATION_RESOLUTION_FAILURE' }, message: 'No operation named "B" in the document. The document has A.' });
    });

    it('several anonymous operations', async () => {
      const r = await post({ query: '{ referrals { id } } { referrals { reason } }' }, { token: adminToken });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.body.errors?.[0].message).toMatch(/anonymous operation/);
    });

    it('several named operations and no operationName', async () => {
      const r = await post({ query: 'query A { referrals { id } } query B { referrals { reason } }' }, { token: adminToken });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'OPERATION_RESOLUTION_FAILURE' }, message: expect.stringMatching(/several operations; say which to run in operationName/) });
    });

    it('a subscription', async () => {
      const r = await post({ query: 'subscription { referrals { id } }' }, { token: adminToken });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/Subscriptions are not supported/) });
    });

    it('a persisted-query hash that does not match the query', async () => {
      const query = '{ referrals { id } }';
      const wrong = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, { token: adminToken });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/is not the SHA-256 of the query sent/) });
      const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } }, { token: adminToken });
      expect(unknown.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const sha256Hash = createHash('sha256').update(query).digest('hex');
      const right = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }, { token: adminToken });
      expect(right.body.data?.referrals).toHaveLength(2);
    });

    it('a variable GraphQL itself refuses (missing, or of the wrong type), naming the field', async () => {
      const query = 'mutation($n: String!) { renameSchool(urn: "100001", name: $n) { name } }';
      for (const variables of [{}, { n: 42 }]) {
        const r = await post({ query, variables }, { token: adminToken });
        expect(r.status).toBe(400);
        expect(r.body.errors?.[0]).toMatchObject({
          message: expect.stringMatching(/^Variable "\$n"/),
          extensions: { code: 'BAD_USER_INPUT', field: 'n', problems: [{ field: 'n', message: expect.stringMatching(/^Variable "\$n"/) }] },
        });
      }
    });

    it('a NUL byte in a variable, naming the field', async () => {
      const r = await post({ query: 'mutation($n: String!) { renameSchool(urn: "100001", name: $n) { name } }', variables: { n: 'Hill\u0000side' } }, { token: adminToken });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]).toMatchObject({
        message: 'n contains the control character U+0000; remove it. Text may hold tabs and line breaks, but no other control characters.',
        extensions: { code: 'BAD_USER_INPUT', field: 'n', problems: [{ field: 'n', message: expect.stringMatching(/U\+0000/) }] },
      });
    });

    it('a NUL byte in a literal, naming the argument', async () => {
      const r = await post({ query: 'mutation { renameSchool(urn: "100001", name: "Hill\\u0000side") { name } }' }, { token: adminToken });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'name' } });
    });

    it('a body that is not valid UTF-8', async () => {
      const body = Buffer.concat([Buffer.from('{"query":"{ school(urn: \\"'), Buffer.from([0xc3, 0x28]), Buffer.from('\\") { name } }"}')]);
      const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as GraphQLBody).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/not valid UTF-8/) });
    });
  });

  it('refuses a batch with a clear 400', async () => {
    const r = await post([{ query: '{ referrals { id } }' }, { query: '{ referrals { id } }' }], { token: adminToken });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/Batched requests .* are not supported/) });
  });

  it('refuses a body over the size limit with 413', async () => {
    const r = await post({ query: '{ referrals { id } }', variables: { pad: 'x'.repeat(70 * 1024) } }, { token: adminToken });
    expect(r.status).toBe(413);
    expect(r.body.errors?.[0].message).toMatch(/larger than 65536 bytes/);
  });

  it('refuses introspection to a SCHOOL_USER and allows it to LA_ADMIN', async () => {
    const query = getIntrospectionQuery();
    const refused = await post({ query }, { token: schoolToken });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/only for LA_ADMIN; you are signed in as SCHOOL_USER/) });
    expect(refused.body.data).toBeUndefined();
    const sneaky = await post({ query: '{ referrals { id } ...T } fragment T on Query { __type(name: "Referral") { name } }' }, { token: schoolToken });
    expect(sneaky.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const allowed = await post({ query }, { token: adminToken });
    expect(allowed.body.errors).toBeUndefined();
    const types = (allowed.body.data?.__schema.types as { name: string }[]).map((t) => t.name);
    expect(types).toEqual(expect.arrayContaining(['Referral', 'School']));
    expect(types).not.toContain('_Entity');
  });

  it('refuses a GET without a CSRF preflight header, and serves GET queries that have one', async () => {
    const url = `${gateway.url}?query=${encodeURIComponent('{ referrals { id } }')}`;
    const simple = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(simple.status).toBe(400);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': 'true' } });
    expect(((await ok.json()) as GraphQLBody).data?.referrals).toHaveLength(2);
  });

  it('serves health and readiness, and metrics only on the metrics port', async () => {
    const base = gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', service: 'gateway', checks: { directory: { status: 'up' }, referral: { status: 'up' } } });
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect(new URL(gateway.metricsUrl).port).not.toBe(String(gateway.port));
    const metrics = await (await fetch(gateway.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_graphql_requests_total\{operation_type="query"\} \d+/);
    expect(metrics).toMatch(/gateway_graphql_errors_total\{code="UNAUTHENTICATED"\} \d+/);
    expect(metrics).toMatch(/gateway_graphql_request_duration_seconds_count\{operation_type="query"\}/);
  });

  it('listens on BIND_HOST (127.0.0.1), not on every address', async () => {
    // 127.0.0.2 is loopback too: a server on 0.0.0.0 would answer there, one on 127.0.0.1 does not.
    const connect = (host: string, port: number) =>
      new Promise<string>((resolve) => {
        const req = httpRequest({ host, port, path: '/healthz' }, (res) => {
          res.resume();
          resolve(String(res.statusCode));
        });
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
        req.end();
      });
    expect(new URL(gateway.url).hostname).toBe('127.0.0.1');
    expect(await connect('127.0.0.1', gateway.port)).toBe('200');
    expect(await connect('127.0.0.2', gateway.port)).toBe('ECONNREFUSED');
    expect(await connect('127.0.0.2', Number(new URL(gateway.metricsUrl).port))).toBe('ECONNREFUSED');
  });
});

describe('a gateway with a subgraph down', () => {
  let partial: RunningGateway;
  beforeAll(async () => {
    // The directory's port is closed: connections are refused.
    const closed = await startTestSubgraphs();
    await closed.directory.stop();
    await closed.referral.stop();
    partial = await createGateway({ supergraphSdl: closed.supergraphSdl, subgraphUrls: { directory: closed.directory.url, referral: referral.url }, port: 0 });
  });
  afterAll(() => partial?.stop());

  it("answers the other subgraph's data, with the reference null and SUBGRAPH_UNAVAILABLE naming the service", async () => {
    const r = await post({ query: '{ referrals { id school { name } } }' }, { token: schoolToken, url: partial.url });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ referrals: [{ id: 'r1', school: null }, { id: 'r2', school: null }] });
    expect(r.body.errors).toEqual([
      { message: 'The directory service is unavailable; its fields are null. Try again shortly.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'directory' } },
    ]);
  });

  it('treats a subgraph that accepts but never answers as unavailable after the timeout', async () => {
    const sockets: Socket[] = [];
    const hung = createNetServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const closed = await startTestSubgraphs();
    await closed.directory.stop();
    await closed.referral.stop();
    const slow = await createGateway({
      supergraphSdl: closed.supergraphSdl,
      subgraphUrls: { directory: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`, referral: referral.url },
      port: 0,
      subgraphTimeoutMs: 300,
    });
    try {
      const r = await post({ query: '{ referrals { id school { name } } }' }, { token: schoolToken, url: slow.url });
      expect(r.body.data).toEqual({ referrals: [{ id: 'r1', school: null }, { id: 'r2', school: null }] });
      expect(r.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', service: 'directory' }]);
    } finally {
      await slow.stop();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('says so at /readyz, still ready (200) while any subgraph answers', async () => {
    const res = await fetch(partial.url.replace(/\/graphql$/, '/readyz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', checks: { directory: { status: 'down', detail: 'unavailable' }, referral: { status: 'up' } } });
  });
});
