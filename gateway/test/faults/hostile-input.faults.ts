/**
 * Drill: a corpus of hostile requests (issue 6, item 7 and its classes) against the real stack.
 * Every one must be answered with a 4xx or a clean GraphQL answer: zero HTTP 5xx, zero
 * INTERNAL_SERVER_ERROR, and zero rows written in any subgraph's database. Prints counts by class.
 */
import { randomUUID } from 'node:crypto';
import { makeUpn } from '@ap/testing';
import type { ServiceName } from '@ap/config';
import { cast, ok, referPupil } from '../e2e/flow';
import { startStack, Stack } from '../e2e/stack';

jest.setTimeout(600_000);

interface Probe {
  kind: string;
  /** A JSON body (stringified here), or raw bytes / text sent as they are. */
  body?: unknown;
  raw?: string | Buffer;
  method?: string;
  search?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

let stack: Stack;
let url: string;
let people: Awaited<ReturnType<typeof cast>>;
let story: Awaited<ReturnType<typeof referPupil>>;

beforeAll(async () => {
  stack = await startStack();
  url = stack.gateway.url;
  people = await cast();
  story = await referPupil(url, people);
});
afterAll(() => stack?.stop());

/** Rows in every table of every subgraph's database. */
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, service] of Object.entries(stack.services) as [ServiceName, Stack['services'][ServiceName]][]) {
    const tables: { t: string }[] = await service.dataSource.query(
      `SELECT quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { t } of tables) {
      const [{ n }] = await service.dataSource.query(`SELECT count(*)::int AS n FROM ${t}`);
      counts[`${name}.${t}`] = n;
    }
  }
  return counts;
}

const CONTROL = [...Array.from({ length: 32 }, (_, i) => i).filter((c) => c !== 9 && c !== 10 && c !== 13), 0x7f].map((c) => String.fromCharCode(c));

function corpus(): Probe[] {
  const admin = people.laAdmin;
  const school = people.school;
  const qa = people.qa;
  const probes: Probe[] = [];
  const add = (kind: string, p: Omit<Probe, 'kind'>) => probes.push({ kind, token: admin, ...p });
  const REGISTER_PROVIDER = 'mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }';
  const REGISTER_PUPIL = 'mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }';
  const COMPLETE_AUDIT = 'mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id } }';
  const SUBMIT = 'mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id } }';

  // Control characters in every kind of text, by variable and by literal.
  for (const c of CONTROL) {
    add('control-character', { body: { query: REGISTER_PROVIDER, variables: { input: { name: `Horizons${c}AP`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' } } } });
    add('control-character', { token: qa, body: { query: COMPLETE_AUDIT, variables: { input: { providerId: story.providerId, rating: 'GREEN', summary: `All fine${c}` } } } });
    const escaped = `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    add('control-character', {
      token: school,
      body: { query: `mutation { registerPupil(input: { upn: "${makeUpn()}", givenName: "Sam${escaped}", familyName: "Jones", dateOfBirth: "2011-03-14" }) { id } }` },
    });
  }
  add('control-character', { body: { query: '{ provider(id: "\\u0000") { id } }' } });
  add('control-character', { body: { query: 'query($id: ID!) { provider(id: $id) { id } }', variables: { id: `${story.providerId}\u0000` } } });
  add('control-character', { token: school, body: { query: 'query($id: ID!) { pupil(id: $id) { upn } }', variables: { id: '\u0000' } } });
  add('control-character', { body: { query: REGISTER_PROVIDER, variables: { input: { name: 'Lone \ud800 surrogate', registrationType: 'UNREGISTERED' } } } });

  // Invalid UTF-8 in the body.
  for (const bytes of [[0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0x28], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe9]]) {
    const before = Buffer.from(`{"query":"mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }","variables":{"input":{"name":"Caf`);
    const after = Buffer.from('","registrationType":"UNREGISTERED"}}}');
    add('invalid-utf8', { raw: Buffer.concat([before, Buffer.from(bytes), after]) });
  }

  // Malformed JSON and bodies that are not a GraphQL request.
  for (const raw of ['', '{', '{"query":', 'null', '1', '"x"', 'true', '{"query": 1}', '{"query": null}', '{"query": {}}', '{"query": ["{ providers { id } }"]}',
    '{"query":"{ providers { id } }",}', '{"query":"{ providers { id } }"} garbage', "{'query':'{ providers { id } }'}", '{"query":"{ providers { id } }","variables":"x"}',
    '{"query":"{ providers { id } }","variables":[1]}', '{"query":"{ providers { id } }","operationName":5}', '{"query":"{ providers { id } }","extensions":"x"}', 'NaN', '\u0000']) {
    add('malformed-json', { raw });
  }

  // Wrong content types.
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/graphql', 'text/html', 'application/xml', 'application/octet-stream', '']) {
    add('content-type', { raw: JSON.stringify({ query: '{ providers { id } }' }), headers: { 'content-type': type } });
  }
  add('content-type', { raw: 'query=%7B%20providers%20%7B%20id%20%7D%20%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  // Huge and deep.
  add('huge', { body: { query: REGISTER_PROVIDER, variables: { input: { name: 'x'.repeat(1100 * 1024), registrationType: 'UNREGISTERED' } } } });
  add('huge', { body: { query: `{ providers { id } } # ${'x'.repeat(1100 * 1024)}` } });
  add('huge', { body: { query: '{ providers { id } }', variables: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`v${i}`, i])) } });
  add('huge', { body: { query: REGISTER_PROVIDER, variables: { input: { name: 'x'.repeat(200 * 1024), registrationType: 'UNREGISTERED' } } } });
  add('huge', { token: qa, body: { query: COMPLETE_AUDIT, variables: { input: { providerId: story.providerId, rating: 'GREEN', summary: 'y'.repeat(500 * 1024) } } } });
  add('huge', { body: { query: `{ providers { ${'id '.repeat(10_000)}} }` } });
  add('huge', { body: { query: `{ providers { ${Array.from({ length: 1900 }, (_, i) => `a${i}: id`).join(' ')} } }` } });
  add('huge', { body: { query: `{ ${Array.from({ length: 1000 }, () => 'providers { id }').join(' ')} }` } });
  add('deep', { body: { query: `{ providers ${'{ id '.repeat(200)}${'}'.repeat(200)} }` } });
  add('deep', { body: { query: `{ providers { audits { provider { audits { provider { audits { provider { audits { provider { audits { provider { audits { provider { id } } } } } } } } } } } } } }` } });
  add('deep', { raw: `{"query":"{ providers { id } }","variables":{"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}}` });
  add('deep', { raw: `{"query":"query($x: String) { providers { id } }","variables":{"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}}` });
  const fragments = ['fragment F0 on Provider { id name }'];
  for (let i = 1; i <= 25; i++) fragments.push(`fragment F${i} on Provider { ...F${i - 1} ...F${i - 1} }`);
  add('deep', { body: { query: `{ providers { ...F25 } } ${fragments.join(' ')}` } });
  add('deep', { body: { query: `{ providers { id ${'@skip(if: false) '.repeat(100)} } }` } });
  add('deep', { body: { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' } });

  // Bad variables.
  const badInputs: unknown[] = [
    { name: 5, registrationType: 'UNREGISTERED' },
    { name: 'A', registrationType: 'NOT_A_TYPE' },
    { name: 'A', registrationType: 1 },
    { name: null, registrationType: 'UNREGISTERED' },
    { registrationType: 'UNREGISTERED' },
    { name: 'A', registrationType: 'UNREGISTERED', unknownField: 1 },
    { name: ['A'], registrationType: 'UNREGISTERED' },
    { name: { a: 1 }, registrationType: 'UNREGISTERED' },
    'a string',
    [1, 2],
    null,
  ];
  for (const input of badInputs) add('bad-variables', { body: { query: REGISTER_PROVIDER, variables: { input } } });
  add('bad-variables', { body: { query: REGISTER_PROVIDER } });
  add('bad-variables', { body: { query: REGISTER_PROVIDER, variables: { inptu: { name: 'A', registrationType: 'UNREGISTERED' } } } });
  add('bad-variables', { body: { query: 'mutation($input: NoSuchInput!) { registerProvider(input: $input) { id } }', variables: { input: {} } } });
  add('bad-variables', { body: { query: 'mutation($input: String!) { registerProvider(input: $input) { id } }', variables: { input: 'x' } } });
  for (const dateOfBirth of ['2011-02-30', '99999-01-01', '', '14/03/2011', '2011-03-14T00:00:00Z', 20110314]) {
    add('bad-variables', { token: school, body: { query: REGISTER_PUPIL, variables: { input: { upn: makeUpn(), givenName: 'Sam', familyName: 'Jones', dateOfBirth } } } });
  }
  for (const pupilId of ['not-a-uuid', '', "'; DROP TABLE pupil; --", randomUUID().toUpperCase() + 'x']) {
    add('bad-variables', { token: school, body: { query: SUBMIT, variables: { input: { pupilId, providerId: story.providerId, reason: 'RISK_OF_EXCLUSION', parentalConsent: true } } } });
  }
  add('bad-variables', { token: school, body: { query: SUBMIT, variables: { input: { pupilId: story.pupilId, providerId: 'nope', reason: 'RISK_OF_EXCLUSION', parentalConsent: true } } } });
  add('bad-variables', { token: school, body: { query: SUBMIT, variables: { input: { pupilId: story.pupilId, providerId: story.providerId, reason: 'PERMANENT_EXCLUSION', parentalConsent: true, firstDayOfExclusion: '2024-13-01' } } } });
  add('bad-variables', { token: school, body: { query: SUBMIT, variables: { input: { pupilId: story.pupilId, providerId: story.providerId, reason: 'RISK_OF_EXCLUSION', parentalConsent: 'yes' } } } });

  // Malformed ids in reads and writes.
  for (const id of ['not-a-uuid', '1', "' OR 1=1 --", 'x'.repeat(5000), '00000000-0000-0000-0000-00000000000g', '{}']) {
    add('bad-id', { body: { query: 'query($id: ID!) { provider(id: $id) { id } }', variables: { id } } });
    add('bad-id', { token: school, body: { query: 'query($id: ID!) { pupil(id: $id) { upn } referral(id: $id) { id } }', variables: { id } } });
    add('bad-id', { token: qa, body: { query: 'query($id: ID!) { audit(id: $id) { id } }', variables: { id } } });
    add('bad-id', { token: people.analyst, body: { query: 'query($id: ID!) { providerOutcomes(providerId: $id) { placementsStarted } }', variables: { id } } });
    add('bad-id', { body: { query: 'mutation($id: ID!) { approveProvider(id: $id) { id } }', variables: { id } } });
    add('bad-id', { token: story.providerToken, body: { query: 'mutation($id: ID!) { acceptReferral(id: $id) { id } }', variables: { id } } });
    add('bad-id', { token: story.providerToken, body: { query: 'mutation($id: ID!) { startPlacement(id: $id) { id } }', variables: { id } } });
    add('bad-id', { token: school, body: { query: 'query($id: ID!) { placement(id: $id) { id } }', variables: { id } } });
  }

  // Unknown fields, arguments, types, directives.
  for (const query of ['{ nope }', '{ providers { nope } }', '{ providers(nope: 1) { id } }', '{ provider { id } }', '{ providers { id ... on Nope { id } } }',
    '{ providers @nope { id } }', '{ providers { id(x: 1) } }', '{ __typename providers { __typename id } }', 'mutation { nope }', '{ providers }', '{ providers { audits } }',
    '{ provider(id: 1.5) { id } }', '{ provider(id: null) { id } }', 'query($a: Int) { providers { id } }']) {
    add('unknown', { body: { query } });
  }

  // What to run: operation names, several operations, subscriptions.
  add('operation', { body: { query: 'query A { providers { id } }', operationName: 'B' } });
  add('operation', { body: { query: 'query A { providers { id } } query B { providers { name } }' } });
  add('operation', { body: { query: '{ providers { id } } { providers { name } }' } });
  add('operation', { body: { query: 'subscription { providers { id } }' } });
  add('operation', { body: { query: 'subscription S { providerChanged { id } }' } });
  add('operation', { body: { query: '' } });
  add('operation', { body: { query: '   ' } });
  add('operation', { body: { query: 'fragment F on Provider { id }' } });
  add('operation', { body: { query: '# only a comment' } });
  add('operation', { body: { operationName: 'A' } });
  add('operation', { body: { query: '{ providers { id }' } });
  add('operation', { body: { query: 'query A { providers { id } }', operationName: '' } });

  // Batches.
  add('batch', { body: [{ query: '{ providers { id } }' }, { query: '{ providers { id } }' }] });
  add('batch', { body: [] });
  add('batch', { body: Array.from({ length: 100 }, () => ({ query: REGISTER_PROVIDER, variables: { input: { name: 'Batch', registrationType: 'UNREGISTERED' } } })) });
  add('batch', { body: [[{ query: '{ providers { id } }' }]] });

  // GET: mutations, no preflight, bad parameters; other methods.
  const get = (params: Record<string, string>, headers: Record<string, string> = { 'apollo-require-preflight': '1' }) =>
    add('get-and-methods', { method: 'GET', search: new URLSearchParams(params).toString(), headers });
  get({ query: 'mutation { registerProvider(input: { name: "Via GET", registrationType: UNREGISTERED }) { id } }' });
  get({ query: 'mutation { approveProvider(id: "x") { id } }' });
  get({ query: '{ providers { id } }' }, {});
  get({ query: '{ providers { id } }', variables: '{not json' });
  get({ query: '{ providers { id } }', variables: '[]' });
  get({ query: '{ provider(id: "\\u0000") { id } }' });
  add('get-and-methods', { method: 'GET', search: 'query=%7B%20providers%20%7B%20id%20%7D%20%7D&x=%FF', headers: { 'apollo-require-preflight': '1' } });
  add('get-and-methods', { method: 'GET', search: '', headers: { 'apollo-require-preflight': '1' } });
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) add('get-and-methods', { method, raw: JSON.stringify({ query: '{ providers { id } }' }) });

  // Persisted queries.
  add('persisted-query', { body: { query: '{ providers { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } } });
  add('persisted-query', { body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } } });
  add('persisted-query', { body: { query: '{ providers { id } }', extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } } });
  add('persisted-query', { body: { query: '{ providers { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 5 } } } });
  add('persisted-query', { body: { query: '{ providers { id } }', extensions: { persistedQuery: 'x' } } });

  // Tokens and introspection.
  add('auth', { token: null, body: { query: REGISTER_PROVIDER, variables: { input: { name: 'A', registrationType: 'UNREGISTERED' } } } });
  add('auth', { token: `${admin}x`, body: { query: '{ providers { id } }' } });
  add('auth', { token: 'a.b.c', body: { query: '{ providers { id } }' } });
  add('auth', { token: school, body: { query: '{ __schema { types { name } } }' } });
  add('auth', { token: school, body: { query: REGISTER_PROVIDER, variables: { input: { name: 'Not mine', registrationType: 'UNREGISTERED' } } } });
  return probes;
}

async function send(p: Probe): Promise<{ status: number; codes: string[] }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(p.token ? { authorization: `Bearer ${p.token}` } : {}), ...p.headers };
  if (headers['content-type'] === '') delete headers['content-type'];
  const method = p.method ?? 'POST';
  const body = method === 'GET' ? undefined : p.raw !== undefined ? p.raw : JSON.stringify(p.body);
  const res = await fetch(`${url}${p.search ? `?${p.search}` : ''}`, { method, headers, body });
  const text = await res.text();
  let codes: string[] = [];
  try {
    const json = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    codes = (json.errors ?? []).map((e) => e.extensions?.code ?? '(no code)');
  } catch {
    codes = text ? ['(not JSON)'] : [];
  }
  return { status: res.status, codes };
}

describe('hostile input', () => {
  it('answers a few hundred hostile requests with 4xx or clean errors: no 5xx, no INTERNAL_SERVER_ERROR, no rows written', async () => {
    // The setup's events (provider approved, pupil registered, referral submitted) settle first.
    await ok(url, people.laAdmin, '{ providers { id } }');
    await new Promise((r) => setTimeout(r, 2000));
    const before = await rowCounts();
    const probes = corpus();
    const byKind = new Map<string, { requests: number; statuses: Record<number, number>; codes: Record<string, number> }>();
    const failures: string[] = [];
    for (const p of probes) {
      const r = await send(p);
      const k = byKind.get(p.kind) ?? { requests: 0, statuses: {}, codes: {} };
      k.requests++;
      k.statuses[r.status] = (k.statuses[r.status] ?? 0) + 1;
      for (const c of r.codes) k.codes[c] = (k.codes[c] ?? 0) + 1;
      byKind.set(p.kind, k);
      if (r.status >= 500 || r.codes.includes('INTERNAL_SERVER_ERROR')) {
        failures.push(`${p.kind}: HTTP ${r.status} ${r.codes.join(',')} for ${(p.raw !== undefined ? String(p.raw) : JSON.stringify(p.body ?? p.search)).slice(0, 200)}`);
      }
    }
    // Let any event a write would have caused arrive before counting again.
    await new Promise((r) => setTimeout(r, 2000));
    const after = await rowCounts();
    const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]).map((t) => `${t}: ${before[t]} -> ${after[t]}`);

    const lines = [...byKind].map(
      ([kind, k]) => `  ${kind.padEnd(18)} ${String(k.requests).padStart(4)} requests  HTTP ${JSON.stringify(k.statuses)}  codes ${JSON.stringify(k.codes)}`,
    );
    const fiveHundreds = [...byKind.values()].reduce((n, k) => n + Object.entries(k.statuses).filter(([s]) => Number(s) >= 500).reduce((m, [, c]) => m + c, 0), 0);
    const internal = [...byKind.values()].reduce((n, k) => n + (k.codes.INTERNAL_SERVER_ERROR ?? 0), 0);
    console.log(
      [`hostile input: ${probes.length} requests, ${fiveHundreds} HTTP 5xx, ${internal} INTERNAL_SERVER_ERROR, ${changed.length} tables changed`, ...lines, ...failures.map((f) => `  FAILED ${f}`), ...changed.map((c) => `  CHANGED ${c}`)].join('\n'),
    );
    expect(probes.length).toBeGreaterThanOrEqual(250);
    expect(failures).toEqual([]);
    expect(changed).toEqual([]);
  });
});
