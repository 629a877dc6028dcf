import { getIntrospectionQuery } from 'graphql';
import { issueClientToken, issueInternalToken, Principal } from '@ap/auth';
import { INTERNAL_MESSAGE } from '@ap/errors';
import { createGateway, RunningGateway } from '../src';
import { startTestSubgraphs, TestSubgraph } from './subgraphs';

const admin: Principal = { userId: 'alice', role: 'LA_ADMIN', org: { type: 'la', id: '865' } };
const school: Principal = { userId: 'sam', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } };

let directory: TestSubgraph;
let referral: TestSubgraph;
let gateway: RunningGateway;
let adminToken: string;
let schoolToken: string;

beforeAll(async () => {
  let supergraphSdl: string;
  ({ directory, referral, supergraphSdl } = await startTestSubgraphs());
  gateway = await createGateway({
    supergraphSdl,
    subgraphUrls: { directory: directory.url, referral: referral.url },
    port: 0,
    limits: { maxBodyBytes: 64 * 1024 },
  });
  adminToken = await issueClientToken(admin);
  schoolToken = await issueClientToken(school);
});

afterAll(async () => {
  await gateway?.stop();
  await directory?.stop();
  await referral?.stop();
});

interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(body: unknown, { token, url = gateway.url, headers = {} }: { token?: string; url?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as GraphQLBody };
}

