import { randomUUID } from 'node:crypto';
import { setClock } from '@ap/domain';
import { clientToken, eventually, graphql, makeUpn, REFERRAL_FORM_SECTIONS as SECTIONS } from '@ap/testing';
import { ok } from './flow';
import { startStack, Stack } from './stack';

/**
 * Issue 9's "Done when", through the gateway with real tokens: the single form from draft to
 * decision, the LA panel route, the day-6 watchlist, and the pupil's identifying fields by role.
 */

jest.setTimeout(240_000);

const REFERRAL = `id status route respondBy overdue declineReasonCode provider { id } history { status role organisation }`;
const SAVE = `mutation($input: ReferralDraftInput!) { saveReferralDraft(input: $input) { ${REFERRAL} } }`;
const SUBMIT = `mutation($id: ID!) { submitReferralDraft(id: $id) { ${REFERRAL} } }`;
const AWAITING = `query { referralsAwaitingResponse(first: 100) { nodes { id respondBy overdue } hasNextPage } }`;


describe('the common referral protocol, through the gateway', () => {
  let stack: Stack;
  let url: string;
  const t = {} as Record<'laAdmin' | 'officer' | 'school', string>;

  const approvedProvider = async () => {
    const { registerProvider } = await ok(url, t.laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: { name: `Protocol ${randomUUID().slice(0, 6)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
    });
    await ok(url, t.laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { id } }`, { id: registerProvider.id });
    const { addOffer } = await ok(url, t.laAdmin, `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id } }`, {
      p: registerProvider.id,
      input: { name: 'KS3 SEMH day programme', keyStages: ['KS3'], needs: ['SEMH'], deliveryModes: ['ON_SITE'], sessionsOffered: 10, pricePerDay: 120, capacity: 4 },
    });
    offers.set(registerProvider.id, addOffer.id);
    return registerProvider.id as string;
  };
  const offers = new Map<string, string>();
  const registerPupil = async () =>
    (await ok(url, t.school, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
      input: { upn: makeUpn(), givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' },
    })).registerPupil.id as string;

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    t.laAdmin = await clientToken('LA_ADMIN', 'la:865');
    t.officer = await clientToken('LA_OFFICER', 'la:865');
    t.school = await clientToken('SCHOOL_USER', 'school:100001');
    // Wednesday 14 January 2026 (the sample LA calendar's spring term).
    setClock('2026-01-14T10:00:00Z');
  });
  afterAll(async () => {
    setClock(undefined);
    await stack?.stop();
  });

  it('draft, every problem at once, submit, respondBy, decline; again by the LA panel, assigned and accepted; history of each step', async () => {
    const [providerA, providerB] = await Promise.all([approvedProvider(), approvedProvider()]);
    const pupilId = await registerPupil();
    const tokenA = await clientToken('PROVIDER_USER', `provider:${providerA}`);
    const tokenB = await clientToken('PROVIDER_USER', `provider:${providerB}`);

    // The referral service learns of the approval from the directory's events, a moment later.
    const { saveReferralDraft: draft } = await eventually(() =>
      ok(url, t.school, SAVE, { input: { pupilId, route: 'DIRECT', providerId: providerA, offerId: offers.get(providerA), reason: 'SEMH_NEEDS', risks: 'Absconds' } }),
    );
    expect(draft.status).toBe('DRAFT');

    const incomplete = await graphql(url, SUBMIT, { id: draft.id }, { token: t.school });
    expect(incomplete.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((incomplete.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'needsAndStrengths', 'riskLevel', 'interventionsTried', 'currentAttendancePercent', 'outcomesWanted', 'proposedStartDate',
      'hoursWanted', 'pupilVoice', 'parentVoice', 'consent.parentalConsent', 'consent.dataSharingAgreed', 'consent.givenBy', 'consent.givenOn',
    ]);

    await ok(url, t.school, SAVE, { input: { id: draft.id, ...SECTIONS } });
    // The referral service learns of the offer from the directory's offer.changed, a moment later.
    const { submitReferralDraft: submitted } = await eventually(() => ok(url, t.school, SUBMIT, { id: draft.id }));
    expect(submitted).toMatchObject({ status: 'SUBMITTED', respondBy: '2026-01-21', overdue: false });
    // The offer referred to, from the directory through the gateway.
    const { referral: withOffer } = await ok(url, t.school, `query($id: ID!) { referral(id: $id) { offer { id name } } }`, { id: draft.id });
    expect(withOffer.offer).toEqual({ id: offers.get(providerA), name: 'KS3 SEMH day programme' });

    const awaiting = await ok(url, tokenA, AWAITING);
    expect(awaiting.referralsAwaitingResponse.nodes).toEqual([{ id: draft.id, respondBy: '2026-01-21', overdue: false }]);

    const { declineReferral } = await ok(url, tokenA, `mutation($id: ID!) { declineReferral(id: $id, reason: { code: NO_CAPACITY, text: "Full until Easter" }) { ${REFERRAL} } }`, { id: draft.id });
    expect(declineReferral).toMatchObject({ status: 'DECLINED', declineReasonCode: 'NO_CAPACITY' });

    const { saveReferralDraft: panel } = await ok(url, t.school, SAVE, { input: { pupilId, route: 'LA_PANEL', reason: 'SEMH_NEEDS', ...SECTIONS } });
    await ok(url, t.school, SUBMIT, { id: panel.id });
    const forPanel = await ok(url, t.officer, AWAITING);
    expect(forPanel.referralsAwaitingResponse.nodes.map((n: { id: string }) => n.id)).toContain(panel.id);
    await ok(url, t.officer, `mutation($id: ID!, $p: ID!) { assignProvider(id: $id, providerId: $p) { id } }`, { id: panel.id, p: providerB });
    const { acceptReferral } = await ok(url, tokenB, `mutation($id: ID!) { acceptReferral(id: $id, input: { agreedStartDate: "2026-02-02" }) { ${REFERRAL} } }`, { id: panel.id });
    expect(acceptReferral.status).toBe('ACCEPTED');
    expect(acceptReferral.history.map((h: { status: string; role: string }) => `${h.status} by ${h.role}`)).toEqual([
      'DRAFT by SCHOOL_USER',
      'SUBMITTED by SCHOOL_USER',
      'SUBMITTED by LA_OFFICER',
      'ACCEPTED by PROVIDER_USER',
    ]);
    const { referral } = await ok(url, t.school, `query($id: ID!) { referral(id: $id) { history { status role } } }`, { id: draft.id });
    expect(referral.history.map((h: { status: string }) => h.status)).toEqual(['DRAFT', 'SUBMITTED', 'DECLINED']);

    // The placement service plans a placement from the acceptance; the referral service hears of it.
    await eventually(async () => {
      const { referral: r } = await ok(url, t.school, `query($id: ID!) { referral(id: $id) { placementStatus } }`, { id: panel.id });
      expect(r.placementStatus).toBe('PLANNED');
    });
  });

  it('day6Watchlist lists a permanently excluded pupil with the school days left over a half-term and a bank holiday', async () => {
    const provider = await approvedProvider();
    const pupilId = await registerPupil();
    // Excluded from Monday 18 May 2026: Mon 25 May is a bank holiday, 26–29 May half-term, Mon 1 June an INSET day: day 6 is Tuesday 2 June.
    setClock('2026-05-18T09:00:00Z');
    try {
      const { saveReferralDraft: d } = await eventually(() =>
        ok(url, t.school, SAVE, {
          input: { pupilId, providerId: provider, offerId: offers.get(provider), reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: '2026-05-18', ...SECTIONS, proposedStartDate: '2026-05-26', consent: { ...SECTIONS.consent, givenOn: '2026-05-18' } },
        }),
      );
      await eventually(() => ok(url, t.school, SUBMIT, { id: d.id }));
      setClock('2026-05-21T09:00:00Z');
      const { day6Watchlist } = await ok(url, t.officer, `query { day6Watchlist(laCode: "865") { pupil { id upn } day6Deadline schoolDaysLeft placementPlanned } }`);
      // From Thursday 21 May: Friday 22 May and Tuesday 2 June.
      expect(day6Watchlist.find((e: { pupil: { id: string } }) => e.pupil.id === pupilId)).toMatchObject({ day6Deadline: '2026-06-02', schoolDaysLeft: 2, placementPlanned: false });
      const other = await graphql(url, `query { day6Watchlist(laCode: "865") { day6Deadline } }`, {}, { token: await clientToken('LA_OFFICER', 'la:344') });
      expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      setClock('2026-01-14T10:00:00Z');
    }
  });

  it('another LA’s officer, another school, another provider and an analyst get nothing of the pupil’s identifying fields', async () => {
    const provider = await approvedProvider();
    const pupilId = await registerPupil();
    const { saveReferralDraft: d } = await eventually(() => ok(url, t.school, SAVE, { input: { pupilId, providerId: provider, offerId: offers.get(provider), reason: 'SEMH_NEEDS', ...SECTIONS } }));
    await eventually(() => ok(url, t.school, SUBMIT, { id: d.id }));
    const Q = `query($id: ID!, $r: ID!) { pupil(id: $id) { upn givenName familyName dateOfBirth } referral(id: $r) { pupil { upn familyName dateOfBirth } } }`;
    const cases: [string, string, string, boolean][] = [
      ['the school', 'SCHOOL_USER', 'school:100001', true],
      ['the provider', 'PROVIDER_USER', `provider:${provider}`, true],
      ['the pupil’s LA officer', 'LA_OFFICER', 'la:865', true],
      ['another LA’s officer', 'LA_OFFICER', 'la:344', false],
      ['another school', 'SCHOOL_USER', 'school:100002', false],
      ['another provider', 'PROVIDER_USER', `provider:${randomUUID()}`, false],
      ['an analyst', 'ANALYST', 'la:865', false],
      ['a QA officer', 'QA_OFFICER', 'la:865', false],
    ];
    const seen: Record<string, boolean> = {};
    for (const [label, role, org] of cases) {
      const res = await graphql(url, Q, { id: pupilId, r: d.id }, { token: await clientToken(role as never, org) });
      seen[label] = JSON.stringify(res.data ?? null).includes('Jones');
      if (!seen[label]) expect(JSON.stringify(res.data ?? null)).not.toContain('2011-03-14');
    }
    expect(seen).toEqual(Object.fromEntries(cases.map(([label, , , sees]) => [label, sees])));
  });

  it('upsertPupils: 1,000 rows, 10 invalid: 990 written and 10 rejected with reasons; the same call again writes nothing', async () => {
    const mis = await clientToken('MIS_CLIENT', 'school:100070');
    const db = stack.services.referral.dataSource;
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      upn: makeUpn(),
      givenName: `Pupil${i}`,
      familyName: 'Roll',
      // Ten rows with a date of birth in the future.
      dateOfBirth: i % 100 === 42 ? '2030-01-01' : '2012-05-01',
      homeLaCode: '865',
      pupilPremium: i % 2 === 0,
    }));
    const UPSERT = `mutation($input: [PupilUpsertInput!]!) { upsertPupils(input: $input) { index outcome problems { field message } } }`;
    const first = await ok(url, mis, UPSERT, { input: rows });
    const tally = (answers: { outcome: string }[]) => answers.reduce<Record<string, number>>((t, a) => ({ ...t, [a.outcome]: (t[a.outcome] ?? 0) + 1 }), {});
    expect(tally(first.upsertPupils)).toEqual({ CREATED: 990, REJECTED: 10 });
    expect(first.upsertPupils[42]).toMatchObject({ outcome: 'REJECTED', problems: [{ field: 'dateOfBirth', message: expect.stringMatching(/future/) }] });
    const state = () => db.query(`SELECT count(*)::int AS n, max(updated_at) AS at FROM pupil WHERE registered_by_school_urn = '100070'`);
    const before = await state();
    expect(before[0].n).toBe(990);
    const again = await ok(url, mis, UPSERT, { input: rows });
    expect(tally(again.upsertPupils)).toEqual({ UNCHANGED: 990, REJECTED: 10 });
    expect(await state()).toEqual(before);
  });

  it('refuses a 100 kB free-text section with BAD_USER_INPUT naming it, writing nothing', async () => {
    const pupilId = await registerPupil();
    const db = stack.services.referral.dataSource;
    const before = (await db.query(`SELECT count(*)::int AS n FROM referral`))[0].n;
    const res = await graphql(url, SAVE, { input: { pupilId, route: 'LA_PANEL', parentVoice: 'x'.repeat(100_000) } }, { token: t.school });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentVoice' });
    expect((await db.query(`SELECT count(*)::int AS n FROM referral`))[0].n).toBe(before);
  });
});
