import { currentTraceId } from '@ap/logger';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { parseTraceparent } from './context';
import { continueTrace, currentTraceparent, flushTracing, startTracing, stopTracing, tracingEnabled } from './tracing';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

describe('tracing off (no OTLP endpoint)', () => {
  it('starts nothing, and still gives the logs the caller’s trace id or a new one', async () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    expect(startTracing('directory')).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const seen = await continueTrace('GET /graphql', { service: 'directory', kind: 'server', parent: { traceId: T, spanId: S, sampled: true } }, async (span) => ({
      span: span.traceId,
      logs: currentTraceId(),
      onward: parseTraceparent(currentTraceparent()),
    }));
    expect(seen).toEqual({ span: T, logs: T, onward: { traceId: T, spanId: expect.stringMatching(/^[0-9a-f]{16}$/), sampled: false } });
    const fresh = await continueTrace('consume', { service: 'directory', kind: 'consumer' }, async () => currentTraceId());
    expect(fresh).toMatch(/^[0-9a-f]{32}$/);
    expect(currentTraceparent()).toBeUndefined();
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    expect(startTracing('gateway', { exporter })).toBe(true);
    expect(startTracing('referral', { exporter })).toBe(true);
  });
  afterAll(() => stopTracing());

  it('records a server span under the caller’s span, a consumer span under what it sent on, one trace id in the logs throughout', async () => {
    exporter.reset();
    let sent: string | undefined;
    await continueTrace('POST /graphql', { service: 'gateway', kind: 'server', parent: { traceId: T, spanId: S, sampled: true } }, async (span) => {
      expect(span.traceId).toBe(T);
      expect(currentTraceId()).toBe(T);
      sent = currentTraceparent();
      span.setAttributes({ 'http.response.status_code': 200 });
    });
    const consumed = await continueTrace('referral consume x', { service: 'referral', kind: 'consumer', parent: parseTraceparent(sent) }, async () => currentTraceId());
    expect(consumed).toBe(T);
    await flushTracing();
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'POST /graphql')!;
    const consumer = spans.find((s) => s.name === 'referral consume x')!;
    expect(server.spanContext().traceId).toBe(T);
    expect(server.parentSpanContext?.spanId).toBe(S);
    expect(server.attributes['http.response.status_code']).toBe(200);
    expect(server.resource.attributes['service.name']).toBe('gateway');
    expect(consumer.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(consumer.resource.attributes['service.name']).toBe('referral');
  });

  it('records no span when told not to (health probes), yet sets the logs’ trace id', async () => {
    exporter.reset();
    const logged = await continueTrace('GET /healthz', { service: 'gateway', kind: 'server', parent: { traceId: T }, record: false }, async () => currentTraceId());
    expect(logged).toBe(T);
    await flushTracing();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('keeps a trace id known without its span, and marks a span that threw as failed', async () => {
    exporter.reset();
    await expect(
      continueTrace('consume y', { service: 'referral', kind: 'consumer', parent: { traceId: T } }, async () => {
        throw new Error('handler broke');
      }),
    ).rejects.toThrow('handler broke');
    await flushTracing();
    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().traceId).toBe(T);
    expect(span.status).toMatchObject({ code: 2, message: 'handler broke' });
  });
});
