import { setClock } from '@ap/domain';
import { KafkaEventBus, newEvent, topicFor } from '@ap/events';
import { graphql, errorCodes, eventually, internalToken, makeUpn, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { referralService } from '../src/server';
import { providerId } from './support';

jest.setTimeout(60_000);

const school = principal('SCHOOL_USER', 'school:100001');
const otherSchool = principal('SCHOOL_USER', 'school:100002');
const la = principal('LA_OFFICER', 'la:865');
const analyst = principal('ANALYST', 'la:865');

const REGISTER = `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id upn givenName yearGroup keyStage } }`;
const SUBMIT = `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status schoolUrn reason day6Deadline provider { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptReferral(id: $id) { id status acceptedAt } }`;

describe('referral subgraph', () => {
  let service: RunningService;
  const call = async (who: typeof school | null, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('referral', who) });

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(referralService);
  });
  afterAll(() => service?.stop());

  const register = (who = school, upn = makeUpn()) =>
    call(who, REGISTER, { input: { upn, givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' } });

  it('refuses a request that did not come through the gateway', async () => {
    const res = await graphql(service.graphqlUrl, '{ pupil(id: "x") { id } }');
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an internal token minted for another subgraph', async () => {
    const res = await graphql(service.graphqlUrl, '{ pupil(id: "x") { id } }', {}, { token: await internalToken('placement', school) });
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('registers a pupil, working out year group and key stage', async () => {
    const res = await register();
    expect(res.errors).toBeUndefined();
    expect(res.data.registerPupil).toMatchObject({ givenName: 'Sam' });
    expect(typeof res.data.registerPupil.yearGroup).toBe('number');
  });

  it('works out the year group from the one clock, which a test can set', async () => {
    try {
      // Born 14 March 2011: Year 9 in 2024/25 (September 2024 to August 2025), Year 10 from September 2025.
      setClock('2025-07-01T12:00:00Z');
      const before = await register();
      setClock('2025-09-01T12:00:00Z');
      const after = await register();
      expect([before.data?.registerPupil.yearGroup, after.data?.registerPupil.yearGroup]).toEqual([9, 10]);
      expect(after.data.registerPupil.keyStage).toBe('KS4');
    } finally {
      setClock(undefined);
    }
  });

  it('refuses a bad UPN with BAD_USER_INPUT and writes nothing', async () => {
    const upn = makeUpn();
    const wrong = (upn[0] === 'A' ? 'B' : 'A') + upn.slice(1);
    const before = await service.dataSource.query('SELECT count(*)::int AS n FROM pupil');
    const outboxBefore = await service.dataSource.query('SELECT count(*)::int AS n FROM outbox');
    const res = await register(school, wrong);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].extensions?.field).toBe('upn');
    expect(res.errors?.[0].message).toMatch(/check letter/i);
    expect(await service.dataSource.query('SELECT count(*)::int AS n FROM pupil')).toEqual(before);
    expect(await service.dataSource.query('SELECT count(*)::int AS n FROM outbox')).toEqual(outboxBefore);
  });

  it('answers a second registration of the same UPN with the same pupil, not a second one', async () => {
    const upn = makeUpn();
    const first = await register(school, upn);
    const res = await register(school, upn);
    expect(res.errors).toBeUndefined();
    expect(res.data.registerPupil.id).toBe(first.data.registerPupil.id);
    expect(await service.dataSource.query('SELECT count(*)::int AS n FROM pupil WHERE upn = $1', [upn])).toEqual([{ n: 1 }]);
  });

  it('keeps analysts away from pupil data', async () => {
    const res = await call(analyst, REGISTER, { input: { upn: makeUpn(), givenName: 'A', familyName: 'B', dateOfBirth: '2011-03-14' } });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });

  /** A provider the referral service has heard of from the directory, approved or not. */
  const knownProvider = async (approved = true) => {
    const id = providerId();
    await service.dataSource.query(`INSERT INTO directory_provider (id, approved) VALUES ($1, $2)`, [id, approved]);
    return id;
  };

  describe('a referral from school to provider', () => {
    let pupilId: string;
    let referralId: string;
    let provider: string;

    beforeAll(async () => {
      provider = await knownProvider();
      pupilId = (await register()).data.registerPupil.id;
      const res = await call(school, SUBMIT, {
        input: { pupilId, providerId: provider, reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: '2026-01-12', parentalConsent: true },
      });
      expect(res.errors).toBeUndefined();
      referralId = res.data.submitReferral.id;
    });

    it('is submitted for the school in the token, with the day-6 deadline counted in school days', async () => {
      const ref = await call(school, `query($id: ID!) { referral(id: $id) { status schoolUrn day6Deadline provider { id } } }`, { id: referralId });
      // Monday 12 January 2026 is day 1, so day 6 is Monday 19 January.
      expect(ref.data.referral).toEqual({ status: 'SUBMITTED', schoolUrn: '100001', day6Deadline: '2026-01-19', provider: { id: provider } });
    });

    it('needs consent, and a first day for a permanent exclusion', async () => {
      const res = await call(school, SUBMIT, { input: { pupilId, providerId: provider, reason: 'PERMANENT_EXCLUSION', parentalConsent: false } });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.problems).toEqual([
        expect.objectContaining({ field: 'parentalConsent' }),
        expect.objectContaining({ field: 'firstDayOfExclusion' }),
      ]);
    });

    it('is hidden from another school', async () => {
      const res = await call(otherSchool, `query($id: ID!) { referral(id: $id) { id } }`, { id: referralId });
      expect(res.errors).toBeUndefined();
      expect(res.data.referral).toBeNull();
      const pupil = await call(otherSchool, `query($id: ID!) { pupil(id: $id) { id upn } }`, { id: pupilId });
      expect(pupil.data.pupil).toBeNull();
    });

    it('cannot be accepted by another provider or by the school', async () => {
      const other = principal('PROVIDER_USER', `provider:${providerId()}`);
      expect(errorCodes(await call(other, ACCEPT, { id: referralId }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await call(school, ACCEPT, { id: referralId }))).toEqual(['FORBIDDEN']);
    });

    it('is accepted once by its provider, recording referral.accepted in the outbox', async () => {
      const providerUser = principal('PROVIDER_USER', `provider:${provider}`);
      const res = await call(providerUser, ACCEPT, { id: referralId });
      expect(res.errors).toBeUndefined();
      expect(res.data.acceptReferral.status).toBe('ACCEPTED');
      const again = await call(providerUser, ACCEPT, { id: referralId });
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      const rows = await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'referral.accepted'`);
      expect(rows).toHaveLength(1);
      expect(rows[0].envelope.payload).toMatchObject({ referralId, pupilId, providerId: provider, schoolUrn: '100001' });
      // The pupil's UPN goes to the placement service (MIS attendance writeback), and nothing else of the pupil.
      const [pupilRow] = await service.dataSource.query(`SELECT upn FROM pupil WHERE id = $1`, [pupilId]);
      expect(rows[0].envelope.payload.upn).toBe(pupilRow.upn);
      expect(Object.keys(rows[0].envelope.payload).sort()).toEqual(
        ['acceptedAt', 'cohort', 'currentAttendancePercent', 'day6Deadline', 'homeLaCode', 'offerId', 'providerId', 'pupilId', 'reason', 'referralId', 'schoolUrn', 'upn'],
      );
    });

    it('lets the LA of the pupil see it, but not another LA', async () => {
      const q = `query($id: ID!) { pupil(id: $id) { familyName referrals { id } } }`;
      expect((await call(la, q, { id: pupilId })).data.pupil.referrals).toEqual([{ id: referralId }]);
      expect((await call(principal('LA_OFFICER', 'la:344'), q, { id: pupilId })).data.pupil).toBeNull();
    });

    it('records every read of identifying pupil data: who, when, what', async () => {
      const reader = principal('SCHOOL_USER', 'school:100001', 'reader-1');
      await call(reader, `query($id: ID!) { pupil(id: $id) { upn givenName dateOfBirth referrals { status } } }`, { id: pupilId });
      const rows = await service.dataSource.query(
        `SELECT user_id, role, organisation, fields, read_at FROM pupil_access_log WHERE pupil_id = $1 AND user_id = 'reader-1'`,
        [pupilId],
      );
      expect(rows).toEqual([
        expect.objectContaining({ user_id: 'reader-1', role: 'SCHOOL_USER', organisation: 'school:100001', fields: ['dateOfBirth', 'givenName', 'upn'] }),
      ]);
    });

    it('does not log a read that touched no identifying field', async () => {
      const reader = principal('SCHOOL_USER', 'school:100001', 'reader-2');
      await call(reader, `query($id: ID!) { pupil(id: $id) { id yearGroup } }`, { id: pupilId });
      const rows = await service.dataSource.query(`SELECT 1 FROM pupil_access_log WHERE user_id = 'reader-2'`);
      expect(rows).toHaveLength(0);
    });

    it('publishes the outbox to Kafka', async () => {
      const deadline = Date.now() + 20_000;
      let pending = 1;
      while (Date.now() < deadline) {
        [{ pending }] = await service.dataSource.query('SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL');
        if (pending === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(pending).toBe(0);
    });
  });

  describe('the provider it goes to', () => {
    const submit = async (providerIdValue: string) => {
      const pupilId = (await register()).data.registerPupil.id;
      return call(school, SUBMIT, { input: { pupilId, providerId: providerIdValue, reason: 'SEMH_NEEDS', parentalConsent: true } });
    };

    it('must be in the AP directory', async () => {
      const res = await submit(providerId());
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/not in the AP directory/), extensions: { field: 'providerId' } });
    });

    it('must be approved, and nothing is written when it is not', async () => {
      const before = await service.dataSource.query('SELECT count(*)::int AS n FROM referral');
      const res = await submit(await knownProvider(false));
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].message).toMatch(/not yet approved/);
      expect(await service.dataSource.query('SELECT count(*)::int AS n FROM referral')).toEqual(before);
    });

    it('becomes referrable when the directory’s provider.registered and provider.approved events arrive', async () => {
      const id = providerId();
      const bus = new KafkaEventBus({ clientId: 'referral-test-directory' });
      try {
        const registered = newEvent({ type: 'provider.registered', producer: 'directory', key: id, payload: { providerId: id, name: 'Horizons', registrationType: 'UNREGISTERED' } });
        await bus.publish(topicFor('directory'), [{ key: id, value: JSON.stringify(registered) }]);
        await eventually(async () => expect((await submit(id)).errors?.[0].message).toMatch(/not yet approved/));
        const approved = newEvent({ type: 'provider.approved', producer: 'directory', key: id, payload: { providerId: id, approvedAt: new Date().toISOString() } });
        await bus.publish(topicFor('directory'), [{ key: id, value: JSON.stringify(approved) }]);
        await eventually(async () => {
          const res = await submit(id);
          expect(res.errors).toBeUndefined();
          expect(res.data.submitReferral.provider).toEqual({ id });
        });
      } finally {
        await bus.close();
      }
    });
  });

  it('answers _entities for the gateway with one query, whatever the number of keys', async () => {
    const ids = await Promise.all([register(), register(), register()]).then((rs) => rs.map((r) => r.data.registerPupil.id));
    const query = jest.spyOn(service.dataSource, 'query');
    const res = await call(school, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Pupil { id familyName } } }`, {
      r: ids.map((id) => ({ __typename: 'Pupil', id })),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities.map((p: { id: string }) => p.id)).toEqual(ids);
    // One SELECT from the pupil table for the three keys (the loader's).
    expect(query.mock.calls.filter(([sql]) => /^SELECT .* FROM "pupil" "e"/s.test(String(sql)))).toHaveLength(1);
    query.mockRestore();
  });
});
