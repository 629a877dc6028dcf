import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildPermissions, rules } from '@ap/auth';
import { deadLetterTopicFor, KafkaEventBus, newEvent, topicFor } from '@ap/events';
import { eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import { loadTypeDefs, RunningService, ServiceDefinition } from '../src';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'metrics-'));
writeFileSync(join(dir, 'schema.graphql'), 'type Query { nope: String }');

/** A service that consumes the directory's events and fails on every provider.approved it is given. */
const definition: ServiceDefinition<any> = {
  name: 'outcomes',
  typeDefs: loadTypeDefs(join(dir, 'schema.graphql')),
  resolvers: { Query: { nope: () => { throw Object.assign(new Error('no'), { extensions: { code: 'NOT_FOUND' } }); } } },
  permissions: buildPermissions({ Query: { nope: rules.isAuthenticated } }),
  entities: [],
  migrations: [],
  context: (base) => base,
  consumer: () => ({
    from: ['directory'],
    handlers: {
      'provider.approved': async () => {
        throw new Error('cannot apply this one');
      },
    },
  }),
};

/** The value of one series in Prometheus's text format, or undefined when it is not there. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe("a subgraph's /metrics shows what operators watch", () => {
  let svc: RunningService;
  let bus: KafkaEventBus;
  beforeAll(async () => {
    useKafkaNamespace();
    svc = await startTestService(definition);
    bus = new KafkaEventBus({ clientId: 'metrics-test' });
  });
  afterAll(async () => {
    await bus?.close();
    await svc?.stop();
  });

  it('request rate, errors, outbox backlog, consumer lag, dead-letter size and events consumed', async () => {
    const token = await internalToken('outcomes', principal('ANALYST', 'la:865'));
    await graphql(svc.graphqlUrl, '{ nope }', {}, { token });
    const topic = topicFor('directory');
    const event = newEvent({ type: 'provider.approved', producer: 'directory', key: 'p1', payload: { providerId: '0f8fad5b-d9cb-469f-a165-70867728950e', approvedAt: new Date().toISOString() } });
    await bus.publish(topic, [{ key: event.key, value: JSON.stringify(event) }]);

    const metrics = await eventually(async () => {
      const text = await (await fetch(svc.metricsUrl)).text();
      expect(sample(text, 'dead_letter_topic_messages', { topic: deadLetterTopicFor(topic) })).toBe(1);
      expect(sample(text, 'events_consumed_total', { type: 'provider.approved', outcome: 'dead_lettered' })).toBe(1);
      return text;
    }, { timeoutMs: 30_000 });
    expect(sample(metrics, 'http_requests_total', { route: 'graphql', status: '200' })).toBe(1);
    expect(sample(metrics, 'graphql_errors_total', { code: 'NOT_FOUND' })).toBe(1);
    expect(sample(metrics, 'outbox_pending_events')).toBe(0);
    expect(sample(metrics, 'outbox_oldest_pending_seconds')).toBe(0);
    // Dead-lettered is handled: the offset is committed (once per fetched batch, just after it), nothing waits.
    await eventually(async () => expect(sample(await (await fetch(svc.metricsUrl)).text(), 'kafka_consumer_lag_messages', { topic })).toBe(0));

    // An event written but not yet published is backlog. Holding the relay's lock keeps it waiting (as a broker outage would).
    const session = svc.dataSource.createQueryRunner();
    await session.connect();
    try {
      await session.query(`SELECT pg_advisory_lock(7001001)`);
      const held = newEvent({ type: 'pupil.registered', producer: 'outcomes', key: 'k', payload: { pupilId: '0f8fad5b-d9cb-469f-a165-70867728950e' } });
      await session.query(
        `INSERT INTO outbox (id, topic, key, type, envelope, created_at) VALUES ($1, $2, 'k', $3, $4::jsonb, now() - interval '90 seconds')`,
        [held.id, topicFor('outcomes'), held.type, JSON.stringify(held)],
      );
      const backlog = await (await fetch(svc.metricsUrl)).text();
      expect(sample(backlog, 'outbox_pending_events')).toBe(1);
      expect(sample(backlog, 'outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(90);
    } finally {
      await session.query(`SELECT pg_advisory_unlock(7001001)`);
      await session.release();
    }
  });
});
