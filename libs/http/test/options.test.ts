import { once } from 'node:events';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { Counter, Registry } from 'prom-client';
import { createLogger } from '@ap/logger';
import { HttpRefusal, RequestDone, startHttpService } from '../src';

interface Ctx {
  traceId: string;
}

const typeDefs = 'type Query { trace: String slow: String }';
const logger = createLogger('test');

const post = (url: string, query: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

/** Starts a service whose Apollo start waits for serverWillStart, keeping hold of the http.Server it was built around. */
function startAround(serverWillStart: () => Promise<void>) {
  const seen: { server?: Server } = {};
  const starting = startHttpService<Ctx>({
    name: 'starter',
    logger,
    port: 0,
    apollo: (server) => {
      seen.server = server;
      return new ApolloServer<Ctx>({ typeDefs, plugins: [{ serverWillStart }] });
    },
    context: async (_req, traceId) => ({ traceId }),
  });
  return { starting, server: seen.server! };
}

describe('startHttpService, as the gateway uses it', () => {
  it('listens before Apollo starts, and answers /graphql with 503 until it has', async () => {
    let release!: () => void;
    const { starting, server } = startAround(() => new Promise<void>((resolve) => (release = resolve)));
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const early = await post(`${base}/graphql`, '{ trace }');
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(((await early.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ status: 'starting' });

    release();
    const svc = await starting;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await svc.stop();
    expect(server.listening).toBe(false);
  });

  it('closes the port again when Apollo fails to start', async () => {
    const { starting, server } = startAround(async () => {
      throw new Error('no schema today');
    });
    await once(server, 'listening');
    await expect(starting).rejects.toThrow('no schema today');
    expect(server.listening).toBe(false);
  });

  describe('with a registry of its own, onRequestDone and the drain plugin', () => {
    const registry = new Registry();
    new Counter({ name: 'mine_total', help: 'A metric of the caller', registers: [registry] });
    const done: RequestDone<Ctx>[] = [];
    let finishSlow!: () => void;
    let slowStarted: () => void = () => undefined;
    let svc: Awaited<ReturnType<typeof startHttpService>>;

    beforeAll(async () => {
      svc = await startHttpService<Ctx>({
        name: 'hooked',
        logger,
        port: 0,
        registry,
        apollo: (httpServer) =>
          new ApolloServer<Ctx>({
            typeDefs,
            resolvers: {
              Query: {
                trace: (_: unknown, __: unknown, ctx: Ctx) => ctx.traceId,
                slow: () =>
                  new Promise<string>((resolve) => {
                    finishSlow = () => resolve('finished');
                    slowStarted();
                  }),
              },
            },
            plugins: [ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 5000 })],
          }),
        context: async (req, traceId) => {
          if (req.headers.authorization === 'Bearer refused') throw new HttpRefusal(401, 'Not you', 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' });
          return { traceId };
        },
        onRequestDone: (d) => done.push(d),
      });
    });
    afterAll(() => svc.stop());

    it('builds the context with the trace id and reports each request to onRequestDone', async () => {
      done.length = 0;
      const T = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await post(svc.graphqlUrl, '{ trace }', { 'x-trace-id': T });
      expect(await res.json()).toEqual({ data: { trace: T } });
      expect(done).toHaveLength(1);
      expect(done[0]).toMatchObject({ path: '/graphql', status: 200, context: { traceId: T } });
      expect(done[0].refusal).toBeUndefined();
      expect(done[0].response?.status ?? 200).toBe(200);
      expect(done[0].durationMs).toBeGreaterThan(0);
    });

    it('answers an HttpRefusal from the context with its status and headers, and says so to onRequestDone', async () => {
      done.length = 0;
      const res = await post(svc.graphqlUrl, '{ trace }', { authorization: 'Bearer refused' });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual({ errors: [{ message: 'Not you', extensions: { code: 'UNAUTHENTICATED' } }] });
      expect(done[0]).toMatchObject({ path: '/graphql', status: 401, refusal: { code: 'UNAUTHENTICATED' } });
      expect(done[0].context).toBeUndefined();
      await fetch(`${svc.url}/nowhere`);
      expect(done[1]).toMatchObject({ path: '/nowhere', status: 404, refusal: { code: 'NOT_FOUND' } });
    });

    it('serves the registry it was given, with its request counter added', async () => {
      const metrics = await (await fetch(svc.metricsUrl)).text();
      expect(metrics).toMatch(/^mine_total 0$/m);
      expect(metrics).toMatch(/http_requests_total\{route="graphql",status="200"\} \d+/);
    });

    it('lets a request in flight finish when stopped, then refuses new ones and closes', async () => {
      const started = new Promise<void>((resolve) => (slowStarted = resolve));
      const inFlight = post(svc.graphqlUrl, '{ slow }');
      await started;
      const stopped = svc.stop();
      expect(svc.stop()).toBe(stopped);
      finishSlow();
      expect(await (await inFlight).json()).toEqual({ data: { slow: 'finished' } });
      await stopped;
      await expect(fetch(`${svc.url}/healthz`)).rejects.toThrow();
    });
  });
});
