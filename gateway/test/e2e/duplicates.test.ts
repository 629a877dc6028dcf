import { randomUUID } from 'node:crypto';
import { errorCodes, eventually, graphql, makeUpn } from '@ap/testing';
import { ACCEPT, cast, ok, PUPIL_JOURNEY, referPupil } from './flow';
import { startStack, Stack } from './stack';

jest.setTimeout(90_000);

const SUBMIT = `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }`;
const REGISTER_PUPIL = `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id upn } }`;
const REGISTER_PROVIDER = `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id name } }`;
const COMPLETE_AUDIT = `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id rating } }`;

describe('duplicates and retries, end to end through the gateway', () => {
  let stack: Stack;
  let url: string;
  let people: Awaited<ReturnType<typeof cast>>;
  const count = async (service: keyof Stack['services'], sql: string, params: unknown[] = []) =>
    (await stack.services[service].dataSource.query(sql, params))[0].n as number;

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    people = await cast();
  });
  afterAll(() => stack?.stop());

  it('plans one placement when the same pupil → provider referral is submitted and accepted twice', async () => {
    const story = await referPupil(url, people);
    const again = { pupilId: story.pupilId, providerId: story.providerId, reason: 'RISK_OF_EXCLUSION', parentalConsent: true };
    // While the first is open, a second is refused.
    expect(errorCodes(await graphql(url, SUBMIT, { input: again }, { token: people.school }))).toEqual(['CONFLICT']);
    await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
    // Once accepted it is no longer open, but its placement is: the second cannot be accepted.
    const second = (await ok(url, people.school, SUBMIT, { input: again })).submitReferral.id;
    const res = await graphql(url, ACCEPT, { id: second }, { token: story.providerToken });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors?.[0].message).toMatch(/one full-time placement at a time/);
    await eventually(async () => {
      expect((await ok(url, people.school, PUPIL_JOURNEY, { id: story.pupilId })).pupil.placements).toHaveLength(1);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await count('placement', `SELECT count(*)::int AS n FROM placement WHERE pupil_id = $1`, [story.pupilId])).toBe(1);
  });

  it('creates one referral from twenty identical submissions in parallel: 19 CONFLICT, no 500', async () => {
    const story = await referPupil(url, people);
    const input = { pupilId: story.pupilId, providerId: (await referPupil(url, people)).providerId, reason: 'SEMH_NEEDS', parentalConsent: true };
    const answers = await Promise.all(Array.from({ length: 20 }, () => graphql(url, SUBMIT, { input }, { token: people.school })));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((r) => !r.errors).length).toBe(1);
    expect(answers.flatMap(errorCodes)).toEqual(Array(19).fill('CONFLICT'));
    expect(await count('referral', `SELECT count(*)::int AS n FROM referral WHERE pupil_id = $1 AND provider_id = $2`, [input.pupilId, input.providerId])).toBe(1);
  });

  it('answers twenty parallel submissions carrying one Idempotency-Key with the same referral', async () => {
    const story = await referPupil(url, people);
    const input = { pupilId: story.pupilId, providerId: (await referPupil(url, people)).providerId, reason: 'SEMH_NEEDS', parentalConsent: true };
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => graphql(url, SUBMIT, { input }, { token: people.school, headers: { 'Idempotency-Key': key } })),
    );
    expect(answers.flatMap(errorCodes)).toEqual([]);
    expect(new Set(answers.map((r) => r.data.submitReferral.id)).size).toBe(1);
    expect(await count('referral', `SELECT count(*)::int AS n FROM referral WHERE pupil_id = $1 AND provider_id = $2`, [input.pupilId, input.providerId])).toBe(1);
  });

  it('runs registerPupil, registerProvider and completeAudit once per Idempotency-Key; another input under the key is a CONFLICT', async () => {
    const retry = async (token: string, query: string, input: Record<string, unknown>, changed: Record<string, unknown>, service: keyof Stack['services'], table: string) => {
      const key = randomUUID();
      const headers = { 'Idempotency-Key': key };
      const first = await graphql(url, query, { input }, { token, headers });
      expect(first.errors).toBeUndefined();
      const rows = await count(service, `SELECT count(*)::int AS n FROM ${table}`);
      const outbox = await count(service, `SELECT count(*)::int AS n FROM outbox`);
      const again = await graphql(url, query, { input }, { token, headers });
      expect(again.data).toEqual(first.data);
      const other = await graphql(url, query, { input: { ...input, ...changed } }, { token, headers });
      expect(errorCodes(other)).toEqual(['CONFLICT']);
      expect(other.errors?.[0].message).toContain(`Idempotency-Key "${key}" was already used`);
      expect(await count(service, `SELECT count(*)::int AS n FROM ${table}`)).toBe(rows);
      expect(await count(service, `SELECT count(*)::int AS n FROM outbox`)).toBe(outbox);
      return first.data;
    };
    await retry(people.school, REGISTER_PUPIL, { upn: makeUpn(), givenName: 'Ann', familyName: 'Lee', dateOfBirth: '2012-05-01' }, { givenName: 'Anne' }, 'referral', 'pupil');
    const provider = await retry(
      people.laAdmin,
      REGISTER_PROVIDER,
      { name: `Retry ${randomUUID().slice(0, 6)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
      { postcode: 'SN10 1AB' },
      'directory',
      'provider',
    );
    // The audit service learns the provider (and its LA) from the directory's events.
    await eventually(async () =>
      expect(await count('safeguarding-audit', `SELECT count(*)::int AS n FROM directory_provider WHERE id = $1 AND la_code IS NOT NULL`, [provider.registerProvider.id])).toBe(1),
    );
    await retry(people.qa, COMPLETE_AUDIT, { providerId: provider.registerProvider.id, rating: 'GREEN', summary: 'All well' }, { rating: 'AMBER' }, 'safeguarding-audit', 'audit');
  });

  it('refuses a malformed Idempotency-Key with 400 before anything runs', async () => {
    const before = await count('referral', `SELECT count(*)::int AS n FROM pupil`);
    const res = await graphql(url, REGISTER_PUPIL, { input: { upn: makeUpn(), givenName: 'Ann', familyName: 'Lee', dateOfBirth: '2012-05-01' } }, {
      token: people.school,
      headers: { 'Idempotency-Key': 'has spaces in it' },
    });
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].message).toMatch(/Idempotency-Key/);
    expect(await count('referral', `SELECT count(*)::int AS n FROM pupil`)).toBe(before);
  });

  it('does not tell a second school that a UPN it cannot prove it knows is registered elsewhere', async () => {
    const upn = makeUpn();
    await ok(url, people.school, REGISTER_PUPIL, { input: { upn, givenName: 'Ann', familyName: 'Lee', dateOfBirth: '2012-05-01' } });
    const res = await graphql(url, REGISTER_PUPIL, { input: { upn, givenName: 'Bob', familyName: 'Lee', dateOfBirth: '2012-05-01' } }, { token: people.otherSchool });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(JSON.stringify(res)).not.toContain(upn);
    expect(JSON.stringify(res)).not.toContain('100001');
    expect(JSON.stringify(res)).not.toContain('Ann');
  });
});
