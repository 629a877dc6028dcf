import { DataSource } from 'typeorm';
import { databaseAnswers } from '@ap/db';
import { EventBus, OutboxRelay, RunningConsumer } from '@ap/events';
import { Readiness } from '@ap/http';

/**
 * The database is critical (without it nothing works: 503); Kafka, the outbox relay and the
 * consumer are not (reads and writes still work, events wait: 200 "degraded").
 */
export async function readiness(dataSource: DataSource, bus: EventBus, relay: OutboxRelay, consumer?: RunningConsumer): Promise<Readiness> {
  const [database, broker, pending] = await Promise.all([
    databaseAnswers(dataSource).catch(() => false),
    bus.probe?.(),
    relay.pending().catch(() => undefined),
  ]);
  const checks: Readiness = { database: { status: database ? 'up' : 'down' } };
  if (broker) checks.kafka = { status: broker.up ? 'up' : 'down', critical: false, ...(broker.error && { detail: broker.error }) };
  const relaying = relay.health();
  checks.outbox = {
    status: relaying.failing ? 'down' : 'up',
    critical: false,
    pending,
    ...(relaying.failing && { detail: `cannot publish (${relaying.failuresInARow} tries in a row): ${relaying.lastError}; the events wait` }),
  };
  if (consumer) {
    const state = consumer.state();
    const problem = consumer.lastError();
    checks.consumer = { status: state === 'consuming' ? 'up' : 'down', critical: false, state, ...(problem && { detail: problem }) };
  }
  return checks;
}
