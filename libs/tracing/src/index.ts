export { formatTraceparent, isTraceId, newSpanId, newTraceId, parseTraceparent, toTraceId, traceFromHeaders } from './context';
export type { TraceParent } from './context';
export { continueTrace, currentTraceparent, flushTracing, otlpEndpoint, startTracing, stopTracing, tracingEnabled } from './tracing';
export type { ContinueTraceOptions, SpanHandle, SpanKindName, TracingOptions } from './tracing';
