import { randomUUID } from 'node:crypto';
import { startPrivateBroker, PrivateBroker } from '../../testing/src/broker';
import { KafkaEventBus, OutboxRelay, Subscription, newEvent, recordEvent, startConsumer, topicFor } from '../src';
import { createTestDatabase, eventually, logger, TestDatabase, uniqueName } from './support';
import { useKafkaNamespace } from '@ap/testing';

// A broker stop and restart take a few seconds each; reconnecting takes up to ~5 s more.
jest.setTimeout(120_000);

describe('when the Kafka broker goes away', () => {
  let broker: PrivateBroker;
  let db: TestDatabase;
  let bus: KafkaEventBus;
  let relay: OutboxRelay;
  let consumer: Subscription;

  const registered = () => {
    const pupilId = randomUUID();
    return newEvent({ type: 'pupil.registered', producer: 'referral', key: pupilId, payload: { pupilId } });
  };
  const outboxRow = async (id: string) =>
    (await db.dataSource.query(`SELECT published_at, attempts, last_error FROM outbox WHERE id = $1`, [id]))[0];
  const applied = async (id: string) => (await db.dataSource.query(`SELECT 1 FROM applied WHERE event_id = $1`, [id])).length;

  beforeAll(async () => {
    useKafkaNamespace();
    [broker, db] = await Promise.all([startPrivateBroker(), createTestDatabase()]);
    bus = new KafkaEventBus({ clientId: 'events-test-resilience', brokers: broker.brokers, logger });
    relay = new OutboxRelay({ dataSource: db.dataSource, bus, logger, intervalMs: 100 });
    consumer = await startConsumer({
      dataSource: db.dataSource,
      bus,
      logger,
      consumer: 'placement',
      groupId: uniqueName('placement'),
      topics: [topicFor('referral')],
      handlers: {
        'pupil.registered': async (event, manager) => {
          await manager.query(`INSERT INTO applied (event_id) VALUES ($1)`, [event.id]);
        },
      },
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await bus?.close();
    await db?.drop();
    await broker?.destroy();
  });

  it('keeps events in the outbox until the broker is back, then delivers them', async () => {
    const before = registered();
    await db.dataSource.transaction((m) => recordEvent(m, before));
    expect(await relay.flushOnce()).toBe(1);
    await eventually(async () => expect(await applied(before.id)).toBe(1));

    await broker.stop();
    const during = registered();
    await db.dataSource.transaction((m) => recordEvent(m, during));
    await expect(relay.flushOnce()).resolves.toBe(0);
    expect(await outboxRow(during.id)).toMatchObject({ published_at: null, attempts: 1, last_error: expect.any(String) });

    // The relay's own loop must pick it up again once Kafka answers; nobody calls flushOnce for it.
    relay.start();
    await broker.start();
    await eventually(async () => expect((await outboxRow(during.id)).published_at).toBeInstanceOf(Date), { timeoutMs: 60_000, intervalMs: 250 });
    await eventually(async () => expect(await applied(during.id)).toBe(1), { timeoutMs: 60_000, intervalMs: 250 });
  });
});
