import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

interface TraceScope {
  traceId: string;
}
const scope = new AsyncLocalStorage<TraceScope>();

/** Runs fn with a trace id that every log line inside it carries (request, event, relay batch). */
export function withTrace<T>(traceId: string | undefined, fn: () => T): T {
  return scope.run({ traceId: traceId || randomUUID() }, fn);
}

export function currentTraceId(): string | undefined {
  return scope.getStore()?.traceId;
}

/** JSON logs on stdout; the trace id is added to every line from the async context. */
export function createLogger(service: string): Logger {
  return pino({
    name: service,
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const traceId = currentTraceId();
      return traceId ? { traceId } : {};
    },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token'], censor: '[redacted]' },
  });
}
