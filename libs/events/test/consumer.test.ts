import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { currentTraceId } from '@ap/logger';
import {
  DeliveredMessage,
  EventEnvelope,
  KafkaEventBus,
  Subscription,
  deadLetterTopicFor,
  newEvent,
  startConsumer,
  topicFor,
} from '../src';
import { createTestDatabase, eventually, kafkaAdmin, logger, TestDatabase, uniqueName } from './support';
import { useKafkaNamespace } from '@ap/testing';

jest.setTimeout(60_000);

const MAX_ATTEMPTS = 3;

describe('idempotent consumer', () => {
  let db: TestDatabase;
  let bus: KafkaEventBus;
  let admin: Admin;
  let topic: string;
  let groupId: string;
  let consumer: Subscription;
  let deadLetters: Subscription;
  const dead: DeliveredMessage[] = [];
  const failingCalls: string[] = [];

  const publish = (...events: (EventEnvelope | { key: string; value: string })[]) =>
    bus.publish(
      topic,
      events.map((e) => ('value' in e ? e : { key: e.key, value: JSON.stringify(e) })),
    );
  const registered = (pupilId: string = randomUUID()) =>
    newEvent({ type: 'pupil.registered', producer: 'referral', key: pupilId, payload: { pupilId } });
  const appliedRows = (eventId: string) =>
    db.dataSource.query(`SELECT trace_id, note FROM applied WHERE event_id = $1`, [eventId]);
  const processedCount = async (eventId: string) =>
    Number((await db.dataSource.query(`SELECT count(*) AS n FROM processed_events WHERE event_id = $1`, [eventId]))[0].n);
  const waitUntilApplied = (eventId: string) => eventually(async () => expect(await appliedRows(eventId)).toHaveLength(1));

  beforeAll(async () => {
    useKafkaNamespace();
    topic = topicFor('referral');
    groupId = uniqueName('placement');
    db = await createTestDatabase();
    bus = new KafkaEventBus({ clientId: 'events-test-consumer', logger });
    admin = await kafkaAdmin();
    consumer = await startConsumer({
      dataSource: db.dataSource,
      bus,
      logger,
      consumer: 'placement',
      groupId,
      topics: [topic],
      maxAttempts: MAX_ATTEMPTS,
      retryDelayMs: 50,
      handlers: {
        'pupil.registered': async (event, manager) => {
          await manager.query(`INSERT INTO applied (event_id, trace_id) VALUES ($1, $2)`, [event.id, currentTraceId()]);
        },
        'placement.started': async (event, manager) => {
          failingCalls.push(event.id);
          // Written, then rolled back with the failed attempt.
          await manager.query(`INSERT INTO applied (event_id, note) VALUES ($1, 'partial')`, [event.id]);
          throw new Error('placement service cannot start this placement');
        },
      },
    });
    deadLetters = await bus.subscribe({
      groupId: uniqueName('dlq-reader'),
      topics: [deadLetterTopicFor(topic)],
      handle: async (m) => void dead.push(m),
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await deadLetters?.stop();
    await bus?.close();
    await admin?.disconnect();
    await db?.drop();
  });

  it('creates the topics it reads and their dead-letter topics', async () => {
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, deadLetterTopicFor(topic)]));
  });

  it('applies an event once, in its trace, and records it', async () => {
    const event = registered();
    await publish(event);
    await waitUntilApplied(event.id);
    expect(await appliedRows(event.id)).toEqual([{ trace_id: event.traceId, note: null }]);
    const [processed] = await db.dataSource.query(`SELECT consumer FROM processed_events WHERE event_id = $1`, [event.id]);
    expect(processed).toEqual({ consumer: 'placement' });
  });

  it('applies an event delivered twice only once', async () => {
    const event = registered();
    const after = registered(event.key);
    // Same key, so same partition: once `after` is applied, both copies have been handled.
    await publish(event, event, after);
    await waitUntilApplied(after.id);
    expect(await appliedRows(event.id)).toHaveLength(1);
    expect(await processedCount(event.id)).toBe(1);
  });

  it('dead-letters an event whose handler keeps failing, then carries on', async () => {
    const key = randomUUID();
    const failing = newEvent({
      type: 'placement.started',
      producer: 'referral',
      key,
      payload: { placementId: randomUUID(), referralId: randomUUID(), pupilId: key, providerId: randomUUID(), startedAt: new Date().toISOString() },
    });
    const later = registered(key);
    await publish(failing, later);

    await waitUntilApplied(later.id);
    const letter = await eventually(() => {
      const found = dead.find((m) => m.value && JSON.parse(m.value).id === failing.id);
      expect(found).toBeDefined();
      return found!;
    });
    expect(letter.headers).toMatchObject({
      'x-error': 'placement service cannot start this placement',
      'x-original-topic': topic,
      'x-attempts': String(MAX_ATTEMPTS),
      'x-consumer': 'placement',
    });
    expect(letter.key).toBe(key);
    expect(failingCalls.filter((id) => id === failing.id)).toHaveLength(MAX_ATTEMPTS);
    expect(await appliedRows(failing.id)).toEqual([]);
    expect(await processedCount(failing.id)).toBe(0);
  });

  it('applies a burst of events together, each once and in its own trace; a failing one among them goes on alone and the rest still apply', async () => {
    const key = randomUUID();
    const before = Array.from({ length: 20 }, () => registered(key));
    const after = Array.from({ length: 20 }, () => registered(key));
    const failing = newEvent({
      type: 'placement.started',
      producer: 'referral',
      key,
      payload: { placementId: randomUUID(), referralId: randomUUID(), pupilId: key, providerId: randomUUID(), startedAt: new Date().toISOString() },
    });
    // One produce call, one partition: the consumer fetches them together; the first comes twice.
    await publish(...before, before[0], failing, ...after);
    for (const event of [...before, ...after]) await waitUntilApplied(event.id);
    await eventually(() => expect(dead.some((m) => m.value && JSON.parse(m.value).id === failing.id)).toBe(true));
    for (const event of [...before, ...after]) {
      expect(await appliedRows(event.id)).toEqual([{ trace_id: event.traceId, note: null }]);
      expect(await processedCount(event.id)).toBe(1);
    }
    expect(failingCalls.filter((id) => id === failing.id)).toHaveLength(MAX_ATTEMPTS);
    expect(await appliedRows(failing.id)).toEqual([]);
    expect(await processedCount(failing.id)).toBe(0);
  });

  it('dead-letters a malformed message at once', async () => {
    const key = randomUUID();
    const later = registered(key);
    await publish({ key, value: '{"id": "this is not json' }, later);
    await waitUntilApplied(later.id);
    const letter = await eventually(() => {
      const found = dead.find((m) => m.key === key);
      expect(found).toBeDefined();
      return found!;
    });
    expect(letter.value).toBe('{"id": "this is not json');
    expect(letter.headers['x-error']).toMatch(/not JSON/);
    expect(letter.headers['x-attempts']).toBe('0');
  });

  it('dead-letters an event that breaks its contract', async () => {
    const broken = { ...registered(), payload: { pupilId: randomUUID(), upn: 'A123456789012' } };
    await publish(broken);
    const letter = await eventually(() => {
      const found = dead.find((m) => m.key === broken.key);
      expect(found).toBeDefined();
      return found!;
    });
    expect(letter.headers['x-error']).toMatch(/contract.*upn/);
    expect(await appliedRows(broken.id)).toEqual([]);
  });

  it('skips types it has no handler for, and commits every offset it has dealt with', async () => {
    const approved = newEvent({ type: 'provider.approved', producer: 'referral', key: randomUUID(), payload: { providerId: randomUUID(), approvedAt: new Date().toISOString() } });
    await publish(approved);
    const ends = await admin.fetchTopicOffsets(topic);
    const published = ends.reduce((sum, p) => sum + Number(p.high), 0);
    await eventually(async () => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)).toBe(published);
    });
    expect(await processedCount(approved.id)).toBe(0);
    expect(dead.find((m) => m.key === approved.key)).toBeUndefined();
  });
});
