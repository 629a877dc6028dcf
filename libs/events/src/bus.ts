/**
 * The little the event library needs from a broker, so the Kafka client can be swapped
 * (or faked in a unit test) without touching the outbox, relay or consumers.
 */
export interface BusMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface DeliveredMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** Resolving commits the message's offset; throwing gets it delivered again. */
  handle(message: DeliveredMessage): Promise<void>;
}

export interface EventBus {
  /** Creates the topics that do not exist yet; safe to call again. */
  ensureTopics(topics: string[]): Promise<void>;
  /** Resolves once the broker has acknowledged every message (in order). */
  publish(topic: string, messages: BusMessage[]): Promise<void>;
  /** Resolves once the consumer has joined its group. */
  subscribe(opts: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}
