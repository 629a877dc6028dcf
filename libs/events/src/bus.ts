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

/** Where a consumer is: joining for the first time, consuming, or rejoining after losing the broker. */
export type SubscriptionState = 'connecting' | 'consuming' | 'reconnecting' | 'stopped';

export interface Subscription {
  stop(): Promise<void>;
  /** For /readyz; a bus that cannot tell leaves it out. */
  state?(): SubscriptionState;
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** Resolving commits the message's offset; throwing gets it delivered again. */
  handle(message: DeliveredMessage): Promise<void>;
  /**
   * Several consecutive messages of one partition at once, in order (a bus that fetches in batches
   * calls this when given it, else handle for each). Resolving commits them all; throwing gets them
   * all delivered again.
   */
  handleBatch?(messages: DeliveredMessage[]): Promise<void>;
  /** Default true: subscribe resolves once the group is joined (or a timeout passes). False: at once; it connects in the background. */
  waitForJoin?: boolean;
}

/** Whether the broker answered just now. */
export interface BrokerProbe {
  up: boolean;
  error?: string;
}

/** One partition's offsets: the oldest kept, the next to be written, and the group's committed one (null when none). */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  low: number;
  high: number;
  committed: number | null;
}

export interface EventBus {
  /** Creates the topics that do not exist yet; safe to call again. */
  ensureTopics(topics: string[]): Promise<void>;
  /** Resolves once the broker has acknowledged every message (in order). */
  publish(topic: string, messages: BusMessage[]): Promise<void>;
  /** Resolves once the consumer has joined its group, unless told not to wait. */
  subscribe(opts: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
  /** For /readyz: asks the broker whether it answers (cached briefly); a bus that cannot tell leaves it out. */
  probe?(): Promise<BrokerProbe>;
  /** For /metrics (consumer lag, dead-letter topic size): each partition's offsets, and groupId's committed ones when given. */
  offsets?(topics: string[], groupId?: string): Promise<PartitionOffsets[]>;
}
