import type { Principal } from '@ap/auth';
import { Checked, PupilDetails, sameIdentity } from './referral';

/**
 * Who may see and do what with pupils and referrals, by organisation and not only by role:
 * a school sees its own pupils' referrals, a provider the referrals sent to it, an LA the
 * pupils of its area. Everyone else sees nothing here (analysts read pseudonymised outcomes).
 */
export interface PupilScope {
  homeLaCode: string | null;
  registeredBySchoolUrn: string | null;
}
export interface ReferralScope {
  schoolUrn: string;
  providerId: string;
}

const isSchool = (p: Principal) => (p.role === 'SCHOOL_USER' || p.role === 'MIS_CLIENT') && p.org.type === 'school';
const isLa = (p: Principal) => (p.role === 'LA_ADMIN' || p.role === 'LA_OFFICER') && p.org.type === 'la';
const isProvider = (p: Principal) => p.role === 'PROVIDER_USER' && p.org.type === 'provider';

export function canSeeReferral(p: Principal, referral: ReferralScope, pupil: PupilScope): boolean {
  if (isSchool(p)) return referral.schoolUrn === p.org.id;
  if (isProvider(p)) return referral.providerId === p.org.id;
  if (isLa(p)) return pupil.homeLaCode === p.org.id;
  return false;
}

export function canSeePupil(p: Principal, pupil: PupilScope, referrals: ReferralScope[]): boolean {
  if (isLa(p)) return pupil.homeLaCode === p.org.id;
  if (isSchool(p) && pupil.registeredBySchoolUrn === p.org.id) return true;
  return referrals.some((r) => canSeeReferral(p, r, pupil));
}

/** The provider answers a referral sent to it; the LA's panel may answer for its own pupils. */
export function canAcceptReferral(p: Principal, referral: ReferralScope, pupil: PupilScope): boolean {
  if (isProvider(p)) return referral.providerId === p.org.id;
  if (isLa(p)) return pupil.homeLaCode === p.org.id;
  return false;
}

/**
 * The referring school: a school user always refers for its own school (so it cannot refer
 * in another school's name); an LA user refers on a school's behalf for a pupil of its area.
 */
export function referringSchool(p: Principal, pupil: PupilScope, requestedUrn: string | null): Checked<string> {
  if (isSchool(p)) {
    if (requestedUrn && requestedUrn !== p.org.id) {
      return { ok: false, problems: [{ field: 'schoolUrn', message: 'A school refers only for itself: leave schoolUrn empty' }] };
    }
    if (!canSeePupil(p, pupil, [])) {
      return { ok: false, problems: [{ field: 'pupilId', message: 'This pupil is not registered by your school: register the pupil first' }] };
    }
    return { ok: true, value: p.org.id };
  }
  if (isLa(p)) {
    if (pupil.homeLaCode !== p.org.id) {
      return { ok: false, problems: [{ field: 'pupilId', message: 'This pupil does not live in your local authority' }] };
    }
    if (!requestedUrn || !/^\d{6}$/.test(requestedUrn)) {
      return { ok: false, problems: [{ field: 'schoolUrn', message: 'Give the six-digit URN of the school you refer for' }] };
    }
    return { ok: true, value: requestedUrn };
  }
  return { ok: false, problems: [{ field: 'pupilId', message: 'Only schools and the local authority make referrals' }] };
}

/** Who registers a pupil, and what the record says about where the pupil belongs. */
export function registrationScope(p: Principal, homeLaCode: string | null): Checked<PupilScope> {
  if (isSchool(p)) return { ok: true, value: { homeLaCode, registeredBySchoolUrn: p.org.id } };
  if (isLa(p)) {
    if (homeLaCode && homeLaCode !== p.org.id) {
      return { ok: false, problems: [{ field: 'homeLaCode', message: 'An LA registers only pupils of its own area' }] };
    }
    return { ok: true, value: { homeLaCode: p.org.id, registeredBySchoolUrn: null } };
  }
  return { ok: false, problems: [{ field: 'upn', message: 'Only schools, their MIS and the local authority register pupils' }] };
}

/**
 * A pupil already known by UPN, registered again: a school that gives the same names and date of
 * birth takes the pupil onto its roll (the pupil moved school); an LA re-registers only a pupil
 * of its own area. null means refuse, without saying why (it may be another school's).
 */
export function linkKnownPupil(p: Principal, known: PupilDetails & PupilScope, given: PupilDetails): PupilScope | null {
  if (!sameIdentity(known, given)) return null;
  // Only the school on roll changes: a home LA set here would show that LA every school's referrals of the pupil.
  const homeLaCode = known.homeLaCode;
  if (isSchool(p)) return { homeLaCode, registeredBySchoolUrn: p.org.id };
  if (isLa(p) && homeLaCode === p.org.id) return { homeLaCode, registeredBySchoolUrn: known.registeredBySchoolUrn };
  return null;
}
