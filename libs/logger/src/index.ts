import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

interface TraceScope {
  traceId: string;
}
const scope = new AsyncLocalStorage<TraceScope>();

/**
 * Runs fn with a trace id that every log line inside it carries (request, event, relay batch):
 * the OpenTelemetry trace's id (@ap/tracing sets it), or a new one of the same form (W3C: 32 hex digits).
 */
export function withTrace<T>(traceId: string | undefined, fn: () => T): T {
  return scope.run({ traceId: traceId || randomBytes(16).toString('hex') }, fn);
}

export function currentTraceId(): string | undefined {
  return scope.getStore()?.traceId;
}

export interface LoggerOptions {
  /** Where the JSON lines go; stdout by default (a test may collect them). */
  destination?: DestinationStream;
  /** Default LOG_LEVEL, or info (silent under jest). */
  level?: string;
}

/** JSON logs on stdout; the trace id is added to every line from the async context. */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const settings: pino.LoggerOptions = {
    name: service,
    level: options.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const traceId = currentTraceId();
      return traceId ? { traceId } : {};
    },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token'], censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
