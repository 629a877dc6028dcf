import pino from 'pino';
import { issueClientToken, Principal } from '@ap/auth';
import { createGateway, RunningGateway } from '../src';
import { startTestSubgraphs, TestSubgraph } from './subgraphs';

const school: Principal = { userId: 'sam', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } };

let directory: TestSubgraph;
let referral: TestSubgraph;
let gateway: RunningGateway;
let token: string;
const lines: Record<string, any>[] = [];

beforeAll(async () => {
  let supergraphSdl: string;
  ({ directory, referral, supergraphSdl } = await startTestSubgraphs());
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  gateway = await createGateway({
    supergraphSdl,
    subgraphUrls: { directory: directory.url, referral: referral.url },
    port: 0,
    logger,
    limits: { maxBodyBytes: 1024 },
  });
  token = await issueClientToken(school);
});

afterAll(async () => {
  await gateway?.stop();
  await directory?.stop();
  await referral?.stop();
});

/** The access log lines written while fn ran. */
async function logged(fn: () => Promise<unknown>): Promise<Record<string, any>[]> {
  lines.length = 0;
  await fn();
  return lines.filter((l) => l.msg === 'graphql request');
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the gateway access log and refusal metrics', () => {
  it('logs one line per GraphQL request with the user, operation and status', async () => {
    const log = await logged(() => post({ query: 'query Mine { referrals { id } }' }, { authorization: `Bearer ${token}` }));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'POST', path: '/graphql', status: 200, userId: 'sam', role: 'SCHOOL_USER', operationType: 'query', operationName: 'Mine' });
    expect(log[0].durationMs).toBeGreaterThan(0);
    expect(log[0].errorCodes).toBeUndefined();
  });

  it('logs and counts refusals made before Apollo: no token, too large, wrong method', async () => {
    const [unauthenticated] = await logged(() => post({ query: '{ referrals { id } }' }));
    expect(unauthenticated).toMatchObject({ status: 401, errorCodes: ['UNAUTHENTICATED'] });
    expect(unauthenticated.userId).toBeUndefined();

    const [tooLarge] = await logged(() => post({ query: '{ referrals { id } }', variables: { pad: 'x'.repeat(2048) } }, { authorization: `Bearer ${token}` }));
    expect(tooLarge).toMatchObject({ status: 413, userId: 'sam', errorCodes: ['BAD_REQUEST'] });

    let allow: string | null = null;
    const [wrongMethod] = await logged(async () => {
      allow = (await fetch(gateway.url, { method: 'PUT', headers: { authorization: `Bearer ${token}` } })).headers.get('allow');
    });
    expect(allow).toBe('GET, POST');
    expect(wrongMethod).toMatchObject({ method: 'PUT', status: 405, errorCodes: ['BAD_REQUEST'] });
  });

  it('logs and counts what Apollo refuses before its plugins run (CSRF)', async () => {
    const before = await errorCount('BAD_REQUEST');
    const [csrf] = await logged(() => fetch(`${gateway.url}?query=${encodeURIComponent('{ referrals { id } }')}`, { headers: { authorization: `Bearer ${token}` } }));
    expect(csrf).toMatchObject({ method: 'GET', status: 400, userId: 'sam', errorCodes: ['BAD_REQUEST'] });
    expect(await errorCount('BAD_REQUEST')).toBe(before + 1);
  });

  it('does not log health checks as GraphQL requests', async () => {
    expect(await logged(() => fetch(gateway.url.replace(/\/graphql$/, '/healthz')))).toEqual([]);
  });
});

async function errorCount(code: string): Promise<number> {
  const text = await (await fetch(gateway.metricsUrl)).text();
  return Number(new RegExp(`^gateway_graphql_errors_total\\{code="${code}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}
