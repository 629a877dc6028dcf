import { randomUUID } from 'node:crypto';
import { setClock } from '@ap/domain';
import { KafkaEventBus, newEvent, topicFor } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, makeUpn, principal, REFERRAL_FORM_SECTIONS as SECTIONS, startTestService, useKafkaNamespace } from '@ap/testing';
import type { Principal } from '@ap/auth';
import type { RunningService } from '@ap/subgraph';
import { referralService } from '../src/server';
import { checkDay6AtRisk } from '../src/watch';

jest.setTimeout(120_000);

const LA = '865';
const school = principal('SCHOOL_USER', 'school:100001');
const officer = principal('LA_OFFICER', `la:${LA}`);
const laAdmin = principal('LA_ADMIN', `la:${LA}`);

const FIELDS = `id status route reason respondBy overdue submittedAt agreedStartDate declineReasonCode declineReason placementStatus
  provider { id } history { status by role organisation note }
  consent { parentalConsent givenBy givenOn dataSharingAgreed }`;
const SAVE = `mutation($input: ReferralDraftInput!) { saveReferralDraft(input: $input) { ${FIELDS} } }`;
const SUBMIT_DRAFT = `mutation($id: ID!) { submitReferralDraft(id: $id) { ${FIELDS} } }`;
const AWAITING = `query($first: Int, $after: String) { referralsAwaitingResponse(first: $first, after: $after) { nodes { id respondBy overdue status } endCursor hasNextPage } }`;
const REVIEW = `mutation($id: ID!) { reviewReferral(id: $id) { ${FIELDS} } }`;
const DECLINE = `mutation($id: ID!, $reason: DeclineReasonInput!) { declineReferral(id: $id, reason: $reason) { ${FIELDS} } }`;
const ACCEPT = `mutation($id: ID!, $input: AcceptReferralInput) { acceptReferral(id: $id, input: $input) { ${FIELDS} } }`;
const ASSIGN = `mutation($id: ID!, $providerId: ID!) { assignProvider(id: $id, providerId: $providerId) { ${FIELDS} } }`;
const WITHDRAW = `mutation($id: ID!, $reason: String!) { withdrawReferral(id: $id, reason: $reason) { ${FIELDS} } }`;
const REGISTER = `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`;
const UPSERT = `mutation($input: [PupilUpsertInput!]!) { upsertPupils(input: $input) { index upn outcome pupilId problems { field message } } }`;

/** The form's sections, complete. */

