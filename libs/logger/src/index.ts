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

/**
 * stdout, written in the background in chunks of up to 4 KB (and at least once a second), not
 * with a blocking write per line: a line per request sat on the gateway's hot path. pino flushes
 * it synchronously when the process exits (also after logger.fatal + process.exit); only a
 * SIGKILL can lose the last second.
 */
let stdout: ReturnType<typeof pino.destination> | undefined;
function sharedStdout() {
  if (!stdout) {
    const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    setInterval(() => destination.flush(), 1000).unref();
    stdout = destination;
  }
  return stdout;
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
  return options.destination ? pino(settings, options.destination) : pino(settings, sharedStdout());
}
