import { ApolloServer } from '@apollo/server';
import { createLogger } from '@ap/logger';
import { Readiness, readinessReport, RunningHttpService, startHttpService } from '../src';

describe('readinessReport', () => {
  it('is ready when every check is up, degraded when only non-critical ones are down, not ready otherwise', () => {
    const up: Readiness = { database: { status: 'up' }, kafka: { status: 'up', critical: false } };
    expect(readinessReport('s', 'serving', up)).toEqual({ status: 'ready', service: 's', checks: { database: { status: 'up' }, kafka: { status: 'up' } } });
    const kafkaDown: Readiness = { database: { status: 'up' }, kafka: { status: 'down', critical: false, detail: 'ECONNREFUSED' } };
    expect(readinessReport('s', 'serving', kafkaDown)).toMatchObject({ status: 'degraded', checks: { kafka: { status: 'down', detail: 'ECONNREFUSED' } } });
    const dbDown: Readiness = { database: { status: 'down' }, kafka: { status: 'down', critical: false } };
    expect(readinessReport('s', 'serving', dbDown).status).toBe('not ready');
    expect(readinessReport('s', 'starting', up).status).toBe('starting');
    expect(readinessReport('s', 'serving', false).status).toBe('not ready');
  });
});

describe('/readyz and /healthz', () => {
  let checks: Readiness = {};
  let svc: RunningHttpService;
  beforeAll(async () => {
    svc = await startHttpService({
      name: 'test',
      apollo: new ApolloServer({ typeDefs: 'type Query { hello: String }' }),
      logger: createLogger('test'),
      port: 0,
      ready: async () => checks,
      context: async () => ({}),
    });
  });
  afterAll(() => svc.stop());

  it('answers 200 with the checks while degraded, 503 when a critical check is down', async () => {
    checks = { database: { status: 'up' }, kafka: { status: 'down', critical: false } };
    const degraded = await fetch(`${svc.url}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded', service: 'test', checks: { database: { status: 'up' }, kafka: { status: 'down' } } });
    checks = { database: { status: 'down' } };
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(503);
  });

  it('says which process answers, so start-all can tell its own from another holding the port', async () => {
    expect(await (await fetch(`${svc.url}/healthz`)).json()).toEqual({ status: 'ok', service: 'test', pid: process.pid });
  });
});
