import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApClientError, createApClient, ProviderOutcomesDocument, StartPlacementDocument } from './index';

/** A real HTTP server on 127.0.0.1 that records each request and answers what the test says. */
function fakeGateway() {
  const seen: { headers: IncomingMessage['headers']; body: any }[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  return {
    seen,
    answer: (status: number, body: unknown) => (answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    start: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`))),
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe('createApClient', () => {
  const gateway = fakeGateway();
  let url: string;
  beforeAll(async () => (url = await gateway.start()));
  afterAll(() => gateway.stop());
  beforeEach(() => (gateway.seen.length = 0));

  it('posts the printed operation with its variables and bearer token, and returns the data', async () => {
    gateway.answer(200, { data: { providerOutcomes: { providerId: 'p1', placementsStarted: 2, placementsReintegrated: 1, provider: null } } });
    const client = createApClient({ url, token: 'tok-1' });
    const data = await client.request(ProviderOutcomesDocument, { providerId: 'p1' });
    expect(data.providerOutcomes?.placementsStarted).toBe(2);
    const [{ headers, body }] = gateway.seen;
    expect(headers.authorization).toBe('Bearer tok-1');
    expect(headers['content-type']).toBe('application/json');
    expect(body.variables).toEqual({ providerId: 'p1' });
    expect(body.query).toMatch(/^query ProviderOutcomes\(\$providerId: ID!\) \{\n  providerOutcomes\(providerId: \$providerId\)/);
  });

  it('asks a token function before each request, and sends an idempotency key when given', async () => {
    gateway.answer(200, { data: { startPlacement: { id: 'x', status: 'ACTIVE', startDate: '2026-11-25' } } });
    let n = 0;
    const client = createApClient({ url, token: async () => `tok-${++n}` });
    await client.request(StartPlacementDocument, { id: 'x' });
    await client.request(StartPlacementDocument, { id: 'x' }, { idempotencyKey: 'key-1' });
    expect(gateway.seen.map((s) => s.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(gateway.seen.map((s) => s.headers['idempotency-key'])).toEqual([undefined, 'key-1']);
  });

  it('throws ApClientError with the errors, their code and any partial data', async () => {
    gateway.answer(200, { data: { providerOutcomes: null }, errors: [{ message: 'Not yours', extensions: { code: 'FORBIDDEN' } }] });
    const failure = await createApClient({ url }).request(ProviderOutcomesDocument, { providerId: 'p1' }).catch((e) => e);
    expect(failure).toBeInstanceOf(ApClientError);
    expect(failure).toMatchObject({ message: 'Not yours', code: 'FORBIDDEN', status: 200, data: { providerOutcomes: null } });
    expect(gateway.seen[0].headers.authorization).toBeUndefined();
  });

  it('says so when the answer is not GraphQL at all', async () => {
    gateway.answer(502, 'Bad gateway');
    await expect(createApClient({ url }).request(ProviderOutcomesDocument, { providerId: 'p1' })).rejects.toMatchObject({
      message: 'The gateway answered HTTP 502 without a GraphQL body',
      status: 502,
    });
  });
});
