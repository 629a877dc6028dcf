import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { Counter } from 'prom-client';
import { Logger } from '@ap/logger';
import { continueTrace, parseTraceparent, toTraceId } from '@ap/tracing';
import type { DeliveredMessage, EventBus, Subscription, SubscriptionState } from './bus';
import { validateEnvelope, validateEvent } from './contracts';
import type { EventEnvelope, EventOf } from './envelope';
import type { EventType } from './payloads';
import { deadLetterTopicFor } from './topics';

/** Applies one event of type T inside the consumer's transaction; it receives T's payload type. */
export type EventHandler<T extends EventType = EventType> = (event: EventOf<T>, manager: EntityManager) => Promise<void>;

/** Handlers keyed by event type: a key that is not an EventType, or a handler for another type's payload, does not compile. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export interface ConsumerOptions {
  dataSource: DataSource;
  bus: EventBus;
  logger: Logger;
  /** This consumer's name in processed_events, e.g. 'placement'. */
  consumer: string;
  groupId: string;
  topics: string[];
  /** By event type; types without a handler are skipped. */
  handlers: EventHandlers;
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Whether `started` waits for the group join; default false (launchConsumer), true (startConsumer). */
  waitForJoin?: boolean;
  /** Counts each event handled (events_consumed_total), when given. */
  consumed?: Counter<'type' | 'outcome'>;
}

type Parsed = { event: EventEnvelope } | { problem: string };

function parse(value: string | null): Parsed {
  if (value === null) return { problem: 'message has no value' };
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch (e) {
    return { problem: `message is not JSON: ${(e as Error).message}` };
  }
  const shape = validateEnvelope(data);
  return shape.ok ? { event: data as EventEnvelope } : { problem: `not an event envelope: ${shape.errors.join('; ')}` };
}

export interface RunningConsumer extends Subscription {
  /** Settles once the topics exist and the consumer is subscribed (joined too, when waitForJoin). */
  started: Promise<void>;
  state(): SubscriptionState;
  /** Why the topics could not be created yet, while that is so. */
  lastError(): string | undefined;
}

const MAX_TOPIC_RETRY_MS = 15_000;

/**
 * Applies each event at most once: the handler's changes and the processed_events row commit in
 * one transaction, and only then is the offset committed, so a redelivery finds the row and is
 * skipped. A message that cannot be applied goes to the dead-letter topic so the rest can flow.
 *
 * Returns at once: creating the topics and joining the group go on in the background, retried
 * with back-off, so a service starts and serves while Kafka is down or still electing leaders.
 */
export function launchConsumer(opts: ConsumerOptions): RunningConsumer {
  const { bus, logger, consumer, groupId, topics, handlers } = opts;
  const maxAttempts = opts.maxAttempts ?? 5;
  const retryDelayMs = opts.retryDelayMs ?? 200;
  const log = logger.child({ consumer, groupId });

  const deadLetter = async (message: DeliveredMessage, reason: string, attempts: number, type = 'unknown') => {
    opts.consumed?.inc({ type, outcome: 'dead_lettered' });
    log.error({ topic: message.topic, offset: message.offset, reason, attempts }, 'event sent to the dead-letter topic');
    await bus.publish(deadLetterTopicFor(message.topic), [
      {
        key: message.key ?? '',
        value: message.value ?? '',
        headers: {
          ...message.headers,
          'x-error': reason.slice(0, 2000),
          'x-original-topic': message.topic,
          'x-original-partition': String(message.partition),
          'x-original-offset': message.offset,
          'x-attempts': String(attempts),
          'x-consumer': consumer,
        },
      },
    ]);
  };

  /** True if applied now, false if this consumer had already applied it. */
  const applyOnce = (event: EventOf<EventType>, handler: EventHandler) =>
    opts.dataSource.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        `INSERT INTO processed_events (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id, consumer],
      );
      if (claimed.length === 0) return false;
      await handler(event, manager);
      return true;
    });

  const handle = async (message: DeliveredMessage): Promise<void> => {
    const parsed = parse(message.value);
    if ('problem' in parsed) return deadLetter(message, parsed.problem, 0);
    const { event } = parsed;
    const handler = (handlers as Partial<Record<string, EventHandler>>)[event.type];
    if (!handler) return;
    const contract = validateEvent(event);
    if (!contract.ok) return deadLetter(message, `breaks its contract: ${contract.errors.join('; ')}`, 0, event.type);
    // Its type has a handler and its payload passed that type's contract.
    const known = event as EventOf<EventType>;

    // The consumer's span continues the producer's (the envelope's traceparent); an older event
    // without one keeps its trace id.
    const traceId = toTraceId(event.traceId);
    const parent = parseTraceparent(event.traceparent) ?? (traceId ? { traceId } : undefined);
    const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': message.topic, 'messaging.message.id': event.id, 'messaging.consumer.group.name': groupId };
    await continueTrace(`${consumer} process ${event.type}`, { service: consumer, kind: 'consumer', parent, attributes }, async () => {
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
          const applied = await applyOnce(known, handler);
          log.info({ eventId: event.id, type: event.type, applied }, applied ? 'event applied' : 'event already applied; skipped');
          opts.consumed?.inc({ type: event.type, outcome: applied ? 'applied' : 'duplicate' });
          return;
        } catch (error) {
          lastError = error;
          log.warn({ err: error, eventId: event.id, type: event.type, attempt }, 'event handler failed');
          if (attempt < maxAttempts) await sleep(retryDelayMs);
        }
      }
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      await deadLetter(message, reason, maxAttempts, event.type);
    });
  };

  const ownTopics = [...topics, ...topics.map(deadLetterTopicFor)];
  let stopped = false;
  let subscription: Subscription | undefined;
  let lastError: string | undefined;
  const stopping = new AbortController();
  const started = (async () => {
    // Created here rather than left to chance (the broker does not auto-create topics), and
    // retried: Kafka may be down, slow or still electing leaders when the service starts.
    for (let delay = 500; !stopped; delay = Math.min(delay * 2, MAX_TOPIC_RETRY_MS)) {
      try {
        await bus.ensureTopics(ownTopics);
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        log.warn({ err: error, retryInMs: delay }, 'could not create the topics to consume yet; trying again');
        await sleep(delay, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
    if (stopped) return;
    subscription = await bus.subscribe({ groupId, topics, handle, waitForJoin: opts.waitForJoin ?? false });
  })();

  return {
    started,
    state: () => (stopped ? 'stopped' : !subscription ? 'connecting' : (subscription.state?.() ?? 'consuming')),
    lastError: () => lastError,
    async stop() {
      stopped = true;
      stopping.abort();
      await started.catch(() => undefined);
      await subscription?.stop();
    },
  };
}

/**
 * Starts a consumer and waits until it has joined its group (within the bus's join timeout),
 * for tests and tools that must not publish before it listens. Services use launchConsumer.
 */
export async function startConsumer(opts: ConsumerOptions): Promise<RunningConsumer> {
  const consumer = launchConsumer({ waitForJoin: true, ...opts });
  await consumer.started;
  return consumer;
}
