/**
 * Events: the time from an outbox row's insert to its consumer's effect, at 100 and 1,000
 * events/s, and the relay's throughput on a 100k-row backlog. Self-contained: a throwaway
 * database (named like the tests' ones), the configured Kafka under a topic namespace of its
 * own, and the real OutboxRelay and consumer from @ap/events with their production settings.
 * Logs go to /dev/null at info, as costly as in a service, without flooding the bench's output.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { openDatabase } from '@ap/db';
import { CreateEventTables1700000000000, eventEntities, KafkaEventBus, launchConsumer, newEvent, OutboxRelay, recordEvent, recordEvents, topicFor } from '@ap/events';
import { createTestDatabase } from '@ap/testing';
import { BenchArgs, machine, percentile, printSetup, printTable, round } from './lib';

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const BACKLOG_LIMIT_S = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quietLogger = () => pino({ level: 'info', base: { service: 'bench-events' } }, pino.destination({ dest: '/dev/null', sync: true }));

async function waitFor(check: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

async function latencyAt(db: DataSource, rate: number, seconds: number) {
  await db.query(`TRUNCATE bench_effect`);
  const started = Date.now();
  let written = 0;
  const writes: Promise<unknown>[] = [];
  // Every 10 ms, the events due by now, each in a transaction of its own (as a request would write it).
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    for (; written < due; written++) {
      writes.push(db.transaction((tx) => recordEvent(tx, newEvent({ type: 'pupil.registered', producer: 'referral', key: randomUUID(), payload: { pupilId: randomUUID() } }))));
    }
    await sleep(10);
  }
  await Promise.all(writes);
  const achieved = written / ((Date.now() - started) / 1000);
  const applied = await waitFor(async () => Number((await db.query(`SELECT count(*)::int AS n FROM bench_effect`))[0].n) >= written, 60_000);
  const rows: { ms: number; relay: number }[] = await db.query(
    `SELECT extract(epoch FROM (e.applied_at - o.created_at)) * 1000 AS ms, extract(epoch FROM (o.published_at - o.created_at)) * 1000 AS relay
       FROM bench_effect e JOIN outbox o ON o.id = e.event_id ORDER BY 1`,
  );
  const ms = rows.map((r) => Number(r.ms));
  const relayMs = rows.map((r) => Number(r.relay)).sort((a, b) => a - b);
  return {
    'target events/s': rate,
    'written events/s': round(achieved, 0),
    events: written,
    applied: ms.length,
    'p50 ms': round(percentile(ms, 50), 1),
    'p99 ms': round(percentile(ms, 99), 1),
    'max ms': round(ms[ms.length - 1] ?? NaN, 1),
    // Of which: outbox row → marked published (the relay and Kafka's ack).
    'relay p50 ms': round(percentile(relayMs, 50), 1),
    'relay p99 ms': round(percentile(relayMs, 99), 1),
    complete: applied ? 'yes' : 'NO (timed out)',
  };
}

export async function events(args: BenchArgs) {
  const namespace = `bench${randomBytes(4).toString('hex')}`;
  process.env.KAFKA_NAMESPACE = namespace;
  const logger = quietLogger();
  const database = await createTestDatabase('referral');
  const db = await openDatabase({ url: database.url, entities: eventEntities, migrations: [CreateEventTables1700000000000], applicationName: 'bench-events' });
  const bus = new KafkaEventBus({ clientId: 'bench-events', logger });
  const relay = new OutboxRelay({ dataSource: db, bus, logger });
  try {
    await db.query(`CREATE TABLE bench_effect (event_id uuid PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    const setup = {
      ...machine(),
      kafka: process.env.KAFKA_BROKERS ?? 'infra/stack.env',
      topic: topicFor('referral'),
      database: `${database.name} (throwaway)`,
      relay: 'OutboxRelay with the services\' defaults',
      consumer: 'launchConsumer: processed_events claim + one INSERT per event',
      seconds: args.duration,
    };
    printSetup('Events: outbox → consumer effect latency; relay throughput', setup);
    relay.start();
    const consumer = launchConsumer({
      dataSource: db, bus, logger, consumer: 'bench', groupId: `${namespace}.bench`, topics: [topicFor('referral')], waitForJoin: true,
      handlers: {
        'pupil.registered': async (event, manager) => {
          await manager.query(`INSERT INTO bench_effect (event_id) VALUES ($1)`, [event.id]);
        },
      },
    });
    await consumer.started;
    // One event through, so the group has joined and the topic's leader is known before timing.
    await db.transaction((tx) => recordEvent(tx, newEvent({ type: 'pupil.registered', producer: 'referral', key: 'warm-up', payload: { pupilId: randomUUID() } })));
    await waitFor(async () => Number((await db.query(`SELECT count(*)::int AS n FROM bench_effect`))[0].n) > 0, 60_000);
    const latency = [await latencyAt(db, 100, args.duration), await latencyAt(db, 1000, args.duration)];
    printTable(latency);
    await consumer.stop();

    // The backlog: written while the relay is stopped, then timed from its start to an empty outbox.
    await relay.stop();
    for (let i = 0; i < BACKLOG; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, BACKLOG - i) }, () => newEvent({ type: 'pupil.registered', producer: 'referral', key: randomUUID(), payload: { pupilId: randomUUID() } }));
      await db.transaction((tx) => recordEvents(tx, batch));
    }
    const pending = async () => Number((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n);
    const t0 = Date.now();
    const backlogRelay = new OutboxRelay({ dataSource: db, bus, logger });
    backlogRelay.start();
    const drained = await waitFor(async () => (await pending()) === 0, BACKLOG_LIMIT_S * 1000);
    const seconds = (Date.now() - t0) / 1000;
    await backlogRelay.stop();
    const left = await pending();
    const throughput = { backlog: BACKLOG, published: BACKLOG - left, seconds: round(seconds, 1), 'events/s': round((BACKLOG - left) / seconds, 0), drained: drained ? 'yes' : `NO (${left} left after ${BACKLOG_LIMIT_S} s)` };
    printTable([throughput]);
    return { setup, latency, throughput };
  } finally {
    await relay.stop();
    await bus.close();
    await db.destroy();
    await database.drop();
  }
}
