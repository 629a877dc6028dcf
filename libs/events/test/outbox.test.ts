import { randomUUID } from 'node:crypto';
import {
  ContractError,
  DeliveredMessage,
  EventBus,
  KafkaEventBus,
  OutboxRelay,
  OutsideTransactionError,
  Subscription,
  newEvent,
  recordEvent,
  recordEvents,
  topicFor,
} from '../src';
import { createTestDatabase, eventually, logger, TestDatabase, uniqueName } from './support';
import { useKafkaNamespace } from '@ap/testing';

jest.setTimeout(60_000);

const registered = (pupilId: string = randomUUID()) =>
  newEvent({ type: 'pupil.registered', producer: 'referral', key: pupilId, payload: { pupilId } });

describe('outbox and relay', () => {
  let db: TestDatabase;
  let bus: KafkaEventBus;
  let relay: OutboxRelay;

  beforeAll(async () => {
    useKafkaNamespace();
    db = await createTestDatabase();
    bus = new KafkaEventBus({ clientId: 'events-test-outbox', logger });
    relay = new OutboxRelay({ dataSource: db.dataSource, bus, logger });
  });

  afterAll(async () => {
    await relay?.stop();
    await bus?.close();
    await db?.drop();
  });

  const outboxCount = async () => Number((await db.dataSource.query(`SELECT count(*) AS n FROM outbox`))[0].n);

  it('creates tables that match the entities exactly', async () => {
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    const ours = pending.upQueries.map((q) => q.query).filter((q) => /outbox|processed_events/.test(q));
    expect(ours).toEqual([]);
  });

  it('has a migration that can be undone and redone', async () => {
    const tables = async () =>
      (await db.dataSource.query(`SELECT tablename FROM pg_tables WHERE tablename IN ('outbox', 'processed_events')`)).length;
    await db.dataSource.undoLastMigration();
    expect(await tables()).toBe(0);
    await db.dataSource.runMigrations();
    expect(await tables()).toBe(2);
  });

  it('leaves no outbox row when the transaction rolls back', async () => {
    const before = await outboxCount();
    await expect(
      db.dataSource.transaction(async (manager) => {
        await recordEvent(manager, registered());
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await outboxCount()).toBe(before);
  });

  it('refuses an event that breaks its contract, and a write outside a transaction', async () => {
    const bad = { ...registered(), payload: { pupilId: randomUUID(), upn: 'A123' } };
    await expect(db.dataSource.transaction((m) => recordEvent(m, bad))).rejects.toBeInstanceOf(ContractError);
    await expect(recordEvent(db.dataSource.manager, registered())).rejects.toBeInstanceOf(OutsideTransactionError);
  });

  it('records many events in one statement, in the order given, and none when any breaks its contract', async () => {
    const key = randomUUID();
    const events = Array.from({ length: 50 }, () => newEvent({ type: 'pupil.registered', producer: 'referral', key, payload: { pupilId: randomUUID() } }));
    await db.dataSource.transaction((m) => recordEvents(m, events));
    const rows = await db.dataSource.query(`SELECT id FROM outbox WHERE key = $1 ORDER BY created_at, id`, [key]);
    expect(rows.map((r: { id: string }) => r.id)).toEqual(events.map((e) => e.id));
    // Out of the way of the relay tests below, which count what one flush publishes.
    await db.dataSource.query(`DELETE FROM outbox WHERE key = $1`, [key]);
    const before = await outboxCount();
    const bad = { ...registered(), payload: { pupilId: randomUUID(), upn: 'A123' } };
    await expect(db.dataSource.transaction((m) => recordEvents(m, [registered(), bad]))).rejects.toBeInstanceOf(ContractError);
    await expect(recordEvents(db.dataSource.manager, [registered()])).rejects.toBeInstanceOf(OutsideTransactionError);
    expect(await outboxCount()).toBe(before);
  });

  it('publishes recorded events in order per key and marks them published', async () => {
    const keys = [randomUUID(), randomUUID()];
    // Several events per aggregate, some in one transaction (same now()), interleaved across keys.
    const recorded: { key: string; id: string }[] = [];
    for (let round = 0; round < 3; round++) {
      await db.dataSource.transaction(async (manager) => {
        for (let i = 0; i < 2; i++) {
          for (const key of keys) {
            const event = newEvent({ type: 'pupil.registered', producer: 'referral', key, payload: { pupilId: key } });
            await recordEvent(manager, event);
            recorded.push({ key, id: event.id });
          }
        }
      });
    }

    const received: DeliveredMessage[] = [];
    let subscription: Subscription | undefined;
    try {
      await bus.ensureTopics([topicFor('referral')]);
      subscription = await bus.subscribe({
        groupId: uniqueName('outbox-reader'),
        topics: [topicFor('referral')],
        handle: async (m) => void received.push(m),
      });
      expect(await relay.flushOnce()).toBe(recorded.length);
      expect(await relay.flushOnce()).toBe(0);

      await eventually(() => expect(received.length).toBe(recorded.length));
      for (const key of keys) {
        const sent = recorded.filter((r) => r.key === key).map((r) => r.id);
        const got = received.filter((m) => m.key === key).map((m) => JSON.parse(m.value!).id);
        expect(got).toEqual(sent);
        expect(new Set(received.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);
      }
      expect(received[0].topic).toBe(topicFor('referral'));
    } finally {
      await subscription?.stop();
    }

    const rows = await db.dataSource.query(`SELECT published_at, attempts, last_error FROM outbox WHERE id = ANY($1::uuid[])`, [
      recorded.map((r) => r.id),
    ]);
    expect(rows).toHaveLength(recorded.length);
    for (const row of rows) expect(row).toMatchObject({ published_at: expect.any(Date), attempts: 1, last_error: null });
  });

  it('lets one relay publish at a time, so a second one cannot overtake it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const publishing = new Promise<void>((r) => (entered = r));
    // The real bus, held at the door, so the first relay is caught mid-batch.
    const heldBus: EventBus = {
      ensureTopics: (topics) => bus.ensureTopics(topics),
      publish: async (topic, messages) => {
        entered();
        await gate;
        await bus.publish(topic, messages);
      },
      subscribe: (o) => bus.subscribe(o),
      close: async () => undefined,
    };
    const first = new OutboxRelay({ dataSource: db.dataSource, bus: heldBus, logger });
    const second = new OutboxRelay({ dataSource: db.dataSource, bus, logger });

    await db.dataSource.transaction((m) => recordEvent(m, registered()));
    const firstFlush = first.flushOnce();
    await publishing;
    await db.dataSource.transaction((m) => recordEvent(m, registered()));
    expect(await second.flushOnce()).toBe(0);
    release();
    expect(await firstFlush).toBe(1);
    expect(await second.flushOnce()).toBe(1);
  });

  it('keeps publishing in the background once started', async () => {
    relay.start();
    const event = registered();
    await db.dataSource.transaction((m) => recordEvent(m, event));
    await eventually(async () => {
      const [row] = await db.dataSource.query(`SELECT published_at FROM outbox WHERE id = $1`, [event.id]);
      expect(row.published_at).toBeInstanceOf(Date);
    });
    await relay.stop();
  });

  it('publishes an event as soon as its transaction commits, without waiting for the poll (LISTEN/NOTIFY)', async () => {
    // A poll once a minute: only the NOTIFY can explain a quick publication.
    const woken = new OutboxRelay({ dataSource: db.dataSource, bus, logger, intervalMs: 60_000 });
    woken.start();
    try {
      await eventually(() => expect(woken.isListening()).toBe(true), { timeoutMs: 10_000 });
      await eventually(async () => expect(Number((await db.dataSource.query(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`))[0].n)).toBe(0));
      const event = registered();
      const committed = Date.now();
      await db.dataSource.transaction((m) => recordEvent(m, event));
      await eventually(async () => expect((await db.dataSource.query(`SELECT published_at FROM outbox WHERE id = $1`, [event.id]))[0].published_at).not.toBeNull(), { timeoutMs: 10_000, intervalMs: 20 });
      expect(Date.now() - committed).toBeLessThan(5_000);
    } finally {
      await woken.stop();
    }
    expect(woken.isListening()).toBe(false);
  });
});