describe('the common referral protocol (referral subgraph)', () => {
  let service: RunningService;
  const call = async (who: Principal | null, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('referral', who) });
  const count = async (sql: string, params: unknown[] = []) => (await service.dataSource.query(sql, params))[0].n as number;

  // Each provider with one open offer, as the directory's events would have told the service.
  const offers = new Map<string, string>();
  const offerOf = async (providerId: string, open = true) => {
    const id = randomUUID();
    await service.dataSource.query(
      `INSERT INTO directory_offer (id, provider_id, la_code, open, capacity, key_stages, price_per_day, effective_at) VALUES ($1, $2, $3, $4, 4, '{KS3}', 120, now())`,
      [id, providerId, LA, open],
    );
    return id;
  };
  const provider = async (status: 'APPROVED' | 'SUSPENDED' | 'APPLIED' = 'APPROVED') => {
    const id = randomUUID();
    await service.dataSource.query(`INSERT INTO directory_provider (id, la_code, status, approved) VALUES ($1, $2, $3, $3 = 'APPROVED')`, [id, LA, status]);
    offers.set(id, await offerOf(id));
    return id;
  };
  /** A direct referral's provider and its open offer. */
  const direct = (providerId: string) => ({ route: 'DIRECT', providerId, offerId: offers.get(providerId) });
  const register = async (homeLaCode: string | null = LA, who = school) => {
    const res = await call(who, REGISTER, { input: { upn: makeUpn(), givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode } });
    expect(res.errors).toBeUndefined();
    return res.data.registerPupil.id as string;
  };

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(referralService);
    // Wednesday 14 January 2026, in the spring term of the sample LA calendar.
    setClock('2026-01-14T10:00:00Z');
  });
  afterAll(async () => {
    setClock(undefined);
    await service?.stop();
  });

  describe('the Done-when story, subgraph side', () => {
    let pupilId: string;
    let providerA: string;
    let providerB: string;
    let first: string;
    let panel: string;

    beforeAll(async () => {
      pupilId = await register();
      providerA = await provider();
      providerB = await provider();
    });

    it('saves a draft, and a submit with missing sections names every problem at once, writing nothing', async () => {
      const draft = await call(school, SAVE, { input: { pupilId, ...direct(providerA), reason: 'SEMH_NEEDS', risks: 'Absconds' } });
      expect(draft.errors).toBeUndefined();
      expect(draft.data.saveReferralDraft).toMatchObject({ status: 'DRAFT', submittedAt: null, history: [{ status: 'DRAFT', organisation: 'school:100001' }] });
      first = draft.data.saveReferralDraft.id;

      const res = await call(school, SUBMIT_DRAFT, { id: first });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect((res.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual([
        'needsAndStrengths', 'riskLevel', 'interventionsTried', 'currentAttendancePercent', 'outcomesWanted', 'proposedStartDate',
        'hoursWanted', 'pupilVoice', 'parentVoice', 'consent.parentalConsent', 'consent.dataSharingAgreed', 'consent.givenBy', 'consent.givenOn',
      ]);
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE id = $1 AND status = 'DRAFT'`, [first])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE envelope->'payload'->>'referralId' = $1`, [first])).toBe(0);
    });

    it('completes and submits it; the provider sees it awaiting its answer with respondBy, five school days on', async () => {
      expect((await call(school, SAVE, { input: { id: first, ...SECTIONS } })).errors).toBeUndefined();
      const res = await call(school, SUBMIT_DRAFT, { id: first });
      expect(res.errors).toBeUndefined();
      // Wednesday 14 January + 5 school days = Wednesday 21 January.
      expect(res.data.submitReferralDraft).toMatchObject({ status: 'SUBMITTED', respondBy: '2026-01-21', overdue: false });
      const awaiting = await call(principal('PROVIDER_USER', `provider:${providerA}`), AWAITING);
      expect(awaiting.data.referralsAwaitingResponse.nodes).toEqual([{ id: first, respondBy: '2026-01-21', overdue: false, status: 'SUBMITTED' }]);
      expect((await call(principal('PROVIDER_USER', `provider:${providerB}`), AWAITING)).data.referralsAwaitingResponse.nodes).toEqual([]);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'referral.submitted' AND envelope->'payload'->>'referralId' = $1`, [first])).toBe(1);
    });

    it('is overdue once respondBy has passed', async () => {
      setClock('2026-01-22T10:00:00Z');
      try {
        const awaiting = await call(principal('PROVIDER_USER', `provider:${providerA}`), AWAITING);
        expect(awaiting.data.referralsAwaitingResponse.nodes[0]).toMatchObject({ id: first, overdue: true });
      } finally {
        setClock('2026-01-14T10:00:00Z');
      }
    });

    it('is reviewed, then declined by the provider with a reason, publishing referral.declined', async () => {
      const providerUser = principal('PROVIDER_USER', `provider:${providerA}`);
      expect((await call(providerUser, REVIEW, { id: first })).data.reviewReferral.status).toBe('UNDER_REVIEW');
      const res = await call(providerUser, DECLINE, { id: first, reason: { code: 'NO_CAPACITY', text: 'Full until Easter' } });
      expect(res.errors).toBeUndefined();
      expect(res.data.declineReferral).toMatchObject({ status: 'DECLINED', declineReasonCode: 'NO_CAPACITY', declineReason: 'Full until Easter' });
      const [row] = await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'referral.declined' AND envelope->'payload'->>'referralId' = $1`, [first]);
      expect(row.envelope.payload).toMatchObject({ referralId: first, pupilId, providerId: providerA, schoolUrn: '100001', reasonCode: 'NO_CAPACITY' });
      expect(errorCodes(await call(providerUser, DECLINE, { id: first, reason: { code: 'OTHER', text: 'again' } }))).toEqual(['CONFLICT']);
    });

    it('goes again through the LA panel: the officer sees it, assigns a provider that accepts; history shows each step', async () => {
      const draft = await call(school, SAVE, { input: { pupilId, route: 'LA_PANEL', reason: 'SEMH_NEEDS', ...SECTIONS } });
      expect(draft.errors).toBeUndefined();
      panel = draft.data.saveReferralDraft.id;
      const submitted = await call(school, SUBMIT_DRAFT, { id: panel });
      expect(submitted.data.submitReferralDraft).toMatchObject({ status: 'SUBMITTED', provider: null, respondBy: null });

      const awaiting = await call(officer, AWAITING);
      expect(awaiting.data.referralsAwaitingResponse.nodes.map((n: { id: string }) => n.id)).toContain(panel);
      expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${providerB}`), ACCEPT, { id: panel }))).toEqual(['NOT_FOUND']);

      expect(errorCodes(await call(officer, ASSIGN, { id: panel, providerId: await provider('SUSPENDED') }))).toEqual(['BAD_USER_INPUT']);
      const assigned = await call(officer, ASSIGN, { id: panel, providerId: providerB });
      expect(assigned.errors).toBeUndefined();
      expect(assigned.data.assignProvider).toMatchObject({ provider: { id: providerB }, respondBy: '2026-01-21' });

      const accepted = await call(principal('PROVIDER_USER', `provider:${providerB}`, 'provider-b-user'), ACCEPT, { id: panel, input: { agreedStartDate: '2026-02-02' } });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data.acceptReferral).toMatchObject({ status: 'ACCEPTED', agreedStartDate: '2026-02-02' });
      expect(accepted.data.acceptReferral.history.map((h: { status: string; role: string }) => `${h.status}/${h.role}`)).toEqual([
        'DRAFT/SCHOOL_USER',
        'SUBMITTED/SCHOOL_USER',
        'SUBMITTED/LA_OFFICER',
        'ACCEPTED/PROVIDER_USER',
      ]);
      expect(accepted.data.acceptReferral.history[3]).toMatchObject({ by: 'provider-b-user', organisation: `provider:${providerB}` });
      const firstHistory = (await call(school, `query($id: ID!) { referral(id: $id) { history { status } } }`, { id: first })).data.referral.history;
      expect(firstHistory.map((h: { status: string }) => h.status)).toEqual(['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'DECLINED']);
    });

    it('releases the pupil when the placement service ends the placement, so another provider may accept', async () => {
      const other = await provider();
      const draft = await call(school, SAVE, { input: { pupilId, ...direct(other), reason: 'SEMH_NEEDS', ...SECTIONS } });
      const id = draft.data.saveReferralDraft.id;
      expect((await call(school, SUBMIT_DRAFT, { id })).errors).toBeUndefined();
      const otherUser = principal('PROVIDER_USER', `provider:${other}`);
      expect(errorCodes(await call(otherUser, ACCEPT, { id }))).toEqual(['CONFLICT']);

      const bus = new KafkaEventBus({ clientId: 'referral-test-placement' });
      const placementId = randomUUID();
      try {
        await service.consuming(30_000);
        const planned = newEvent({ type: 'placement.planned', producer: 'placement', key: pupilId, payload: { placementId, referralId: panel, pupilId, providerId: providerB } });
        const ended = newEvent({
          type: 'placement.ended',
          producer: 'placement',
          key: pupilId,
          payload: { placementId, referralId: panel, pupilId, providerId: providerB, endedOn: '2026-01-14', endReason: 'OTHER' },
        });
        await bus.publish(topicFor('placement'), [{ key: pupilId, value: JSON.stringify(planned) }, { key: pupilId, value: JSON.stringify(ended) }, { key: pupilId, value: JSON.stringify(planned) }]);
        await eventually(async () => expect((await call(school, `query($id: ID!) { referral(id: $id) { placementStatus } }`, { id: panel })).data.referral.placementStatus).toBe('ENDED'));
      } finally {
        await bus.close();
      }
      const res = await call(otherUser, ACCEPT, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data.acceptReferral.status).toBe('ACCEPTED');
      // referral.accepted carries the offer, so the placement takes a place on it.
      const [accepted] = await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'referral.accepted' AND envelope->'payload'->>'referralId' = $1`, [id]);
      expect(accepted.envelope.payload).toMatchObject({ referralId: id, providerId: other, offerId: offers.get(other) });
    });

    it('withdraws an open referral with a reason, publishing referral.withdrawn; a closed one cannot be', async () => {
      const draft = await call(school, SAVE, { input: { pupilId, ...direct(providerA), reason: 'ATTENDANCE', ...SECTIONS } });
      const id = draft.data.saveReferralDraft.id;
      await call(school, SUBMIT_DRAFT, { id });
      const res = await call(school, WITHDRAW, { id, reason: 'Family moved away' });
      expect(res.data.withdrawReferral.status).toBe('WITHDRAWN');
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'referral.withdrawn' AND envelope->'payload'->>'referralId' = $1`, [id])).toBe(1);
      expect(errorCodes(await call(school, WITHDRAW, { id, reason: 'again' }))).toEqual(['CONFLICT']);
      expect(errorCodes(await call(principal('SCHOOL_USER', 'school:100002'), WITHDRAW, { id: panel, reason: 'x' }))).toEqual(['NOT_FOUND']);
    });
  });

  it('refuses a suspended provider with a clear error, in the draft and at submit', async () => {
    const pupilId = await register();
    const suspended = await provider('SUSPENDED');
    const res = await call(school, SAVE, { input: { pupilId, providerId: suspended } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/suspended from the AP directory/), extensions: { field: 'providerId' } });

    const later = await provider();
    const draft = await call(school, SAVE, { input: { pupilId, ...direct(later), reason: 'SEMH_NEEDS', ...SECTIONS } });
    await service.dataSource.query(`UPDATE directory_provider SET status = 'SUSPENDED', approved = false WHERE id = $1`, [later]);
    const submit = await call(school, SUBMIT_DRAFT, { id: draft.data.saveReferralDraft.id });
    expect(errorCodes(submit)).toEqual(['BAD_USER_INPUT']);
    expect(submit.errors?.[0].message).toMatch(/suspended/);
  });

  describe('a direct referral goes only to an open offer of its provider (from the directory’s offer.changed)', () => {
    let pupilId: string;
    let providerId: string;
    beforeAll(async () => {
      pupilId = await register();
      providerId = await provider();
    });
    const submitTo = async (offerId: string | null) => {
      const d = await call(school, SAVE, { input: { pupilId, route: 'DIRECT', providerId, offerId, reason: 'SEMH_NEEDS', ...SECTIONS } });
      expect(d.errors).toBeUndefined();
      const id = d.data.saveReferralDraft.id as string;
      const res = await call(school, SUBMIT_DRAFT, { id });
      // Whatever the refusal, the draft stays a draft and nothing is published.
      expect(await count(`SELECT count(*)::int AS n FROM referral WHERE id = $1 AND status = 'DRAFT'`, [id])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE envelope->'payload'->>'referralId' = $1`, [id])).toBe(0);
      // A draft may be withdrawn (it was refused with a 500 before WithdrawnDrafts1733000000000).
      const withdrawn = await call(school, WITHDRAW, { id, reason: 'test done' });
      expect(withdrawn.data.withdrawReferral.status).toBe('WITHDRAWN');
      return res;
    };
    it.each([
      ['no offer at all', async () => null, /name the offer/],
      ['an offer the directory never published', async () => randomUUID(), /no such offer/],
      ['another provider’s offer', async () => offers.get(await provider())!, /another provider/],
      ['a closed offer', async () => offerOf(providerId, false), /closed/],
    ])('refuses %s at submit: BAD_USER_INPUT naming offerId, the draft kept', async (_what, offer, message) => {
      const res = await submitTo(await offer());
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.problems).toEqual([{ field: 'offerId', message: expect.stringMatching(message) }]);
    });
    it('follows the directory: an offer closed after the draft was saved is refused at submit', async () => {
      const offerId = await offerOf(providerId);
      const d = await call(school, SAVE, { input: { pupilId, route: 'DIRECT', providerId, offerId, reason: 'SEMH_NEEDS', ...SECTIONS } });
      const bus = new KafkaEventBus({ clientId: 'referral-test-offer' });
      try {
        await service.consuming(30_000);
        const closed = newEvent({
          type: 'offer.changed', producer: 'directory', key: offerId,
          payload: { offerId, providerId, laCode: LA, open: false, capacity: 4, keyStages: ['KS3'], pricePerDay: 120, effectiveAt: new Date(Date.now() + 60_000).toISOString() },
        });
        await bus.publish(topicFor('directory'), [{ key: offerId, value: JSON.stringify(closed) }]);
        await eventually(async () => expect(await count(`SELECT count(*)::int AS n FROM directory_offer WHERE id = $1 AND NOT open`, [offerId])).toBe(1));
      } finally {
        await bus.close();
      }
      const res = await call(school, SUBMIT_DRAFT, { id: d.data.saveReferralDraft.id });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('offerId');
      await call(school, WITHDRAW, { id: d.data.saveReferralDraft.id, reason: 'test done' });
    });
    it('the LA panel assigns a provider with one of its open offers, not another’s', async () => {
      const d = await call(school, SAVE, { input: { pupilId, route: 'LA_PANEL', reason: 'SEMH_NEEDS', ...SECTIONS } });
      const id = d.data.saveReferralDraft.id;
      expect((await call(school, SUBMIT_DRAFT, { id })).errors).toBeUndefined();
      const ASSIGN_OFFER = `mutation($id: ID!, $providerId: ID!, $offerId: ID) { assignProvider(id: $id, providerId: $providerId, offerId: $offerId) { offerId provider { id } } }`;
      const wrong = await call(officer, ASSIGN_OFFER, { id, providerId, offerId: offers.get(await provider()) });
      expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
      expect(wrong.errors?.[0].extensions?.field).toBe('offerId');
      const right = await call(officer, ASSIGN_OFFER, { id, providerId, offerId: offers.get(providerId) });
      expect(right.data.assignProvider).toEqual({ offerId: offers.get(providerId), provider: { id: providerId } });
      await call(school, WITHDRAW, { id, reason: 'test done' });
    });
  });

  describe('setReferralResponseDays: N per LA, set by its LA admin', () => {
    const SET = `mutation($la: String!, $n: Int!) { setReferralResponseDays(laCode: $la, schoolDays: $n) { laCode schoolDays } }`;
    const OTHER = '870';
    const otherAdmin = principal('LA_ADMIN', `la:${OTHER}`);
    afterAll(() => service.dataSource.query(`DELETE FROM la_referral_setting WHERE la_code = $1`, [OTHER]));

    it('sets N for the admin’s own LA: a referral sent from then on is answered within N school days', async () => {
      const res = await call(otherAdmin, SET, { la: OTHER, n: 3 });
      expect(res.errors).toBeUndefined();
      expect(res.data.setReferralResponseDays).toEqual({ laCode: OTHER, schoolDays: 3 });
      const pupilId = await register(OTHER, school);
      const p = await provider();
      const d = await call(school, SAVE, { input: { pupilId, ...direct(p), reason: 'SEMH_NEEDS', ...SECTIONS } });
      const sent = await call(school, SUBMIT_DRAFT, { id: d.data.saveReferralDraft.id });
      // Wednesday 14 January + 3 school days = Monday 19 January (the LA's own N, not the default 5).
      expect(sent.data.submitReferralDraft.respondBy).toBe('2026-01-19');
      // Set again: the latest stands.
      expect((await call(otherAdmin, SET, { la: OTHER, n: 10 })).data.setReferralResponseDays.schoolDays).toBe(10);
      expect(await count(`SELECT respond_within_school_days AS n FROM la_referral_setting WHERE la_code = $1`, [OTHER])).toBe(10);
    });

    it.each([0, 31, -1])('refuses %i school days: BAD_USER_INPUT naming schoolDays, nothing written', async (n) => {
      const res = await call(otherAdmin, SET, { la: OTHER, n });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('schoolDays');
      expect(await count(`SELECT respond_within_school_days AS n FROM la_referral_setting WHERE la_code = $1`, [OTHER])).toBe(10);
    });

    it('refuses another LA’s admin, an LA officer and a school (FORBIDDEN), changing nothing', async () => {
      for (const who of [laAdmin, officer, school]) {
        expect(errorCodes(await call(who, SET, { la: OTHER, n: 2 }))).toEqual(['FORBIDDEN']);
      }
      expect(await count(`SELECT respond_within_school_days AS n FROM la_referral_setting WHERE la_code = $1`, [OTHER])).toBe(10);
    });
  });

  describe('registerPupil takes the pupil’s circumstances and school on roll, as upsertPupils does', () => {
    const FIELDS_Q = `query($id: ID!) { pupil(id: $id) { school homeLaCode laCode senStatus hasSocialWorker pupilPremium lookedAfter } }`;
    const registerWith = (who: Principal, extra: Record<string, unknown>) =>
      call(who, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id senStatus hasSocialWorker pupilPremium lookedAfter school } }`, {
        input: { upn: makeUpn(), givenName: 'Kai', familyName: 'Reed', dateOfBirth: '2011-06-01', homeLaCode: LA, ...extra },
      });

    it('records them for a new pupil', async () => {
      const res = await registerWith(school, { senStatus: 'EHCP', hasSocialWorker: true, pupilPremium: true, lookedAfter: true, school: '100001' });
      expect(res.errors).toBeUndefined();
      expect(res.data.registerPupil).toMatchObject({ senStatus: 'EHCP', hasSocialWorker: true, pupilPremium: true, lookedAfter: true, school: '100001' });
      expect((await call(officer, FIELDS_Q, { id: res.data.registerPupil.id })).data.pupil).toEqual({
        school: '100001', homeLaCode: LA, laCode: LA, senStatus: 'EHCP', hasSocialWorker: true, pupilPremium: true, lookedAfter: true,
      });
    });

    it('lets an LA name the school on roll, which then sees the pupil', async () => {
      const res = await registerWith(officer, { school: '100031', lookedAfter: true });
      expect(res.errors).toBeUndefined();
      expect((await call(principal('SCHOOL_USER', 'school:100031'), FIELDS_Q, { id: res.data.registerPupil.id })).data.pupil).toMatchObject({ school: '100031', lookedAfter: true, senStatus: 'NONE' });
    });

    it('updates the circumstances given when a school registers a known pupil again (the pupil moved), and only those', async () => {
      const upn = makeUpn();
      const input = { upn, givenName: 'Noor', familyName: 'Ali', dateOfBirth: '2011-06-01', homeLaCode: LA };
      const first = await call(school, REGISTER, { input: { ...input, senStatus: 'SEN_SUPPORT', pupilPremium: true } });
      const again = await call(principal('SCHOOL_USER', 'school:100032'), REGISTER, { input: { ...input, senStatus: 'EHCP' } });
      expect(again.data.registerPupil.id).toBe(first.data.registerPupil.id);
      expect((await call(officer, FIELDS_Q, { id: first.data.registerPupil.id })).data.pupil).toMatchObject({ school: '100032', senStatus: 'EHCP', pupilPremium: true });
    });

    it('refuses a school naming another school, an unknown SEN status, and a bad URN from an LA: BAD_USER_INPUT naming the field, nothing written', async () => {
      const before = await count('SELECT count(*)::int AS n FROM pupil');
      const other = await registerWith(school, { school: '100002' });
      expect(errorCodes(other)).toEqual(['BAD_USER_INPUT']);
      expect(other.errors?.[0].extensions?.field).toBe('school');
      const sen = await registerWith(school, { senStatus: 'SOMETIMES' });
      expect(errorCodes(sen)).toEqual(['BAD_USER_INPUT']);
      expect(sen.errors?.[0].message).toMatch(/senStatus/);
      const urn = await registerWith(officer, { school: '12345' });
      expect(urn.errors?.[0].extensions?.field).toBe('school');
      expect(await count('SELECT count(*)::int AS n FROM pupil')).toBe(before);
    });
  });

  describe('bad input is BAD_USER_INPUT naming the field, and nothing is written', () => {
    let pupilId: string;
    let providerId: string;
    beforeAll(async () => {
      pupilId = await register();
      providerId = await provider();
    });
    it.each([
      ['currentAttendancePercent', { currentAttendancePercent: 100.1 }],
      ['hoursWanted', { hoursWanted: 41 }],
      ['consent.givenOn', { consent: { ...SECTIONS.consent, givenOn: '2026-01-15' } }],
      ['consent.givenOn', { consent: { ...SECTIONS.consent, givenOn: '2010-12-31' } }],
      ['proposedStartDate', { proposedStartDate: '2010-01-01' }],
      ['firstDayOfExclusion', { firstDayOfExclusion: '2011-01-01', reason: 'PERMANENT_EXCLUSION' }],
      ['needsAndStrengths', { needsAndStrengths: 'x'.repeat(100_000) }],
    ])('%s', async (field, change) => {
      const before = await count('SELECT count(*)::int AS n FROM referral');
      const res = await call(school, SAVE, { input: { pupilId, providerId, ...change } });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe(field);
      expect(await count('SELECT count(*)::int AS n FROM referral')).toBe(before);
    });
    it('an unknown enum value is refused before any resolver runs', async () => {
      const before = await count('SELECT count(*)::int AS n FROM referral');
      const res = await call(school, SAVE, { input: { pupilId, providerId, riskLevel: 'EXTREME' } });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].message).toMatch(/riskLevel/);
      expect(await count('SELECT count(*)::int AS n FROM referral')).toBe(before);
    });
  });

  describe('the pupil', () => {
    it('belongs to the LA of its school on roll when it has no home LA (from school.registered)', async () => {
      const bus = new KafkaEventBus({ clientId: 'referral-test-directory-school' });
      try {
        await service.consuming(30_000);
        const ev = newEvent({ type: 'school.registered', producer: 'directory', key: '100009', payload: { urn: '100009', name: 'Hillside Academy', phase: 'SECONDARY', laCode: '344' } });
        await bus.publish(topicFor('directory'), [{ key: '100009', value: JSON.stringify(ev) }]);
        await eventually(async () => expect(await count(`SELECT count(*)::int AS n FROM directory_school WHERE urn = '100009'`)).toBe(1));
      } finally {
        await bus.close();
      }
      const pupilId = await register(null, principal('SCHOOL_USER', 'school:100009'));
      const q = `query($id: ID!) { pupil(id: $id) { laCode school homeLaCode senStatus lookedAfter } }`;
      expect((await call(principal('LA_OFFICER', 'la:344'), q, { id: pupilId })).data.pupil).toEqual({
        laCode: '344', school: '100009', homeLaCode: null, senStatus: 'NONE', lookedAfter: false,
      });
      expect((await call(officer, q, { id: pupilId })).data.pupil).toBeNull();
    });

    describe('identifying fields, by role (table-driven)', () => {
      let pupilId: string;
      let providerId: string;
      beforeAll(async () => {
        pupilId = await register();
        providerId = await provider();
        const d = await call(school, SAVE, { input: { pupilId, ...direct(providerId), reason: 'SEMH_NEEDS', ...SECTIONS } });
        await call(school, SUBMIT_DRAFT, { id: d.data.saveReferralDraft.id });
      });
      const Q = `query($id: ID!) { pupil(id: $id) { upn givenName familyName dateOfBirth } }`;
      const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Pupil { upn givenName familyName dateOfBirth } } }`;
      it.each([
        ['the referring school', true, () => school],
        ['the provider referred to', true, () => principal('PROVIDER_USER', `provider:${providerId}`)],
        ['the pupil’s LA officer', true, () => officer],
        ['another LA’s officer', false, () => principal('LA_OFFICER', 'la:344')],
        ['another LA’s admin', false, () => principal('LA_ADMIN', 'la:344')],
        ['another school', false, () => principal('SCHOOL_USER', 'school:100002')],
        ['another provider', false, () => principal('PROVIDER_USER', `provider:${randomUUID()}`)],
        ['an analyst of the pupil’s LA', false, () => principal('ANALYST', `la:${LA}`)],
        ['a QA officer of the pupil’s LA', false, () => principal('QA_OFFICER', `la:${LA}`)],
        ['the school’s MIS', false, () => principal('MIS_CLIENT', 'school:100001')],
      ])('%s: sees them %p', async (_label, sees, who) => {
        for (const [query, vars] of [
          [Q, { id: pupilId }],
          [ENTITIES, { r: [{ __typename: 'Pupil', id: pupilId }] }],
        ] as const) {
          const res = await call(who(), query, vars);
          const text = JSON.stringify(res.data ?? null);
          if (sees) expect(text).toContain('Jones');
          else {
            expect(text).not.toContain('Jones');
            expect(text).not.toContain('2011-03-14');
          }
        }
      });
    });

    it('pupilAccessLog: the pupil’s LA admin sees who read the record; nobody else', async () => {
      const pupilId = await register();
      const reader = principal('SCHOOL_USER', 'school:100001', 'reader-dpo');
      await call(reader, `query($id: ID!) { pupil(id: $id) { upn familyName } }`, { id: pupilId });
      await call(reader, `query($id: ID!) { pupil(id: $id) { dateOfBirth } }`, { id: pupilId });
      const LOG = `query($id: ID!, $first: Int, $after: String) { pupilAccessLog(pupilId: $id, first: $first, after: $after) { nodes { userId role organisation fields readAt traceId } endCursor hasNextPage } }`;
      const page1 = await call(laAdmin, LOG, { id: pupilId, first: 1 });
      expect(page1.errors).toBeUndefined();
      expect(page1.data.pupilAccessLog).toMatchObject({ nodes: [{ userId: 'reader-dpo', role: 'SCHOOL_USER', organisation: 'school:100001', fields: ['dateOfBirth'] }], hasNextPage: true });
      const page2 = await call(laAdmin, LOG, { id: pupilId, first: 1, after: page1.data.pupilAccessLog.endCursor });
      expect(page2.data.pupilAccessLog).toMatchObject({ nodes: [{ fields: ['familyName', 'upn'] }], hasNextPage: false, endCursor: null });
      expect(errorCodes(await call(principal('LA_ADMIN', 'la:344'), LOG, { id: pupilId }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await call(officer, LOG, { id: pupilId }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(school, LOG, { id: pupilId }))).toEqual(['FORBIDDEN']);
    });
  });

  describe('upsertPupils', () => {
    it('writes 990 of 1,000 rows and rejects the 10 invalid with reasons; the same call again writes nothing', async () => {
      const mis = principal('MIS_CLIENT', 'school:100050');
      const rows = Array.from({ length: 1000 }, (_, i) => ({
        upn: i % 100 === 7 ? 'X000000000000' : makeUpn(),
        givenName: `Pupil${i}`,
        familyName: 'Roll',
        dateOfBirth: '2012-05-01',
        homeLaCode: LA,
        senStatus: i % 3 === 0 ? 'SEN_SUPPORT' : 'NONE',
        pupilPremium: i % 2 === 0,
      }));
      const res = await call(mis, UPSERT, { input: rows });
      expect(res.errors).toBeUndefined();
      const outcomes = res.data.upsertPupils.map((r: { outcome: string }) => r.outcome);
      expect(outcomes.filter((o: string) => o === 'CREATED')).toHaveLength(990);
      const rejected = res.data.upsertPupils.filter((r: { outcome: string }) => r.outcome === 'REJECTED');
      expect(rejected).toHaveLength(10);
      expect(rejected[0]).toMatchObject({ index: 7, problems: [{ field: 'upn' }] });
      expect(await count(`SELECT count(*)::int AS n FROM pupil WHERE registered_by_school_urn = '100050'`)).toBe(990);
      const stamp = await service.dataSource.query(`SELECT max(updated_at) AS at, count(*)::int AS n FROM pupil WHERE registered_by_school_urn = '100050'`);
      const outbox = await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'pupil.registered'`);
      // Each pupil written publishes its cohort facts for outcomes (pupils placed without a referral too).
      const cohortEvents = () =>
        count(`SELECT count(*)::int AS n FROM outbox o JOIN pupil p ON p.id = (o.envelope->'payload'->>'pupilId')::uuid
                WHERE o.type = 'pupil.cohort_changed' AND p.registered_by_school_urn = '100050'`);
      expect(await cohortEvents()).toBe(990);

      const again = await call(mis, UPSERT, { input: rows });
      const outcomes2 = again.data.upsertPupils.map((r: { outcome: string }) => r.outcome);
      expect(outcomes2.filter((o: string) => o === 'UNCHANGED')).toHaveLength(990);
      expect(outcomes2.filter((o: string) => o === 'REJECTED')).toHaveLength(10);
      expect(await service.dataSource.query(`SELECT max(updated_at) AS at, count(*)::int AS n FROM pupil WHERE registered_by_school_urn = '100050'`)).toEqual(stamp);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE type = 'pupil.registered'`)).toBe(outbox);

      // A change to one pupil updates that one only.
      const changed = rows.map((r, i) => (i === 1 ? { ...r, lookedAfter: true } : r));
      const third = await call(mis, UPSERT, { input: changed });
      expect(third.data.upsertPupils[1].outcome).toBe('UPDATED');
      expect(third.data.upsertPupils.filter((r: { outcome: string }) => r.outcome === 'UPDATED')).toHaveLength(1);
      expect(await cohortEvents()).toBe(991);
      const latest = await service.dataSource.query(
        `SELECT envelope->'payload'->'cohort' AS cohort FROM outbox WHERE type = 'pupil.cohort_changed' AND envelope->'payload'->>'pupilId' = $1 AND envelope->'payload'->'cohort'->>'lookedAfter' = 'true'`,
        [third.data.upsertPupils[1].pupilId],
      );
      expect(latest).toEqual([{ cohort: expect.objectContaining({ homeLaCode: LA, senStatus: 'NONE', pupilPremium: false, lookedAfter: true, hasSocialWorker: false }) }]);
    });

    it('links a known UPN to the school it moved to, and refuses more than 1,000 rows or a non-school caller', async () => {
      const upn = makeUpn();
      const row = { upn, givenName: 'Ava', familyName: 'Moss', dateOfBirth: '2012-05-01', homeLaCode: LA };
      expect((await call(principal('MIS_CLIENT', 'school:100060'), UPSERT, { input: [row] })).data.upsertPupils[0].outcome).toBe('CREATED');
      const moved = await call(principal('SCHOOL_USER', 'school:100061'), UPSERT, { input: [row] });
      expect(moved.data.upsertPupils[0].outcome).toBe('UPDATED');
      expect(await count(`SELECT count(*)::int AS n FROM pupil WHERE upn = $1 AND registered_by_school_urn = '100061'`, [upn])).toBe(1);
      const stranger = await call(principal('SCHOOL_USER', 'school:100062'), UPSERT, { input: [{ ...row, givenName: 'Eve' }] });
      expect(stranger.data.upsertPupils[0]).toMatchObject({ outcome: 'REJECTED', pupilId: null });
      const tooMany = await call(principal('MIS_CLIENT', 'school:100060'), UPSERT, { input: Array.from({ length: 1001 }, () => row) });
      expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await call(officer, UPSERT, { input: [row] }))).toEqual(['FORBIDDEN']);
    });
  });

  describe('the day-6 clock', () => {
    it('lists the LA’s permanently excluded pupils with school days left over a half-term and a bank holiday, most urgent first', async () => {
      // Excluded from Monday 18 May 2026: day 1 18 May … day 5 22 May; Mon 25 May is a bank holiday, 26–29 May half-term,
      // Mon 1 June an INSET day, so day 6 is Tuesday 2 June.
      const urgent = await register();
      const calm = await register();
      const p = await provider();
      for (const [pupilId, first] of [[urgent, '2026-05-18'], [calm, '2026-05-20']] as const) {
        setClock('2026-05-18T09:00:00Z');
        const d = await call(school, SAVE, { input: { pupilId, ...direct(p), reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: first, ...SECTIONS, proposedStartDate: '2026-06-01', consent: { ...SECTIONS.consent, givenOn: '2026-05-18' } } });
        expect(d.errors).toBeUndefined();
        expect((await call(school, SUBMIT_DRAFT, { id: d.data.saveReferralDraft.id })).errors).toBeUndefined();
      }
      setClock('2026-05-21T09:00:00Z');
      const WATCH = `query($la: String!) { day6Watchlist(laCode: $la) { pupil { id } day6Deadline schoolDaysLeft placementPlanned placementStarted } }`;
      const res = await call(officer, WATCH, { la: LA });
      expect(res.errors).toBeUndefined();
      const mine = res.data.day6Watchlist.filter((e: { pupil: { id: string } }) => [urgent, calm].includes(e.pupil.id));
      // From Thursday 21 May: Fri 22 May and Tue 2 June (urgent); the other, from Wed 20 May, has day 6 on Thu 4 June.
      expect(mine).toEqual([
        { pupil: { id: urgent }, day6Deadline: '2026-06-02', schoolDaysLeft: 2, placementPlanned: false, placementStarted: false },
        { pupil: { id: calm }, day6Deadline: '2026-06-04', schoolDaysLeft: 4, placementPlanned: false, placementStarted: false },
      ]);
      expect(errorCodes(await call(officer, WATCH, { la: '344' }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(school, WATCH, { la: LA }))).toEqual(['FORBIDDEN']);

      // The scheduled check: on Friday 22 May the urgent one has 1 school day left: alerted once, however often it runs.
      setClock('2026-05-22T09:00:00Z');
      const runs = await Promise.all([checkDay6AtRisk(service.dataSource), checkDay6AtRisk(service.dataSource)]);
      await checkDay6AtRisk(service.dataSource);
      const alerts = await service.dataSource.query(
        `SELECT envelope FROM outbox WHERE type = 'referral.day6_at_risk' AND envelope->'payload'->>'pupilId' = ANY($1)`,
        [[urgent, calm]],
      );
      expect(alerts.map((a: { envelope: { payload: { pupilId: string } } }) => a.envelope.payload)).toEqual([
        expect.objectContaining({ pupilId: urgent, day6Deadline: '2026-06-02', schoolDaysLeft: 1, laCode: LA }),
      ]);
      expect(runs[0] + runs[1]).toBeGreaterThanOrEqual(1);
      setClock('2026-01-14T10:00:00Z');
    });
  });
});
