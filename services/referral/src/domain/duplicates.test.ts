import type { Principal, Role } from '@ap/auth';
import { linkKnownPupil } from './access';
import { checkPupilFreeForPlacement, isOpenReferral, openReferralExists, PupilDetails, REFERRAL_STATUSES, sameIdentity } from './referral';

const as = (role: Role, org: string): Principal => {
  const [type, id] = org.split(':') as [Principal['org']['type'], string];
  return { userId: `${role}-user`, role, org: { type, id } };
};

const sam: PupilDetails = { upn: 'A123456789012', givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' };

describe('isOpenReferral', () => {
  it.each(REFERRAL_STATUSES.map((s) => [s, ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW'].includes(s)]))('%s is open: %s', (status, open) => {
    expect(isOpenReferral(status)).toBe(open);
  });
});

describe('openReferralExists', () => {
  it('names the open referral and its date to a caller who may see it', () => {
    expect(openReferralExists({ id: 'r-1', submittedAt: new Date('2026-11-20T10:00:00Z') })).toBe(
      'This pupil already has an open referral to this provider (r-1, submitted 2026-11-20): withdraw it or wait for the provider’s answer before referring again',
    );
  });
  it('says only that one exists to anyone else', () => {
    expect(openReferralExists(null)).not.toMatch(/\d/);
  });
});

describe('checkPupilFreeForPlacement', () => {
  it('lets a pupil with no accepted referral be placed', () => {
    expect(checkPupilFreeForPlacement([])).toEqual({ ok: true });
  });
  it('refuses while another accepted referral holds the placement, naming nothing of it', () => {
    const result = checkPupilFreeForPlacement([{ id: 'r-other' }]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).not.toContain('r-other');
  });
});

describe('sameIdentity', () => {
  it.each([
    [{}, true],
    [{ givenName: ' sam ' }, true],
    [{ familyName: 'JONES' }, true],
    [{ homeLaCode: '344' }, true],
    [{ givenName: 'Samuel' }, false],
    [{ familyName: 'Jone' }, false],
    [{ dateOfBirth: '2011-03-15' }, false],
  ])('%j matches: %s', (change, same) => {
    expect(sameIdentity(sam, { ...sam, ...change })).toBe(same);
  });
});

describe('linkKnownPupil', () => {
  const known = { ...sam, registeredBySchoolUrn: '100001' };
  const schoolScope = (urn: string) => ({ homeLaCode: '865', registeredBySchoolUrn: urn });

  it('takes the pupil onto the roll of the school that registers it again, keeping its home LA', () => {
    expect(linkKnownPupil(as('SCHOOL_USER', 'school:100002'), { ...known, homeLaCode: null }, sam)).toEqual({ homeLaCode: null, registeredBySchoolUrn: '100002' });
    expect(linkKnownPupil(as('SCHOOL_USER', 'school:100002'), known, { ...sam, homeLaCode: '344' })).toEqual({
      homeLaCode: '865',
      registeredBySchoolUrn: '100002',
    });
    expect(linkKnownPupil(as('MIS_CLIENT', 'school:100001'), known, sam)).toEqual(schoolScope('100001'));
  });

  it('refuses a caller who does not know the names and date of birth', () => {
    expect(linkKnownPupil(as('SCHOOL_USER', 'school:100002'), known, { ...sam, givenName: 'Alex' })).toBeNull();
  });

  it('lets an LA re-register a pupil of its own area, not another LA’s nor one of no LA (whose referrals it would then see)', () => {
    expect(linkKnownPupil(as('LA_OFFICER', 'la:865'), known, sam)).toEqual(schoolScope('100001'));
    expect(linkKnownPupil(as('LA_OFFICER', 'la:344'), { ...known, homeLaCode: null }, sam)).toBeNull();
    expect(linkKnownPupil(as('LA_OFFICER', 'la:344'), known, sam)).toBeNull();
  });

  it.each(['PROVIDER_USER', 'QA_OFFICER', 'ANALYST'] as Role[])('links nothing for %s', (role) => {
    expect(linkKnownPupil(as(role, 'la:865'), known, sam)).toBeNull();
  });
});
