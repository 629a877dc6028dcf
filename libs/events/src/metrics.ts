/**
 * What an operator watches of a service's events, on its /metrics: the outbox backlog (events
 * written but not yet on Kafka, and how long the oldest has waited), the consumer's lag (messages
 * on its topics not yet applied) and the size of its topics' dead-letter topics. Read at each
 * scrape; a database or broker that does not answer never fails the scrape: the outbox gauges keep
 * their last value, the Kafka ones are left out (the broker is asked without retries, within a few seconds).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { EventBus, PartitionOffsets } from './bus';
import { deadLetterTopicFor } from './topics';

export interface EventMetricsOptions {
  registry: Registry;
  dataSource: DataSource;
  bus: EventBus;
  /** The service's consumer, if it has one. */
  consumer?: { groupId: string; topics: string[] };
}

/** Lag of one partition: what was written after the group's committed offset (all that is kept, when it has committed none). */
export function partitionLag({ low, high, committed }: PartitionOffsets): number {
  return Math.max(0, high - (committed ?? low));
}

/** Messages kept in one partition. */
export function partitionSize({ low, high }: PartitionOffsets): number {
  return Math.max(0, high - low);
}

function sumByTopic(rows: PartitionOffsets[], value: (row: PartitionOffsets) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(row.topic, (sums.get(row.topic) ?? 0) + value(row));
  return sums;
}

export function registerEventMetrics({ registry, dataSource, bus, consumer }: EventMetricsOptions): void {
  const outbox = async () =>
    (await dataSource
      .query(`SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age FROM outbox WHERE published_at IS NULL`)
      .catch(() => undefined)) as { pending: number; age: number }[] | undefined;
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Events written to the outbox and not yet published to Kafka',
    registers: [registry],
    async collect() {
      const rows = await outbox();
      if (rows) this.set(rows[0].pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_seconds',
    help: 'How long the oldest unpublished event has waited in the outbox (0 when none waits)',
    registers: [registry],
    async collect() {
      const rows = await outbox();
      if (rows) this.set(rows[0].age);
    },
  });
  if (!consumer || !bus.offsets) return;
  const offsets = bus.offsets.bind(bus);
  new Gauge({
    name: 'kafka_consumer_lag_messages',
    help: "Messages on each consumed topic not yet applied by this service's consumer group",
    labelNames: ['topic', 'group'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await offsets(consumer.topics, consumer.groupId).catch(() => undefined);
      if (!rows) return;
      for (const topic of consumer.topics) this.set({ topic, group: consumer.groupId }, 0);
      for (const [topic, lag] of sumByTopic(rows, partitionLag)) this.set({ topic, group: consumer.groupId }, lag);
    },
  });
  new Gauge({
    name: 'dead_letter_topic_messages',
    help: 'Messages kept in the dead-letter topic of each topic this service consumes (shared by every consumer of that topic)',
    labelNames: ['topic'],
    registers: [registry],
    async collect() {
      this.reset();
      const dlqs = consumer.topics.map(deadLetterTopicFor);
      const rows = await offsets(dlqs).catch(() => undefined);
      if (!rows) return;
      for (const topic of dlqs) this.set({ topic }, 0);
      for (const [topic, size] of sumByTopic(rows, partitionSize)) this.set({ topic }, size);
    },
  });
}

/** Counts each event the consumer handled, by type and outcome (applied, duplicate, dead_lettered). */
export function consumedEventsCounter(registry: Registry): Counter<'type' | 'outcome'> {
  return new Counter({
    name: 'events_consumed_total',
    help: 'Events handled by this service\'s consumer, by type and outcome: applied, duplicate (already applied) or dead_lettered',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
}
