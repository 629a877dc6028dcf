import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { errorCodes, graphql, internalToken, makeUpn, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { referralService } from '../src/server';

jest.setTimeout(60_000);

const schoolA = principal('SCHOOL_USER', 'school:100001');
const schoolB = principal('SCHOOL_USER', 'school:100002');

const REGISTER = `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id upn givenName familyName dateOfBirth homeLaCode } }`;
const SUBMIT = `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }`;
const ACCEPT = `mutation($id: ID!) { acceptReferral(id: $id) { id status } }`;
const PUPIL = `query($id: ID!) { pupil(id: $id) { id referrals { id } } }`;

describe('duplicates in the referral service', () => {
  let service: RunningService;
  const call = async (who: Principal, query: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('referral', who), headers });
  const count = async (sql: string, params: unknown[] = []) => (await service.dataSource.query(sql, params))[0].n as number;

  const details = (upn = makeUpn()) => ({ upn, givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' });
  const register = async (who: Principal, input = details()) => {
    const res = await call(who, REGISTER, { input });
    expect(res.errors).toBeUndefined();
    return res.data.registerPupil.id as string;
  };
  const approvedProvider = async () => {
    const id = randomUUID();
    await service.dataSource.query(`INSERT INTO directory_provider (id, approved) VALUES ($1, true)`, [id]);
    return id;
  };
  const referral = (pupilId: string, providerId: string) => ({ input: { pupilId, providerId, reason: 'SEMH_NEEDS', parentalConsent: true } });

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(referralService);
  });
  afterAll(() => service?.stop());

  describe('one open referral per pupil and provider', () => {
    it('refuses a second submission as a CONFLICT naming the open referral and its date', async () => {
      const pupilId = await register(schoolA);
      const provider = await approvedProvider();
      const first = await call(schoolA, SUBMIT, referral(pupilId, provider));
      expect(first.errors).toBeUndefined();
      const second = await call(schoolA, SUBMIT, referral(pupilId, provider));
      expect(errorCodes(second)).toEqual(['CONFLICT']);
      const today = new Date().toISOString().slice(0, 10);
      expect(second.errors?.[0].message).toBe(
        `This pupil already has an open referral to this provider (${first.data.submitReferral.id}, submitted ${today}): ` +
          'withdraw it or wait for the provider’s answer before referring again',
      );
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE pupil_id = $1`, [pupilId])).toBe(1);
      // Another provider is another referral.
      expect((await call(schoolA, SUBMIT, referral(pupilId, await approvedProvider()))).errors).toBeUndefined();
    });

    it('creates exactly one of twenty identical submissions in parallel; the rest are CONFLICT, none a 500', async () => {
      const pupilId = await register(schoolA);
      const provider = await approvedProvider();
      const outbox = await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'referral.submitted'`);
      const answers = await Promise.all(Array.from({ length: 20 }, () => call(schoolA, SUBMIT, referral(pupilId, provider))));
      expect(answers.filter((r) => !r.errors).length).toBe(1);
      expect(answers.flatMap(errorCodes).sort()).toEqual(Array(19).fill('CONFLICT'));
      expect(answers.every((r) => r.status === 200)).toBe(true);
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE pupil_id = $1`, [pupilId])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'referral.submitted'`)).toBe(outbox + 1);
    });

    it('gives twenty parallel submissions with one Idempotency-Key the same referral', async () => {
      const pupilId = await register(schoolA);
      const provider = await approvedProvider();
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 20 }, () => call(schoolA, SUBMIT, referral(pupilId, provider), { 'idempotency-key': key })));
      expect(answers.flatMap(errorCodes)).toEqual([]);
      expect(new Set(answers.map((r) => r.data.submitReferral.id)).size).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE pupil_id = $1`, [pupilId])).toBe(1);
      // The same key for another request is refused, and writes nothing.
      const other = await call(schoolA, SUBMIT, referral(pupilId, await approvedProvider()), { 'idempotency-key': key });
      expect(errorCodes(other)).toEqual(['CONFLICT']);
      expect(other.errors?.[0].message).toMatch(/Idempotency-Key ".*" was already used for a different submitReferral request/);
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE pupil_id = $1`, [pupilId])).toBe(1);
    });

    it('tells a caller who may not see the open referral only that one exists', async () => {
      const input = details();
      const pupilId = await register(schoolA, input);
      const provider = await approvedProvider();
      const first = await call(schoolA, SUBMIT, referral(pupilId, provider));
      expect(first.errors).toBeUndefined();
      // The pupil moves to school B, which refers to the same provider.
      expect(await register(schoolB, input)).toBe(pupilId);
      const res = await call(schoolB, SUBMIT, referral(pupilId, provider));
      expect(errorCodes(res)).toEqual(['CONFLICT']);
      expect(res.errors?.[0].message).toBe(
        'This pupil already has an open referral to this provider: wait for the provider’s answer, or ask the local authority, before referring again',
      );
      expect(JSON.stringify(res)).not.toContain(first.data.submitReferral.id);
      expect(JSON.stringify(res)).not.toContain('100001');
    });
  });

  describe('one placement per pupil at a time', () => {
    it('refuses to accept a second referral while the first accepted one holds the pupil’s placement', async () => {
      const pupilId = await register(schoolA);
      const [p1, p2] = [await approvedProvider(), await approvedProvider()];
      const r1 = (await call(schoolA, SUBMIT, referral(pupilId, p1))).data.submitReferral.id;
      const r2 = (await call(schoolA, SUBMIT, referral(pupilId, p2))).data.submitReferral.id;
      expect((await call(principal('PROVIDER_USER', `provider:${p1}`), ACCEPT, { id: r1 })).errors).toBeUndefined();
      const res = await call(principal('PROVIDER_USER', `provider:${p2}`), ACCEPT, { id: r2 });
      expect(errorCodes(res)).toEqual(['CONFLICT']);
      expect(res.errors?.[0].message).toMatch(/already has a placement planned or in progress from another accepted referral/);
      expect(res.errors?.[0].message).not.toContain(p1);
      const [{ status }] = await service.dataSource.query(`SELECT status FROM referral WHERE id = $1`, [r2]);
      expect(status).toBe('SUBMITTED');
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'referral.accepted' AND envelope->'payload'->>'pupilId' = $1`, [pupilId])).toBe(1);
    });

    it('lets only one of two providers accepting at the same moment place the pupil', async () => {
      const pupilId = await register(schoolA);
      const providers = [await approvedProvider(), await approvedProvider(), await approvedProvider()];
      const ids = await Promise.all(providers.map(async (p) => (await call(schoolA, SUBMIT, referral(pupilId, p))).data.submitReferral.id as string));
      const answers = await Promise.all(ids.map((id, i) => call(principal('PROVIDER_USER', `provider:${providers[i]}`), ACCEPT, { id })));
      expect(answers.filter((r) => !r.errors).length).toBe(1);
      expect(answers.flatMap(errorCodes)).toEqual(['CONFLICT', 'CONFLICT']);
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE pupil_id = $1 AND status = 'ACCEPTED'`, [pupilId])).toBe(1);
    });
  });

  describe('a UPN another school registered', () => {
    it('links the pupil to the school it joins, with an answer like a fresh registration, showing none of the other school’s referrals', async () => {
      const input = details();
      const pupilId = await register(schoolA, input);
      const provider = await approvedProvider();
      const aReferral = (await call(schoolA, SUBMIT, referral(pupilId, provider))).data.submitReferral.id;
      const outbox = await count(`SELECT count(*)::int AS n FROM outbox`);

      const res = await call(schoolB, REGISTER, { input: { ...input, givenName: ' sam ' } });
      expect(res.errors).toBeUndefined();
      expect(res.data.registerPupil).toEqual({ id: pupilId, upn: input.upn, givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' });
      expect(await count(`SELECT count(*)::int AS n FROM pupil WHERE upn = $1`, [input.upn])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM outbox`)).toBe(outbox);

      // School B now has the pupil on roll but sees only its own referrals; school A keeps its referral.
      expect((await call(schoolB, PUPIL, { id: pupilId })).data.pupil).toEqual({ id: pupilId, referrals: [] });
      expect((await call(schoolA, PUPIL, { id: pupilId })).data.pupil).toEqual({ id: pupilId, referrals: [{ id: aReferral }] });
    });

    it('refuses a school that does not know the pupil’s names and date of birth, without naming the UPN or anything of the pupil', async () => {
      const input = details();
      const pupilId = await register(schoolA, input);
      const before = await service.dataSource.query(`SELECT * FROM pupil WHERE id = $1`, [pupilId]);
      for (const guess of [{ givenName: 'Alex' }, { familyName: 'Smith' }, { dateOfBirth: '2011-03-15' }]) {
        const res = await call(schoolB, REGISTER, { input: { ...input, ...guess } });
        expect(errorCodes(res)).toEqual(['CONFLICT']);
        expect(res.errors?.[0].message).toBe(
          'A pupil could not be registered with these details: check the UPN, names and date of birth against the pupil’s common ' +
            'transfer file, and if they are right ask your local authority’s AP team',
        );
        const text = JSON.stringify(res);
        for (const secret of [input.upn, '100001', 'Sam', 'Jones', '2011-03-14', pupilId]) expect(text).not.toContain(secret);
      }
      expect(await service.dataSource.query(`SELECT * FROM pupil WHERE id = $1`, [pupilId])).toEqual(before);
      expect((await call(schoolB, PUPIL, { id: pupilId })).data.pupil).toBeNull();
    });

    it('gives ten parallel registrations of one new UPN one pupil, and no error', async () => {
      const input = details();
      const answers = await Promise.all(Array.from({ length: 10 }, () => call(schoolA, REGISTER, { input })));
      expect(answers.flatMap(errorCodes)).toEqual([]);
      expect(new Set(answers.map((r) => r.data.registerPupil.id)).size).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'pupil.registered' AND envelope->'payload'->>'pupilId' = $1`, [answers[0].data.registerPupil.id])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'pupil.cohort_changed' AND envelope->'payload'->>'pupilId' = $1`, [answers[0].data.registerPupil.id])).toBe(1);
    });
  });
});
