import type { Principal, Role } from '@ap/auth';
import type { Checked } from './referral';
import { canAcceptReferral, canReadAccessLog, canSeePupil, canSeeReferral, mayActOnReferral, pupilLa, PupilScope, ReferralScope, referringSchool, registrationScope } from './access';

const PROVIDER = '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10';
const OTHER_PROVIDER = '00000000-0000-4000-8000-000000000000';

const as = (role: Role, org: string): Principal => {
  const [type, id] = org.split(':') as [Principal['org']['type'], string];
  return { userId: `${role}-user`, role, org: { type, id } };
};

// The cast of callers, one per role and organisation that matters.
const school = as('SCHOOL_USER', 'school:100001');
const mis = as('MIS_CLIENT', 'school:100001');
const otherSchool = as('SCHOOL_USER', 'school:100002');
const provider = as('PROVIDER_USER', `provider:${PROVIDER}`);
const otherProvider = as('PROVIDER_USER', `provider:${OTHER_PROVIDER}`);
const laAdmin = as('LA_ADMIN', 'la:865');
const laOfficer = as('LA_OFFICER', 'la:865');
const otherLa = as('LA_OFFICER', 'la:344');
const qa = as('QA_OFFICER', 'la:865');
const analyst = as('ANALYST', 'la:865');
// A token whose role and organisation disagree never gets past the gateway; the rules must not trust it either.
const schoolRoleWithLaOrg = as('SCHOOL_USER', 'la:865');
const laRoleWithSchoolOrg = as('LA_ADMIN', 'school:100001');

/** A pupil of LA 865, registered by school 100001, referred by that school to PROVIDER. */
const pupil: PupilScope & { id: string } = { id: 'b2a0c1de-7f4e-4a37-9d1c-5e7f0a1b2c3d', homeLaCode: '865', registeredBySchoolUrn: '100001' };
const referral: ReferralScope = { schoolUrn: '100001', providerId: PROVIDER };

const name = (p: Principal) => `${p.role} of ${p.org.type}:${p.org.id.slice(0, 8)}`;

describe('canSeeReferral', () => {
  it.each<[Principal, boolean]>([
    [school, true],
    // A MIS client pushes pupils; it reads nothing (src/access.ts).
    [mis, false],
    [otherSchool, false],
    [provider, true],
    [otherProvider, false],
    [laAdmin, true],
    [laOfficer, true],
    [otherLa, false],
    [qa, false],
    [analyst, false],
    [schoolRoleWithLaOrg, false],
    [laRoleWithSchoolOrg, false],
  ])('%# %p', (p, expected) => {
    expect(canSeeReferral(p, referral, pupil)).toBe(expected);
  });

  it('gives no LA a referral of a pupil with no home LA', () => {
    expect(canSeeReferral(laAdmin, referral, { ...pupil, homeLaCode: null })).toBe(false);
  });
});

describe('canSeePupil', () => {
  const referredByOtherSchool: ReferralScope = { schoolUrn: '100002', providerId: PROVIDER };
  const referredElsewhere: ReferralScope = { schoolUrn: '100002', providerId: OTHER_PROVIDER };

  it.each<[string, Principal, ReferralScope[], boolean]>([
    ['the registering school, before any referral', school, [], true],
    ['the registering school’s MIS (upsert only)', mis, [], false],
    ['another school, with no referral of its own', otherSchool, [referral], false],
    ['another school that referred the pupil', otherSchool, [referredByOtherSchool], true],
    ['the provider a referral was sent to', provider, [referredElsewhere, referral], true],
    ['a provider with no referral', otherProvider, [referral], false],
    ['a provider, when there are no referrals', provider, [], false],
    ['the pupil’s LA, with no referral', laOfficer, [], true],
    ['the pupil’s LA admin', laAdmin, [], true],
    ['another LA, whatever the referrals', otherLa, [referral, referredByOtherSchool], false],
    ['a QA officer', qa, [referral], false],
    ['an analyst', analyst, [referral], false],
    ['a school role with an LA organisation', schoolRoleWithLaOrg, [referral], false],
  ])('%s → %s', (_who, p, referrals, expected) => {
    expect(canSeePupil(p, pupil, referrals)).toBe(expected);
  });

  it('lets a school that did not register the pupil in only through its own referral', () => {
    const laRegistered: PupilScope = { homeLaCode: '865', registeredBySchoolUrn: null };
    expect(canSeePupil(school, laRegistered, [])).toBe(false);
    expect(canSeePupil(school, laRegistered, [referral])).toBe(true);
  });
});

describe('canAcceptReferral', () => {
  it.each<[Principal, boolean]>([
    [provider, true],
    [otherProvider, false],
    [laAdmin, true],
    [laOfficer, true],
    [otherLa, false],
    [school, false],
    [mis, false],
    [qa, false],
    [analyst, false],
    [laRoleWithSchoolOrg, false],
  ])('%# %p', (p, expected) => {
    expect(canAcceptReferral(p, referral, pupil)).toBe(expected);
  });
});