describe('gateway', () => {
  it('refuses a request without a token with UNAUTHENTICATED and says how to sign in', async () => {
    const r = await post({ query: '{ referrals { id } }' });
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.body.errors?.[0].message).toMatch(/Authorization: Bearer/);
    const bad = await post({ query: '{ referrals { id } }' }, { token: `${adminToken}x` });
    expect(bad.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/signature is not valid/) });
  });

  it('joins data across both subgraphs through _entities', async () => {
    const r = await post({ query: '{ referrals { id reason school { urn name } } }' }, { token: schoolToken });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({
      referrals: [
        { id: 'r1', reason: 'Permanent exclusion', school: { urn: '100001', name: 'Hillside Primary' } },
        { id: 'r2', reason: 'Medical needs', school: { urn: '100002', name: 'Riverside Academy' } },
      ],
    });
    expect(r.headers.get('x-trace-id')).toBeTruthy();
  });

  it("sends each subgraph the client's principal in an internal token for that subgraph, with the trace id", async () => {
    directory.seen.length = 0;
    referral.seen.length = 0;
    const r = await post({ query: '{ referrals { school { name } } whoami { userId role org } }' }, { token: schoolToken, headers: { 'x-trace-id': 'trace-abc-123' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.whoami).toEqual({ userId: 'sam', role: 'SCHOOL_USER', org: 'school:100001' });
    expect(r.headers.get('x-trace-id')).toBe('trace-abc-123');
    for (const [subgraph, audience] of [
      [directory, 'subgraph:directory'],
      [referral, 'subgraph:referral'],
    ] as const) {
      expect(subgraph.seen.length).toBeGreaterThan(0);
      for (const seen of subgraph.seen) {
        expect(seen.context).toEqual({ principal: school, viaGateway: true, traceId: 'trace-abc-123' });
        expect(seen.token).toMatchObject({ aud: audience, iss: 'ap-pathways-gateway', sub: 'sam' });
        expect(seen.traceHeader).toBe('trace-abc-123');
      }
    }
  });

  it('keeps a subgraph’s public error and code', async () => {
    const r = await post({ query: '{ school(urn: "999999") { name } }' }, { token: schoolToken });
    expect(r.body.errors?.[0]).toEqual(expect.objectContaining({ message: 'School 999999 was not found', extensions: { code: 'NOT_FOUND' } }));
  });

  it('passes a subgraph’s FORBIDDEN through', async () => {
    const provider = await issueClientToken({ userId: 'pat', role: 'PROVIDER_USER', org: { type: 'provider', id: '0f8fad5b-d9cb-469f-a165-70867728950e' } });
    const r = await post({ query: '{ referrals { id } }' }, { token: provider });
    expect(r.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(r.body.errors?.[0].message).toMatch(/needs the role .* PROVIDER_USER/);
  });

  it('masks an internal error thrown in a subgraph as INTERNAL_SERVER_ERROR', async () => {
    const r = await post({ query: '{ boom }' }, { token: adminToken });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]).toMatchObject({ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(r.body)).not.toMatch(/db-secret-host|directory|stacktrace/);
  });

  it('refuses a direct call to a subgraph without an internal token', async () => {
    const r = await post({ query: '{ school(urn: "100001") { name } }' }, { url: directory.url, token: adminToken });
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/only accepts requests through the gateway/) });
    const none = await post({ query: '{ _service { sdl } }' }, { url: directory.url });
    expect(none.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(none.body.data).toBeUndefined();
  });

  it('refuses an internal token made for another subgraph', async () => {
    const forReferral = await issueInternalToken({ principal: admin, audience: 'referral', traceId: 't' });
    const r = await post({ query: '{ school(urn: "100001") { name } }' }, { url: directory.url, token: forReferral });
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/subgraph:directory/) });
    const forDirectory = await issueInternalToken({ principal: admin, audience: 'directory', traceId: 't' });
    const ok = await post({ query: '{ school(urn: "100001") { name } }' }, { url: directory.url, token: forDirectory });
    expect(ok.body.data).toEqual({ school: { name: 'Hillside Primary' } });
  });

  it('refuses a query deeper than the limit with BAD_USER_INPUT', async () => {
    // The test schema is shallow, so the 13-level query also fails field validation; the depth
    // rule measures the document regardless and reports its own BAD_USER_INPUT error.
    const nested = '{ referrals '.repeat(13) + '}'.repeat(13);
    const r = await post({ query: `query Deep ${nested}` }, { token: adminToken });
    expect(r.status).toBe(400);
    const limit = r.body.errors?.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
    expect(limit?.message).toMatch(/Operation Deep nests fields 13 levels deep; at most 12 are allowed/);
  });

  it('refuses a query selecting too many fields', async () => {
    const fragments = ['fragment F0 on School { urn name }'];
    for (let i = 1; i <= 11; i++) fragments.push(`fragment F${i} on School { ...F${i - 1} ...F${i - 1} }`);
    const r = await post({ query: `{ school(urn: "100001") { ...F11 } } ${fragments.join(' ')}` }, { token: adminToken });
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/selects 4097 fields/) });
  });

  it('refuses a batch with a clear 400', async () => {
    const r = await post([{ query: '{ referrals { id } }' }, { query: '{ referrals { id } }' }], { token: adminToken });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/Batched requests .* are not supported/) });
  });

  it('refuses a body over the size limit with 413', async () => {
    const r = await post({ query: '{ referrals { id } }', variables: { pad: 'x'.repeat(70 * 1024) } }, { token: adminToken });
    expect(r.status).toBe(413);
    expect(r.body.errors?.[0].message).toMatch(/larger than 65536 bytes/);
  });

  it('refuses introspection to a SCHOOL_USER and allows it to LA_ADMIN', async () => {
    const query = getIntrospectionQuery();
    const refused = await post({ query }, { token: schoolToken });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/only for LA_ADMIN; you are signed in as SCHOOL_USER/) });
    expect(refused.body.data).toBeUndefined();
    const sneaky = await post({ query: '{ referrals { id } ...T } fragment T on Query { __type(name: "Referral") { name } }' }, { token: schoolToken });
    expect(sneaky.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const allowed = await post({ query }, { token: adminToken });
    expect(allowed.body.errors).toBeUndefined();
    const types = (allowed.body.data?.__schema.types as { name: string }[]).map((t) => t.name);
    expect(types).toEqual(expect.arrayContaining(['Referral', 'School']));
    expect(types).not.toContain('_Entity');
  });

  it('refuses a GET without a CSRF preflight header, and serves GET queries that have one', async () => {
    const url = `${gateway.url}?query=${encodeURIComponent('{ referrals { id } }')}`;
    const simple = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(simple.status).toBe(400);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': 'true' } });
    expect(((await ok.json()) as GraphQLBody).data?.referrals).toHaveLength(2);
  });

  it('serves health, readiness and metrics', async () => {
    const base = gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/gateway_graphql_requests_total\{operation_type="query"\} \d+/);
    expect(metrics).toMatch(/gateway_graphql_errors_total\{code="UNAUTHENTICATED"\} \d+/);
    expect(metrics).toMatch(/gateway_graphql_request_duration_seconds_count\{operation_type="query"\}/);
  });
});
