/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) as plain functions: the `traceparent`
 * header's parts, and the trace id our logs, access logs and events carry, which is the trace's id.
 */
import { randomBytes } from 'node:crypto';

export interface TraceParent {
  /** 32 lower-case hex digits, not all zero. */
  traceId: string;
  /** 16 lower-case hex digits, not all zero: the caller's span. */
  spanId: string;
  /** Whether the caller records this trace (its spans are exported). */
  sampled: boolean;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const allZero = (hex: string) => /^0+$/.test(hex);

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

export function isTraceId(value: unknown): boolean {
  return typeof value === 'string' && TRACE_ID.test(value) && !allZero(value);
}

/**
 * A trace id from what a client or an older event carried: a W3C trace id as it is, a UUID (our
 * trace ids before OpenTelemetry) as its 32 hex digits; anything else is not a trace id.
 */
export function toTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  if (isTraceId(lower)) return lower;
  if (UUID.test(lower)) {
    const hex = lower.replace(/-/g, '');
    return allZero(hex) ? undefined : hex;
  }
  return undefined;
}

/** Reads a traceparent header (version 00, or a later one read as 00, as the spec says); undefined when malformed. */
export function parseTraceparent(value: unknown): TraceParent | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (allZero(traceId) || allZero(spanId) || !SPAN_ID.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent({ traceId, spanId, sampled }: TraceParent): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/**
 * The caller's trace from request headers: `traceparent` first, else an `x-trace-id` that is a
 * trace id (or a UUID); undefined when neither is (the request starts a trace of its own).
 */
export function traceFromHeaders(headers: Record<string, string | string[] | undefined>): TraceParent | { traceId: string; spanId?: undefined; sampled?: undefined } | undefined {
  const parent = parseTraceparent(headers.traceparent);
  if (parent) return parent;
  const traceId = toTraceId(headers['x-trace-id']);
  return traceId ? { traceId } : undefined;
}
