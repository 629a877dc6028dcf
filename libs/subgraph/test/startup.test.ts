import { join } from 'node:path';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { buildPermissions, rules } from '@ap/auth';
import { KafkaEventBus, newEvent, recordEvent } from '@ap/events';
import { createLogger } from '@ap/logger';
import { eventually, graphql, internalToken, principal, startPrivateBroker, startTestService, useKafkaNamespace } from '@ap/testing';
import type { PrivateBroker } from '@ap/testing';
import { loadTypeDefs, RunningService, ServiceDefinition } from '../src';

// Starting and stopping a private broker takes a few seconds each; reconnecting up to ~15 s more.
jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'subgraph-startup-'));
writeFileSync(join(dir, 'schema.graphql'), 'type Query { hello: String } type Mutation { register: ID }');

class CreateNoted1700000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE noted (event_id uuid PRIMARY KEY)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE noted`);
  }
}

/** A service that writes an event on `register` and consumes its own topic into `noted`. */
const definition: ServiceDefinition<any> = {
  name: 'outcomes',
  typeDefs: loadTypeDefs(join(dir, 'schema.graphql')),
  resolvers: {
    Query: { hello: () => 'hello' },
    Mutation: {
      register: (_: unknown, __: unknown, ctx: any) =>
        ctx.dataSource.transaction(async (manager: any) => {
          const event = newEvent({ type: 'pupil.registered', producer: 'outcomes', key: 'k', payload: { pupilId: '6f1b0c2e-7a51-4a52-9a7c-1d2e3f4a5b6c' } });
          await recordEvent(manager, event);
          return event.id;
        }),
    },
  },
  permissions: buildPermissions({ Query: { hello: rules.isAuthenticated }, Mutation: { register: rules.isAuthenticated } }),
  entities: [],
  migrations: [CreateNoted1700000000001],
  context: (base, deps) => ({ ...base, dataSource: deps.dataSource }),
  consumer: () => ({
    from: ['outcomes'],
    handlers: {
      'pupil.registered': async (event, manager) => {
        await manager.query(`INSERT INTO noted (event_id) VALUES ($1)`, [event.id]);
      },
    },
  }),
};

const readyz = async (svc: RunningService) => {
  const res = await fetch(`${svc.url}/readyz`);
  return { status: res.status, body: (await res.json()) as any };
};

describe('a service whose Kafka is down when it starts', () => {
  let broker: PrivateBroker;
  let svc: RunningService;

  beforeAll(async () => {
    useKafkaNamespace();
    broker = await startPrivateBroker();
    await broker.stop();
  });
  afterAll(async () => {
    await svc?.stop();
    await broker?.destroy();
  });

  it('starts at once, serves, keeps writes in its outbox, says it is degraded, and catches up when Kafka comes', async () => {
    const began = Date.now();
    svc = await startTestService(definition, { brokers: broker.brokers, waitForConsumer: false });
    // It must not wait for Kafka (KafkaJS alone would retry for half a minute or more).
    expect(Date.now() - began).toBeLessThan(15_000);

    const token = await internalToken('outcomes', principal('ANALYST', 'la:865'));
    expect((await graphql(svc.graphqlUrl, '{ hello }', {}, { token })).data).toEqual({ hello: 'hello' });
    const written = await graphql(svc.graphqlUrl, 'mutation { register }', {}, { token });
    expect(written.errors).toBeUndefined();
    const eventId: string = written.data.register;

    await eventually(async () => {
      const { status, body } = await readyz(svc);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        status: 'degraded',
        checks: {
          database: { status: 'up' },
          kafka: { status: 'down', detail: expect.any(String) },
          outbox: { pending: 1 },
          consumer: { status: 'down' },
        },
      });
    });
    const [row] = await svc.dataSource.query(`SELECT published_at FROM outbox WHERE id = $1`, [eventId]);
    expect(row.published_at).toBeNull();

    await broker.start();
    await eventually(
      async () => {
        expect((await svc.dataSource.query(`SELECT 1 FROM noted WHERE event_id = $1`, [eventId])).length).toBe(1);
        const { status, body } = await readyz(svc);
        expect(status).toBe(200);
        expect(body).toMatchObject({ status: 'ready', checks: { kafka: { status: 'up' }, outbox: { status: 'up', pending: 0 }, consumer: { status: 'up' } } });
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  });
});

describe('a brand-new broker', () => {
  it('takes topics created the moment it answers, with a leader for every partition', async () => {
    const broker = await startPrivateBroker();
    const bus = new KafkaEventBus({ clientId: 'fresh-broker-test', brokers: broker.brokers, logger: createLogger('fresh-broker-test') });
    try {
      const topics = ['directory', 'referral', 'placement', 'safeguarding', 'outcomes'].map((t) => `fresh.${t}.events`);
      await bus.ensureTopics(topics);
      // Publishing at once, as the relay does, must not meet "This server does not host this topic-partition".
      for (const topic of topics) await bus.publish(topic, [{ key: 'k', value: 'v' }]);
      await expect(bus.probe()).resolves.toEqual({ up: true });
    } finally {
      await bus.close();
      await broker.destroy();
    }
  });
});
