import { ApolloServer } from '@apollo/server';
import { createLogger } from '@ap/logger';
import { unauthenticated } from '@ap/errors';
import { RunningHttpService, startHttpService } from '../src';

describe('startHttpService', () => {
  let ready = true;
  let svc: RunningHttpService;
  beforeAll(async () => {
    const apollo = new ApolloServer<{ who: string }>({
      typeDefs: 'type Query { hello: String }',
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

  it('reports health, readiness and metrics', async () => {
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    ready = false;
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{.*route="graphql".*\} \d+/);
    expect((await fetch(`${svc.url}/nowhere`)).status).toBe(404);
  });

  it('answers with the trace id, taking a well-formed x-trace-id and replacing any other', async () => {
    const traced = async (id: string) => (await fetch(`${svc.url}/healthz`, { headers: { 'x-trace-id': id } })).headers.get('x-trace-id');
    expect(await traced('trace-1:a.b_c')).toBe('trace-1:a.b_c');
    const replaced = await traced('trace id with spaces');
    expect(replaced).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await traced('x'.repeat(129))).not.toBe('x'.repeat(129));
  });

  it('answers 405 with an allow header to methods other than GET and POST on /graphql', async () => {
    const res = await fetch(svc.graphqlUrl, { method: 'PUT', headers: { authorization: 'Bearer ok' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
