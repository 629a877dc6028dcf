import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createLogger } from '@ap/logger';
import { eventually } from '@ap/testing';
import { flushTracing, stopTracing } from '@ap/tracing';
import { cast, referPupil } from './flow';
import { startStack, Stack } from './stack';

jest.setTimeout(90_000);

interface LogLine {
  service: string;
  msg: string;
  traceId?: string;
  [key: string]: unknown;
}

interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
}

/** An OTLP/HTTP receiver on 127.0.0.1, in the test: it keeps every span the services export (JSON encoding). */
function otlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const { resourceSpans = [] } = JSON.parse(body) as { resourceSpans?: any[] };
        for (const rs of resourceSpans) {
          const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue;
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) spans.push({ service, name: s.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, kind: s.kind });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return {
    spans,
    start: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * One request's trace across the platform: its trace id in the gateway's access log, in two
 * subgraphs' request logs and in the log of the consumer that applied the event it caused; and,
 * exported with OTLP, the spans of the gateway, both subgraphs and the consumer in one trace,
 * each under its caller's span (the consumer's under the write's, through the event envelope).
 */
describe('traces across the gateway, the subgraphs and Kafka', () => {
  const receiver = otlpReceiver();
  const lines: LogLine[] = [];
  // Every service logs into this list (JSON lines, as on stdout).
  const sink = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
  let stack: Stack;

  beforeAll(async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = await receiver.start();
    stack = await startStack({ logger: (name) => createLogger(name, { destination: sink, level: 'info' }) });
  });
  afterAll(async () => {
    await stack?.stop();
    await stopTracing();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    await receiver.stop();
  });

  it("keeps one trace id from the gateway's request to the consumer of its event", async () => {
    const url = stack.gateway.url;
    const people = await cast();
    const story = await referPupil(url, people);

    // The one request: the referral subgraph accepts, the directory subgraph resolves the provider's name.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${story.providerToken}` },
      body: JSON.stringify({ query: `mutation($id: ID!) { acceptReferral(id: $id) { status pupil { upn } provider { name } } }`, variables: { id: story.referralId } }),
    });
    expect(await res.json()).toEqual({ data: { acceptReferral: { status: 'ACCEPTED', pupil: { upn: expect.any(String) }, provider: { name: story.providerName } } } });
    const traceId = res.headers.get('x-trace-id')!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // The placement service plans the placement from referral.accepted, in the same trace.
    const inTrace = await eventually(async () => {
      const mine = lines.filter((l) => l.traceId === traceId);
      expect(mine.some((l) => l.service === 'placement' && l.msg === 'event applied' && l.type === 'referral.accepted')).toBe(true);
      return mine;
    });
    const said = (service: string, msg: string) => inTrace.filter((l) => l.service === service && l.msg === msg);
    expect(said('gateway', 'graphql request')).toEqual([expect.objectContaining({ status: 200, operationType: 'mutation' })]);
    expect(said('referral', 'graphql request served')).toEqual([expect.objectContaining({ status: 200, role: 'PROVIDER_USER' })]);
    expect(said('directory', 'graphql request served')).toEqual([expect.objectContaining({ status: 200 })]);
    // The read of the pupil's UPN is in the pupil access log under the same trace id.
    const reads = await stack.services.referral.dataSource.query(`SELECT trace_id FROM pupil_access_log WHERE pupil_id = $1`, [story.pupilId]);
    expect(reads.map((r: { trace_id: string }) => r.trace_id)).toContain(traceId);
    // Nothing else in the story shares it: each request began a trace of its own.
    // (placement and outcomes both consume referral.accepted.)
    expect(new Set(inTrace.map((l) => l.service))).toEqual(new Set(['gateway', 'referral', 'directory', 'placement', 'outcomes']));
    expect(lines.filter((l) => l.msg === 'graphql request').length).toBeGreaterThan(1);

    await flushTracing();
    const spans = await eventually(async () => {
      const found = receiver.spans.filter((s) => s.traceId === traceId);
      expect(found.some((s) => s.service === 'placement' && s.name === 'placement process referral.accepted')).toBe(true);
      return found;
    });
    const server = (service: string) => spans.filter((s) => s.service === service && s.name === 'POST /graphql');
    const [gateway] = server('gateway');
    const [referral] = server('referral');
    const [directory] = server('directory');
    const consumer = spans.find((s) => s.name === 'placement process referral.accepted')!;
    expect([gateway, referral, directory, consumer].every(Boolean)).toBe(true);
    // The gateway's span began the trace; each subgraph's is under a span of the gateway's request
    // (Apollo's gateway.fetch), and the consumer's is under the referral request that wrote the event.
    expect(gateway.parentSpanId).toBeUndefined();
    const ids = new Set(spans.map((s) => s.spanId));
    expect(ids.has(referral.parentSpanId!)).toBe(true);
    expect(ids.has(directory.parentSpanId!)).toBe(true);
    expect(spans.find((s) => s.spanId === referral.parentSpanId)!.name).toBe('gateway.fetch');
    expect(consumer.parentSpanId).toBe(referral.spanId);
  });
});
