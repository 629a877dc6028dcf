import { mayAccess, Principal } from '@ap/auth';
import { referralAccess } from '../access';
import { Checked, PupilDetails, sameIdentity } from './referral';

/**
 * Who may see and do what with pupils and referrals, by organisation and not only by role, as the
 * access table (src/access.ts) says: a school sees its own pupils' referrals, a provider the
 * referrals sent to it, an LA the pupils of its area. These functions gather the facts; the table decides.
 */
export interface PupilScope {
  homeLaCode: string | null;
  registeredBySchoolUrn: string | null;
  /** The LA of the school on roll, when the directory has told us (school.registered). */
  schoolLaCode?: string | null;
}
export interface ReferralScope {
  schoolUrn: string;
  providerId: string | null;
}

/** The pupil's LA: its home LA or, where none, the LA of its school on roll. */
export const pupilLa = (pupil: PupilScope): string | null => pupil.homeLaCode ?? pupil.schoolLaCode ?? null;

const isSchool = (p: Principal) => (p.role === 'SCHOOL_USER' || p.role === 'MIS_CLIENT') && p.org.type === 'school';
const isLa = (p: Principal) => (p.role === 'LA_ADMIN' || p.role === 'LA_OFFICER') && p.org.type === 'la';

const referralFacts = (referral: ReferralScope, pupil: PupilScope) => ({
  schoolUrns: [referral.schoolUrn],
  providerIds: [referral.providerId],
  pupilLaCode: pupilLa(pupil),
});

/** The table's answer for a referral operation (accept, review, decline, withdraw, draft, assign…). */
export function mayActOnReferral(p: Principal, operation: string, referral: ReferralScope, pupil: PupilScope): boolean {
  return mayAccess(referralAccess, operation, p, referralFacts(referral, pupil));
}

/** The data-protection log of a pupil: the pupil's LA admin only. */
export function canReadAccessLog(p: Principal, pupil: PupilScope): boolean {
  return mayAccess(referralAccess, 'Query.pupilAccessLog', p, { pupilLaCode: pupilLa(pupil) });
}

export function canSeeReferral(p: Principal, referral: ReferralScope, pupil: PupilScope): boolean {
  return mayAccess(referralAccess, 'Query.referral', p, referralFacts(referral, pupil));
}

/** The same relation for each referral listed under a pupil (Pupil.referrals). */
export function canListReferral(p: Principal, referral: ReferralScope, pupil: PupilScope): boolean {
  return mayAccess(referralAccess, 'Pupil.referrals', p, referralFacts(referral, pupil));
}

/** A school sees the pupils it registered or referred; a provider those referred to it; an LA its home pupils. */
export function canSeePupil(p: Principal, pupil: PupilScope, referrals: ReferralScope[]): boolean {
  return mayAccess(referralAccess, 'Query.pupil', p, {
    schoolUrns: [pupil.registeredBySchoolUrn, ...referrals.map((r) => r.schoolUrn)],
    providerIds: referrals.map((r) => r.providerId),
    pupilLaCode: pupilLa(pupil),
  });
}

/** The provider answers a referral sent to it; the LA's panel may answer for its own pupils. */
export function canAcceptReferral(p: Principal, referral: ReferralScope, pupil: PupilScope): boolean {
  return mayAccess(referralAccess, 'Mutation.acceptReferral', p, referralFacts(referral, pupil));
}

/**
 * The referring school: a school user always refers for its own school (so it cannot refer
 * in another school's name); an LA user refers on a school's behalf for a pupil of its area.
 */
export function referringSchool(p: Principal, pupil: PupilScope & { id: string }, requestedUrn: string | null): Checked<string> {
  const pupilId = pupil.id;
  if (isSchool(p)) {
    if (requestedUrn && requestedUrn !== p.org.id) {
      return { ok: false, problems: [{ field: 'schoolUrn', message: 'A school refers only for itself: leave schoolUrn empty' }] };
    }
    if (!mayAccess(referralAccess, 'Mutation.submitReferral', p, { schoolUrns: [pupil.registeredBySchoolUrn] })) {
      return { ok: false, problems: [unknownPupil(pupilId)] };
    }
    return { ok: true, value: p.org.id };
  }
  if (isLa(p)) {
    if (!mayAccess(referralAccess, 'Mutation.submitReferral', p, { pupilLaCode: pupilLa(pupil) })) {
      return { ok: false, problems: [unknownPupil(pupilId)] };
    }
    if (!requestedUrn || !/^\d{6}$/.test(requestedUrn)) {
      return { ok: false, problems: [{ field: 'schoolUrn', message: 'Give the six-digit URN of the school you refer for' }] };
    }
    return { ok: true, value: requestedUrn };
  }
  return { ok: false, problems: [{ field: 'pupilId', message: 'Only schools and the local authority make referrals' }] };
}

/**
 * Who registers a pupil, and what the record says about where the pupil belongs. `school` is the
 * school on roll: a school registers onto its own roll only; an LA may name the school (or none).
 */
export function registrationScope(p: Principal, homeLaCode: string | null, school: string | null = null): Checked<PupilScope> {
  if (isSchool(p)) {
    if (school && school !== p.org.id) return { ok: false, problems: [{ field: 'school', message: 'A school registers pupils onto its own roll: leave school empty or give your own URN' }] };
    return { ok: true, value: { homeLaCode, registeredBySchoolUrn: p.org.id } };
  }
  if (isLa(p)) {
    if (homeLaCode && !mayAccess(referralAccess, 'Mutation.registerPupil', p, { pupilLaCode: homeLaCode })) {
      return { ok: false, problems: [{ field: 'homeLaCode', message: 'An LA registers only pupils of its own area' }] };
    }
    if (school && !/^\d{6}$/.test(school)) return { ok: false, problems: [{ field: 'school', message: 'school is the six-digit URN of the school on roll' }] };
    return { ok: true, value: { homeLaCode: p.org.id, registeredBySchoolUrn: school } };
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

/** Another school's or LA's pupil answers exactly as a pupil that does not exist, so neither is revealed. */
export function unknownPupil(pupilId: string) {
  return { field: 'pupilId', message: `Pupil ${pupilId} is not registered: register the pupil first` };
}