describe('referringSchool', () => {
  const unknown = /is not registered: register the pupil first/;
  it.each<[string, Principal, PupilScope & { id: string }, string | null, { ok: true; value: string } | { field: string; message: RegExp }]>([
    ['a school for its own pupil', school, pupil, null, { ok: true, value: '100001' }],
    ['a school naming itself', school, pupil, '100001', { ok: true, value: '100001' }],
    ['an MIS (upsert only), answered as for an unknown pupil', mis, pupil, null, { field: 'pupilId', message: unknown }],
    ['a school naming another school', school, pupil, '100002', { field: 'schoolUrn', message: /refers only for itself/ }],
    ['a school for a pupil it did not register', otherSchool, pupil, null, { field: 'pupilId', message: unknown }],
    ['the LA for a pupil of its area', laOfficer, pupil, '100003', { ok: true, value: '100003' }],
    ['the LA without a school', laAdmin, pupil, null, { field: 'schoolUrn', message: /six-digit URN/ }],
    ['the LA with a malformed URN', laAdmin, pupil, '10001', { field: 'schoolUrn', message: /six-digit URN/ }],
    ['another LA', otherLa, pupil, '100003', { field: 'pupilId', message: unknown }],
    ['the LA for a pupil with no home LA', laAdmin, { ...pupil, homeLaCode: null }, '100003', { field: 'pupilId', message: unknown }],
    ['a provider', provider, pupil, '100001', { field: 'pupilId', message: /Only schools and the local authority/ }],
    ['a QA officer', qa, pupil, '100001', { field: 'pupilId', message: /Only schools and the local authority/ }],
    ['an analyst', analyst, pupil, '100001', { field: 'pupilId', message: /Only schools and the local authority/ }],
  ])('%s', (_what, p, scope, requested, expected) => {
    const r = referringSchool(p, scope, requested);
    if ('ok' in expected) {
      expect(r).toEqual(expected);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems).toEqual([{ field: expected.field, message: expect.stringMatching(expected.message) }]);
    }
  });
});

describe('registrationScope', () => {
  it.each<[string, Principal, string | null, PupilScope]>([
    ['a school keeps the home LA given', school, '344', { homeLaCode: '344', registeredBySchoolUrn: '100001' }],
    ['a school may leave the home LA unknown', school, null, { homeLaCode: null, registeredBySchoolUrn: '100001' }],
    ['an MIS registers for its school', mis, '865', { homeLaCode: '865', registeredBySchoolUrn: '100001' }],
    ['an LA registers a pupil of its own area', laOfficer, '865', { homeLaCode: '865', registeredBySchoolUrn: null }],
    ['an LA that gives no home LA registers it as its own', laAdmin, null, { homeLaCode: '865', registeredBySchoolUrn: null }],
  ])('%s', (_what, p, homeLaCode, expected) => {
    expect(registrationScope(p, homeLaCode)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, Principal, string | null, Checked<PupilScope>]>([
    ['a school naming itself as the school on roll', school, '100001', { ok: true, value: { homeLaCode: '865', registeredBySchoolUrn: '100001' } }],
    ['a school naming another school', school, '100002', { ok: false, problems: [{ field: 'school', message: expect.stringMatching(/its own roll/) }] }],
    ['an LA naming the school on roll', laOfficer, '100002', { ok: true, value: { homeLaCode: '865', registeredBySchoolUrn: '100002' } }],
    ['an LA naming a school that is no URN', laAdmin, '12345', { ok: false, problems: [{ field: 'school', message: expect.stringMatching(/six-digit URN/) }] }],
  ])('the school on roll: %s', (_what, p, schoolUrn, expected) => {
    expect(registrationScope(p, '865', schoolUrn)).toEqual(expected);
  });

  it('refuses an LA registering a pupil of another area', () => {
    expect(registrationScope(otherLa, '865')).toEqual({
      ok: false,
      problems: [{ field: 'homeLaCode', message: expect.stringMatching(/only pupils of its own area/) }],
    });
  });

  it.each([provider, qa, analyst, schoolRoleWithLaOrg, laRoleWithSchoolOrg].map((p) => [name(p), p] as const))('refuses %s', (_who, p) => {
    const r = registrationScope(p, '865');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ field: 'upn', message: expect.stringMatching(/Only schools, their MIS and the local authority/) }]);
  });
});

describe('the pupil’s LA: home LA, else the LA of the school on roll', () => {
  const bySchool: PupilScope = { homeLaCode: null, registeredBySchoolUrn: '100009', schoolLaCode: '344' };
  it.each([
    [{ homeLaCode: '865', registeredBySchoolUrn: '100001', schoolLaCode: '344' }, '865'],
    [bySchool, '344'],
    [{ homeLaCode: null, registeredBySchoolUrn: '100009', schoolLaCode: null }, null],
  ])('%o → %s', (scope, la) => {
    expect(pupilLa(scope)).toBe(la);
  });
  it.each([
    [as('LA_OFFICER', 'la:344'), true],
    [laOfficer, false],
  ])('a pupil known only by its school’s LA: %o sees it %s', (who, sees) => {
    expect(canSeePupil(who, bySchool, [])).toBe(sees);
  });
  it.each([
    [laAdmin, true],
    [laOfficer, false],
    [otherLa, false],
    [school, false],
    [analyst, false],
  ])('the access log: %o reads it %s', (who, reads) => {
    expect(canReadAccessLog(who, pupil)).toBe(reads);
  });
  it.each([
    ['Mutation.reviewReferral', provider, true],
    ['Mutation.reviewReferral', otherProvider, false],
    ['Mutation.declineReferral', laOfficer, true],
    ['Mutation.withdrawReferral', school, true],
    ['Mutation.withdrawReferral', provider, false],
    ['Mutation.assignProvider', laOfficer, true],
    ['Mutation.assignProvider', otherLa, false],
  ] as const)('%s by %o: %s', (op, who, may) => {
    expect(mayActOnReferral(who, op, referral, pupil)).toBe(may);
  });
});
