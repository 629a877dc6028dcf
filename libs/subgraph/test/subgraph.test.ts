import { join } from 'node:path';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildPermissions, rules } from '@ap/auth';
import { graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import { loadTypeDefs, ServiceDefinition, startService } from '../src';

const dir = mkdtempSync(join(tmpdir(), 'subgraph-'));
writeFileSync(join(dir, 'schema.graphql'), 'type Query { whoami: String, boom: String }');

const definition: ServiceDefinition<any> = {
  name: 'outcomes',
  typeDefs: loadTypeDefs(join(dir, 'schema.graphql')),
  resolvers: {
    Query: {
      whoami: (_: unknown, __: unknown, ctx: any) => `${ctx.principal.role} ${ctx.traceId}`,
      boom: () => {
        throw new Error('relation "secret_table" does not exist');
      },
    },
  },
  permissions: buildPermissions({ Query: { whoami: rules.isAuthenticated, boom: rules.isAuthenticated } }),
  entities: [],
  migrations: [],
  context: (base) => base,
};

describe('startService', () => {
  beforeAll(() => useKafkaNamespace());

  it('serves the definition behind internal tokens, with the trace id the gateway sent', async () => {
    const svc = await startTestService(definition);
    try {
      const token = await internalToken('outcomes', principal('ANALYST', 'la:865'));
      const res = await graphql(svc.graphqlUrl, '{ whoami }', {}, { token });
      // The trace's id (W3C), as in the request's logs.
      expect(res.data.whoami).toMatch(/^ANALYST [0-9a-f]{32}$/);
    } finally {
      await svc.stop();
    }
  });

  it('masks an internal failure: no SQL or table names reach the client', async () => {
    const svc = await startTestService(definition);
    try {
      const token = await internalToken('outcomes', principal('ANALYST', 'la:865'));
      const res = await graphql(svc.graphqlUrl, '{ boom }', {}, { token });
      expect(res.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(res)).not.toMatch(/secret_table|stack/);
    } finally {
      await svc.stop();
    }
  });

  it('runs a job once at start-up and then every interval, never two runs at once; stop waits for a run under way', async () => {
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    let failedOnce = false;
    const svc = await startTestService({
      ...definition,
      jobs: () => [
        {
          name: 'tick',
          intervalMs: 20,
          run: async () => {
            concurrent++;
            maxConcurrent = Math.max(maxConcurrent, concurrent);
            await new Promise((r) => setTimeout(r, 50));
            concurrent--;
            runs++;
            // A failing run is logged and the job carries on.
            if (!failedOnce) {
              failedOnce = true;
              throw new Error('first run fails');
            }
          },
        },
      ],
    });
    await new Promise((r) => setTimeout(r, 300));
    await svc.stop();
    const afterStop = runs;
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxConcurrent).toBe(1);
    expect(concurrent).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(afterStop);
  });

  it('fails to start, releasing what it opened, when the database is unreachable', async () => {
    await expect(startService(definition, { port: 0, databaseUrl: 'postgres://outcomes@127.0.0.1:1/outcomes' })).rejects.toThrow();
  });
});
