import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { Counter } from 'prom-client';
import { Logger, withTrace } from '@ap/logger';
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

  /** attemptsSoFar: attempts already made at this event (in a batch that failed on it). */
  const handle = async (message: DeliveredMessage, attemptsSoFar = 0, previousError?: unknown): Promise<void> => {
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
      let lastError: unknown = previousError;
      for (let attempt = attemptsSoFar + 1; attempt <= maxAttempts; attempt++) {
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

  /**
   * Applies consecutive events in one transaction: one claim of all their ids in processed_events,
   * then each handler in order (an event already claimed is skipped). If any handler fails, the
   * whole transaction rolls back and each goes through `handle` on its own, with its retries and
   * the dead-letter topic, exactly as if it had come alone.
   */
  const applyTogether = async (run: { message: DeliveredMessage; event: EventOf<EventType>; handler: EventHandler }[]): Promise<void> => {
    if (run.length === 1) return handle(run[0].message);
    let applied: Set<string>;
    let failedAt: number | undefined;
    try {
      applied = await opts.dataSource.transaction(async (manager) => {
        const rows: { event_id: string }[] = await manager.query(
          `INSERT INTO processed_events (event_id, consumer) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING RETURNING event_id`,
          [run.map((r) => r.event.id), consumer],
        );
        const claimed = new Set(rows.map((r) => r.event_id));
        const done = new Set<string>();
        for (const [i, { event, handler }] of run.entries()) {
          // The same event twice in one run is applied once.
          if (!claimed.has(event.id) || done.has(event.id)) continue;
          failedAt = i;
          await withTrace(toTraceId(event.traceId) ?? event.traceId, () => handler(event, manager));
          failedAt = undefined;
          done.add(event.id);
        }
        return done;
      });
    } catch (error) {
      // All rolled back. Those before the failing event go again together; it goes on its own, its
      // first attempt spent; those after it as a new batch. Without a failing handler (the claim
      // itself failed), each on its own.
      if (failedAt === undefined) {
        log.warn({ err: error, events: run.length }, 'a batch of events could not be applied together; applying them one by one');
        for (const { message } of run) await handle(message);
        return;
      }
      const { event } = run[failedAt];
      withTrace(event.traceId, () => log.warn({ err: error, eventId: event.id, type: event.type, attempt: 1 }, 'event handler failed'));
      if (failedAt > 0) await applyTogether(run.slice(0, failedAt));
      if (maxAttempts > 1) await sleep(retryDelayMs);
      await handle(run[failedAt].message, 1, error);
      if (failedAt + 1 < run.length) await applyTogether(run.slice(failedAt + 1));
      return;
    }
    for (const { event } of run) {
      withTrace(event.traceId, () =>
        log.info({ eventId: event.id, type: event.type, applied: applied.has(event.id) }, applied.has(event.id) ? 'event applied' : 'event already applied; skipped'),
      );
    }
  };

  /** A slice of one partition, in order: runs of ordinary events together, anything else (no handler, malformed, off-contract) on its own. */
  const handleBatch = async (messages: DeliveredMessage[]): Promise<void> => {
    let run: Parameters<typeof applyTogether>[0] = [];
    for (const message of messages) {
      const parsed = parse(message.value);
      const event = 'event' in parsed ? parsed.event : undefined;
      const handler = event && (handlers as Partial<Record<string, EventHandler>>)[event.type];
      if (event && handler && validateEvent(event).ok) {
        run.push({ message, event: event as EventOf<EventType>, handler });
        continue;
      }
      if (run.length) await applyTogether(run);
      run = [];
      await handle(message);
    }
    if (run.length) await applyTogether(run);
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
    subscription = await bus.subscribe({ groupId, topics, handle, handleBatch, waitForJoin: opts.waitForJoin ?? false });
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
