import { randomUUID } from 'node:crypto';
import { currentTraceId } from '@ap/logger';

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
  traceId: string;
}

export interface NewEvent<P> {
  type: string;
  version?: number;
  producer: string;
  key: string;
  payload: P;
  traceId?: string;
}

export function newEvent<P>({ type, version = 1, producer, key, payload, traceId }: NewEvent<P>): EventEnvelope<P> {
  return {
    id: randomUUID(),
    type,
    version,
    occurredAt: new Date().toISOString(),
    producer,
    key,
    payload,
    // The request's trace follows the event into every consumer's logs.
    traceId: traceId ?? currentTraceId() ?? randomUUID(),
  };
}
