/**
 * OpenTelemetry, on only when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
 * is set: startTracing(service) then gives the service a tracer provider whose spans go to that
 * OTLP/HTTP endpoint in batches. Off, continueTrace only sets the trace id for the logs, as before:
 * no provider, no span objects, no context manager.
 *
 * Either way the trace id in every log line (libs/logger's withTrace), in the access logs and in
 * each event's envelope is the W3C trace id, carried by `traceparent` to the subgraphs and, in the
 * envelope, to the consumers; `x-trace-id` still answers it to clients.
 */
import { Attributes, context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { currentTraceId, withTrace } from '@ap/logger';
import { formatTraceparent, newSpanId, newTraceId, toTraceId, TraceParent } from './context';

/** One provider per service: one in a deployed process, several when the e2e harness runs them all in one. */
const providers = new Map<string, BasicTracerProvider>();
let contextManager: AsyncLocalStorageContextManager | undefined;

export function otlpEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
}

export interface TracingOptions {
  /** Where spans go; by default OTLP/HTTP to the endpoint in the environment (tests pass their own). */
  exporter?: SpanExporter;
}

/**
 * Starts tracing for a service when an OTLP endpoint is set (or an exporter given); returns whether
 * it is on. Safe to call again. The first service's provider is also the global one, which
 * @apollo/gateway's own spans (gateway.request, gateway.plan, gateway.fetch…) use.
 */
export function startTracing(service: string, options: TracingOptions = {}): boolean {
  if (providers.has(service)) return true;
  const endpoint = otlpEndpoint();
  const exporter = options.exporter ?? (endpoint ? new OTLPTraceExporter() : undefined);
  if (!exporter) return false;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.namespace': 'ap-pathways' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  providers.set(service, provider);
  if (!contextManager) {
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(provider);
  }
  return true;
}

export function tracingEnabled(): boolean {
  return providers.size > 0;
}

/** Sends the spans still batched (before a process stops, or before a test reads them). */
export async function flushTracing(): Promise<void> {
  await Promise.all([...providers.values()].map((p) => p.forceFlush()));
}

/** Flushes and stops every provider and unregisters the globals: tracing is off again. */
export async function stopTracing(): Promise<void> {
  const all = [...providers.values()];
  providers.clear();
  await Promise.all(all.map((p) => p.shutdown()));
  if (contextManager) {
    trace.disable();
    context.disable();
    contextManager = undefined;
  }
}

export type SpanKindName = 'server' | 'consumer' | 'producer' | 'client' | 'internal';
const KINDS: Record<SpanKindName, SpanKind> = {
  server: SpanKind.SERVER,
  consumer: SpanKind.CONSUMER,
  producer: SpanKind.PRODUCER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
};

/** What the code inside a span may tell it; a no-op when tracing is off. */
export interface SpanHandle {
  traceId: string;
  setAttributes(attributes: Attributes): void;
  /** Marks the span failed (an error answer that is not an exception). */
  fail(message: string): void;
}

export interface ContinueTraceOptions {
  /** The service whose provider records the span. */
  service: string;
  kind: SpanKindName;
  /** The caller's trace (a traceparent, or only a trace id); a new trace when none. */
  parent?: TraceParent | { traceId: string; spanId?: undefined; sampled?: undefined };
  attributes?: Attributes;
  /** False: no span, only the logs' trace id (health probes, which would drown the traces). Default true. */
  record?: boolean;
}

const noop = (traceId: string): SpanHandle => ({ traceId, setAttributes: () => undefined, fail: () => undefined });

/**
 * Runs fn as the start of this service's part of a trace (a request served, an event consumed):
 * a span whose parent is the caller's, and the logs' trace id set to the trace's id.
 */
export function continueTrace<T>(name: string, options: ContinueTraceOptions, fn: (span: SpanHandle) => Promise<T>): Promise<T> {
  const { parent } = options;
  const provider = options.record === false ? undefined : (providers.get(options.service) ?? (contextManager ? providers.values().next().value : undefined));
  if (!provider) {
    const traceId = parent?.traceId ?? newTraceId();
    return withTrace(traceId, () => fn(noop(traceId)));
  }
  // A parent known only by its trace id (an x-trace-id, an older event) keeps that trace id,
  // under a parent span id of its own that no exporter has seen.
  const parentContext = parent
    ? trace.setSpanContext(ROOT_CONTEXT, {
        traceId: parent.traceId,
        spanId: parent.spanId ?? newSpanId(),
        traceFlags: parent.sampled === false ? TraceFlags.NONE : TraceFlags.SAMPLED,
        isRemote: true,
      })
    : ROOT_CONTEXT;
  const tracer = provider.getTracer('@ap/tracing');
  return tracer.startActiveSpan(name, { kind: KINDS[options.kind], attributes: options.attributes }, parentContext, (span: Span) => {
    const traceId = span.spanContext().traceId;
    const handle: SpanHandle = {
      traceId,
      setAttributes: (attributes) => void span.setAttributes(attributes),
      fail: (message) => void span.setStatus({ code: SpanStatusCode.ERROR, message }),
    };
    return withTrace(traceId, async () => {
      try {
        return await fn(handle);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    });
  });
}

/**
 * The traceparent to send on (to a subgraph, in an event): the active span's when tracing is on;
 * otherwise the logs' trace id under a fresh span id, not sampled, so the next service keeps the
 * trace id; undefined outside any trace.
 */
export function currentTraceparent(): string | undefined {
  const active = contextManager ? trace.getActiveSpan()?.spanContext() : undefined;
  if (active && trace.isSpanContextValid(active)) {
    return formatTraceparent({ traceId: active.traceId, spanId: active.spanId, sampled: (active.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED });
  }
  const traceId = toTraceId(currentTraceId());
  return traceId ? formatTraceparent({ traceId, spanId: newSpanId(), sampled: false }) : undefined;
}
