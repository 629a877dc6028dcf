import { randomUUID } from 'node:crypto';
import { currentTraceId } from '@ap/logger';
import { currentTraceparent, newTraceId, parseTraceparent } from '@ap/tracing';
import type { EventPayloads, EventType } from './payloads';

/** What travels on Kafka and sits in the outbox: one fact about one aggregate. */
export interface EventEnvelope<P = unknown> {
  id: string;
  /** aggregate.pastTenseVerb, e.g. 'referral.accepted'; consumers dispatch on it. */
  type: string;
  version: number;
  occurredAt: string;
  /** The producing service; also picks the topic. */
  producer: string;
  /** The aggregate's id and the Kafka message key, so one aggregate's events stay in order. */
  key: string;
  payload: P;
  /** The trace's id (W3C, 32 hex digits; a UUID in events made before OpenTelemetry), as in every log line. */
  traceId: string;
  /** W3C trace context of the write that made the event: the consumer's span continues it. Optional (older events lack it). */
  traceparent?: string;
}

/** The envelope of one known event type, its payload typed by EventPayloads. */
export type EventOf<T extends EventType> = EventEnvelope<EventPayloads[T]> & { type: T };

/** An event to be made: its type must be one of EventPayloads' and its payload that type's. */
export interface NewEvent<T extends EventType> {
  type: T;
  version?: number;
  producer: string;
  key: string;
  payload: EventPayloads[T];
  traceId?: string;
}

export function newEvent<T extends EventType>({ type, version = 1, producer, key, payload, traceId }: NewEvent<T>): EventOf<T> {
  const id = traceId ?? currentTraceId() ?? newTraceId();
  // Only the current trace's context: an event given another trace id does not claim this span.
  const traceparent = currentTraceparent();
  const sameTrace = traceparent !== undefined && parseTraceparent(traceparent)?.traceId === id;
  return {
    id: randomUUID(),
    type,
    version,
    occurredAt: new Date().toISOString(),
    producer,
    key,
    payload,
    // The request's trace follows the event into every consumer's logs and spans.
    traceId: id,
    ...(sameTrace ? { traceparent } : {}),
  };
}
