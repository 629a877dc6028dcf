import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, Kafka, Partitioners, Producer, RetryOptions } from 'kafkajs';
import { kafkaBrokers } from '@ap/config';
import { createLogger, Logger } from '@ap/logger';
import type { BrokerProbe, BusMessage, PartitionOffsets, EventBus, SubscribeOptions, Subscription } from './bus';
import { kafkaLogLevel, pinoLogCreator } from './kafka-log';
import { ConsumerTuning, KafkaSubscription } from './kafka-subscription';

export interface KafkaEventBusOptions {
  clientId: string;
  brokers?: string[];
  logger?: Logger;
  /** Reconnect back-off for consumers; the default reconnects within ~5 s of the broker returning. */
  retry?: RetryOptions;
  /** Back-off for publishing and creating topics; short, because the relay and the consumers try again later. */
  publishRetry?: RetryOptions;
  /** How long subscribe waits for the group join before resolving anyway (the consumer keeps trying). */
  joinTimeoutMs?: number;
  consumer?: Partial<ConsumerTuning>;
}

// One node: replication 1. Three partitions let a consumer group share work while each
// aggregate (message key) stays on one partition, in order.
const PARTITIONS = 3;
const REPLICATION_FACTOR = 1;

export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  /**
   * Short retries, for publishing and creating topics: their callers (the relay, the consumers'
   * start-up) try again on their own schedule. Its own client, because KafkaJS nests the client's
   * reconnect retries inside each send's retries.
   */
  private readonly quick: Kafka;
  private readonly logger: Logger;
  private producer?: Promise<Producer>;
  private readonly knownTopics = new Set<string>();
  private readonly subscriptions = new Set<KafkaSubscription>();
  /** For probe(): no retries, so a broker that is away is reported at once. */
  private readonly probeClient: Kafka;
  private probing?: Promise<BrokerProbe>;
  private lastProbe?: { at: number; result: BrokerProbe };

  constructor(private readonly opts: KafkaEventBusOptions) {
    this.logger = (opts.logger ?? createLogger(opts.clientId)).child({ component: 'kafka' });
    const client = (retry: RetryOptions) =>
      new Kafka({
        clientId: opts.clientId,
        brokers: opts.brokers ?? kafkaBrokers(),
        connectionTimeout: 3000,
        retry,
        logLevel: kafkaLogLevel(),
        logCreator: pinoLogCreator(this.logger),
      });
    this.kafka = client({ initialRetryTime: 300, maxRetryTime: 5000, retries: 8, ...opts.retry });
    // Fails a publish within a few seconds when Kafka is away, so the relay's transaction
    // (which holds the outbox rows) stays short.
    this.quick = client({ initialRetryTime: 200, maxRetryTime: 1000, retries: 2, ...opts.publishRetry });
    this.probeClient = client({ retries: 0 });
  }

  /**
   * Creates the topics that are missing and waits until every partition of every one has a leader.
   * KafkaJS's own `waitForLeaders` retries only LEADER_NOT_AVAILABLE, but a fresh KRaft broker also
   * answers UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition") for a
   * moment after creating a topic (tulios/kafkajs#815), so we poll the metadata ourselves, as
   * sarama and librdkafka do. Safe to call again and from several services at once.
   */
  async ensureTopics(topics: string[], { timeoutMs = 30_000 } = {}): Promise<void> {
    const wanted = [...new Set(topics)].filter((t) => !this.knownTopics.has(t));
    if (wanted.length === 0) return;
    const admin = this.quick.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        // Resolves false rather than failing when another service created them first.
        await admin.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: REPLICATION_FACTOR })),
          waitForLeaders: false,
        });
      }
      await waitForLeaders(admin, wanted, timeoutMs);
      wanted.forEach((t) => this.knownTopics.add(t));
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Whether the broker answers now, for /readyz. Asked at most once per `maxAgeMs`; a separate
   * client without retries, so a broker that is down is reported within `timeoutMs`.
   */
  probe({ maxAgeMs = 2000, timeoutMs = 2500 } = {}): Promise<BrokerProbe> {
    if (this.lastProbe && Date.now() - this.lastProbe.at < maxAgeMs) return Promise.resolve(this.lastProbe.result);
    this.probing ??= (async () => {
      const admin = this.probeClient.admin();
      let result: BrokerProbe;
      try {
        await withTimeout(
          (async () => {
            await admin.connect();
            await admin.describeCluster();
          })(),
          timeoutMs,
        );
        result = { up: true };
      } catch (error) {
        result = { up: false, error: error instanceof Error ? error.message : String(error) };
      } finally {
        void admin.disconnect().catch(() => undefined);
      }
      this.lastProbe = { at: Date.now(), result };
      this.probing = undefined;
      return result;
    })();
    return this.probing;
  }

  /** Asked of the broker at each scrape, without retries and within timeoutMs, so /metrics never hangs on Kafka. */
  async offsets(topics: string[], groupId?: string, { timeoutMs = 2500 } = {}): Promise<PartitionOffsets[]> {
    if (topics.length === 0) return [];
    const admin = this.probeClient.admin();
    try {
      return await withTimeout(
        (async () => {
          await admin.connect();
          const existing = new Set(await admin.listTopics());
          const present = topics.filter((t) => existing.has(t));
          const committed = new Map<string, number>();
          if (groupId && present.length > 0) {
            for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: present })) {
              for (const p of partitions) if (Number(p.offset) >= 0) committed.set(`${topic}:${p.partition}`, Number(p.offset));
            }
          }
          const rows: PartitionOffsets[] = [];
          for (const topic of present) {
            for (const p of await admin.fetchTopicOffsets(topic)) {
              rows.push({ topic, partition: p.partition, low: Number(p.low), high: Number(p.high), committed: committed.get(`${topic}:${p.partition}`) ?? null });
            }
          }
          return rows;
        })(),
        timeoutMs,
      );
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const connecting = this.connectedProducer();
    const producer = await connecting;
    try {
      await producer.send({ topic, acks: -1, messages });
    } catch (error) {
      // A fresh producer gets a fresh producer id, so sequence numbers left over from a broker
      // outage can never wedge publishing; the relay simply tries again.
      this.discardProducer(connecting);
      throw error;
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const tuning: ConsumerTuning = { sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 1000, ...this.opts.consumer };
    const subscription = new KafkaSubscription(this.kafka, options, tuning, this.logger);
    this.subscriptions.add(subscription);
    if (options.waitForJoin === false) {
      // Connects (and keeps reconnecting) in the background.
      void subscription.start();
    } else {
      await subscription.start();
    }
    if (options.waitForJoin !== false && !(await settlesWithin(subscription.joined, this.opts.joinTimeoutMs ?? 30_000))) {
      this.logger.warn({ groupId: options.groupId }, 'Kafka consumer has not joined its group yet; it keeps trying');
    }
    return {
      state: () => subscription.state,
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  }

  private connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const connecting = (async () => {
      const producer = this.quick.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      try {
        await producer.connect();
      } catch (error) {
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      return producer;
    })();
    this.producer = connecting;
    connecting.catch(() => this.discardProducer(connecting));
    return connecting;
  }

  private discardProducer(connecting: Promise<Producer>): void {
    if (this.producer === connecting) this.producer = undefined;
    connecting.then((p) => p.disconnect()).catch(() => undefined);
  }
}

const RETRIABLE_METADATA = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_CONTROLLER']);

/** Polls the metadata until every partition of every topic has a leader; a fresh broker needs a moment. */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  let lastProblem = 'no metadata yet';
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = topics.filter((topic) => {
        const partitions = metadata.find((m) => m.name === topic)?.partitions ?? [];
        return partitions.length === 0 || partitions.some((p) => p.partitionErrorCode !== 0 || p.leader < 0);
      });
      if (leaderless.length === 0) return;
      lastProblem = `no leader yet for ${leaderless.join(', ')}`;
    } catch (error) {
      const e = error as { type?: string; retriable?: boolean; message?: string };
      if (!(e.retriable || (e.type && RETRIABLE_METADATA.has(e.type)))) throw error;
      lastProblem = e.message ?? String(error);
    }
    if (Date.now() + delay > deadline) throw new Error(`Kafka topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms: ${lastProblem}`);
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  work.catch(() => undefined); // a late failure after the timeout is not news
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
