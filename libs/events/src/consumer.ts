import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { withTrace, Logger } from '@ap/logger';
import type { DeliveredMessage, EventBus, Subscription } from './bus';
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

/**
 * Applies each event at most once: the handler's changes and the processed_events row commit in
 * one transaction, and only then is the offset committed, so a redelivery finds the row and is
 * skipped. A message that cannot be applied goes to the dead-letter topic so the rest can flow.
 */
export async function startConsumer(opts: ConsumerOptions): Promise<Subscription> {
  const { bus, logger, consumer, groupId, topics, handlers } = opts;
  const maxAttempts = opts.maxAttempts ?? 5;
  const retryDelayMs = opts.retryDelayMs ?? 200;
  const log = logger.child({ consumer, groupId });

  const deadLetter = async (message: DeliveredMessage, reason: string, attempts: number) => {
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
    if (!contract.ok) return deadLetter(message, `breaks its contract: ${contract.errors.join('; ')}`, 0);
    // Its type has a handler and its payload passed that type's contract.
    const known = event as EventOf<EventType>;

    await withTrace(event.traceId, async () => {
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
          const applied = await applyOnce(known, handler);
          log.info({ eventId: event.id, type: event.type, applied }, applied ? 'event applied' : 'event already applied; skipped');
          return;
        } catch (error) {
          lastError = error;
          log.warn({ err: error, eventId: event.id, type: event.type, attempt }, 'event handler failed');
          if (attempt < maxAttempts) await sleep(retryDelayMs);
        }
      }
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      await deadLetter(message, reason, maxAttempts);
    });
  };

  // Created here rather than left to chance: the broker does not auto-create topics.
  await bus.ensureTopics([...topics, ...topics.map(deadLetterTopicFor)]);
  return bus.subscribe({ groupId, topics, handle });
}
