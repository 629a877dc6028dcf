import { Kafka, Partitioners, Producer, RetryOptions } from 'kafkajs';
import { kafkaBrokers } from '@ap/config';
import { createLogger, Logger } from '@ap/logger';
import type { BusMessage, EventBus, SubscribeOptions, Subscription } from './bus';
import { kafkaLogLevel, pinoLogCreator } from './kafka-log';
import { ConsumerTuning, KafkaSubscription } from './kafka-subscription';

export interface KafkaEventBusOptions {
  clientId: string;
  brokers?: string[];
  logger?: Logger;
  /** Reconnect back-off for consumers and admin; the default reconnects within ~5 s of the broker returning. */
  retry?: RetryOptions;
  /** Back-off for publishing; short, because the outbox relay keeps the events and tries again later. */
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
  /** Its own client: KafkaJS nests the client's reconnect retries inside each send's retries. */
  private readonly publishing: Kafka;
  private readonly logger: Logger;
  private producer?: Promise<Producer>;
  private readonly knownTopics = new Set<string>();
  private readonly subscriptions = new Set<KafkaSubscription>();

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
    this.publishing = client({ initialRetryTime: 200, maxRetryTime: 1000, retries: 2, ...opts.publishRetry });
  }

  async ensureTopics(topics: string[]): Promise<void> {
    const wanted = [...new Set(topics)].filter((t) => !this.knownTopics.has(t));
    if (wanted.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        // Returns false rather than failing when another service created them first.
        await admin.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: REPLICATION_FACTOR })),
          waitForLeaders: true,
        });
      }
      wanted.forEach((t) => this.knownTopics.add(t));
    } finally {
      await admin.disconnect();
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
    await subscription.start();
    if (!(await settlesWithin(subscription.joined, this.opts.joinTimeoutMs ?? 30_000))) {
      this.logger.warn({ groupId: options.groupId }, 'Kafka consumer has not joined its group yet; it keeps trying');
    }
    return {
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
      const producer = this.publishing.producer({
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

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
