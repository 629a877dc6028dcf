import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import type { Logger } from '@ap/logger';
import type { SubscribeOptions, SubscriptionState } from './bus';

export interface ConsumerTuning {
  sessionTimeout: number;
  heartbeatInterval: number;
  maxWaitTimeInMs: number;
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value : [value]).map(String).join(',');
  }
  return out;
}

const MAX_RESTART_DELAY_MS = 15_000;
/** Messages handed over at once to handleBatch. */
const HANDOVER_SLICE = 100;

/**
 * One consumer group member that keeps itself alive: KafkaJS restarts a consumer by itself
 * after retriable errors but gives up after any other, and a service that silently stops
 * consuming is worse than one that retries, so we then start a fresh consumer.
 */
export class KafkaSubscription {
  private consumer?: Consumer;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private restarts = 0;
  /** Read by /readyz through the bus's Subscription. */
  state: SubscriptionState = 'connecting';
  private markJoined!: () => void;
  /** Settles the first time the consumer joins its group (or when stopped first). */
  readonly joined = new Promise<void>((resolve) => (this.markJoined = resolve));

  constructor(
    private readonly kafka: Kafka,
    private readonly opts: SubscribeOptions,
    private readonly tuning: ConsumerTuning,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const { groupId, topics } = this.opts;
    const consumer = this.kafka.consumer({
      groupId,
      ...this.tuning,
      // KafkaJS restarts a crashed consumer on its own timer; a consumer crashing while we stop it
      // would otherwise be restarted after stop() and live on with nobody to stop it.
      retry: { restartOnFailure: async () => !this.stopped },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.restarts = 0;
      if (!this.stopped) this.state = 'consuming';
      this.markJoined();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!this.stopped) this.state = 'reconnecting';
      if (!payload.restart) this.restartLater(payload.error);
    });
    try {
      await consumer.connect();
      // New groups start at the beginning, so nothing published before the first deploy is missed.
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.deliver(consumer, payload) });
    } catch (error) {
      if (!this.stopped && this.state === 'consuming') this.state = 'reconnecting';
      await consumer.disconnect().catch(() => undefined);
      this.restartLater(error);
    }
  }

  /**
   * Hands over the messages of a fetched batch in order (to handleBatch, in slices, when given), then commits the offset after the last
   * one handled: one commit per batch instead of a broker round trip per message. Committed only
   * once handled: if we die before the commit, those messages are delivered again and the
   * consumer's processed_events skips them (each is applied at most once either way).
   */
  private async deliver(consumer: Consumer, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    let handled: string | undefined;
    try {
      // In slices, so a long fetch still heartbeats and commits as it goes.
      for (let i = 0; i < batch.messages.length; i += HANDOVER_SLICE) {
        if (!isRunning() || isStale()) break;
        const slice = batch.messages.slice(i, i + HANDOVER_SLICE).map((message) => ({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: stringHeaders(message.headers),
        }));
        if (this.opts.handleBatch) await this.opts.handleBatch(slice);
        else for (const message of slice) await this.opts.handle(message);
        const last = slice[slice.length - 1].offset;
        resolveOffset(last);
        handled = last;
        await heartbeat();
      }
    } finally {
      // Also when a message failed: what was handled before it is not handed over again.
      if (handled !== undefined && !isStale()) await consumer.commitOffsets([{ topic, partition, offset: (BigInt(handled) + 1n).toString() }]);
    }
  }

  private restartLater(error: unknown): void {
    if (this.stopped || this.restartTimer) return;
    const delay = Math.min(500 * 2 ** this.restarts, MAX_RESTART_DELAY_MS);
    this.restarts += 1;
    this.logger.error({ err: error, groupId: this.opts.groupId, delay }, 'Kafka consumer stopped; starting a fresh one');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.start();
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    clearTimeout(this.restartTimer);
    this.markJoined();
    // Waits for the message in hand to finish, then leaves the group.
    await this.consumer?.disconnect();
  }
}
