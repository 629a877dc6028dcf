import { addDays, day6Date, DomainRuleError, isIsoDate, nationalCurriculumYear, SchoolCalendar, validateUpn } from '@ap/domain';
import type { InputProblem } from '@ap/errors';
export type { PlacementState, ReferralRoute, ReferralStep, RiskLevel } from './form';

/**
 * The form's status: DRAFT → SUBMITTED → UNDER_REVIEW → ACCEPTED | DECLINED; WITHDRAWN from any
 * open state. A submitted or reviewed referral can be answered.
 */
export const REFERRAL_STATUSES = ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'ACCEPTED', 'DECLINED', 'WITHDRAWN'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_REASONS = [
  'PERMANENT_EXCLUSION',
  'RISK_OF_EXCLUSION',
  'REPEATED_SUSPENSIONS',
  'SEMH_NEEDS',
  'MEDICAL_NEEDS',
  'ATTENDANCE',
  'AWAITING_SPECIALIST_PLACE',
  'MANAGED_MOVE',
  'OFF_SITE_DIRECTION',
] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number];


export type Checked<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

export const SEN_STATUSES = ['NONE', 'SEN_SUPPORT', 'EHC_ASSESSMENT', 'EHCP'] as const;
export type SenStatus = (typeof SEN_STATUSES)[number];

export interface PupilDetails {
  upn: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  homeLaCode: string | null;
}

/** What a school's MIS knows of a pupil besides identity: it changes, and a push updates it. */
export interface PupilCircumstances {
  senStatus: SenStatus;
  hasSocialWorker: boolean;
  pupilPremium: boolean;
  lookedAfter: boolean;
}

/** What a caller gives: the home LA may be left out (as RegisterPupilInput allows). */
export type PupilDetailsInput = Omit<PupilDetails, 'homeLaCode'> & { homeLaCode?: string | null };
export type PupilCircumstancesInput = { [K in keyof PupilCircumstances]?: PupilCircumstances[K] | null };

/** Absent flags mean "not recorded": NONE and false, as a MIS reports a pupil without them. */
export function checkPupilCircumstances(input: PupilCircumstancesInput): Checked<PupilCircumstances> {
  const senStatus = input.senStatus ?? 'NONE';
  if (!(SEN_STATUSES as readonly string[]).includes(senStatus)) {
    return { ok: false, problems: [{ field: 'senStatus', message: `SEN status must be one of ${SEN_STATUSES.join(', ')}` }] };
  }
  return {
    ok: true,
    value: { senStatus, hasSocialWorker: input.hasSocialWorker ?? false, pupilPremium: input.pupilPremium ?? false, lookedAfter: input.lookedAfter ?? false },
  };
}


const NAME_MAX = 100;
function checkName(field: string, label: string, raw: string, problems: InputProblem[]): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) problems.push({ field, message: `${label} is required` });
  else if (name.length > NAME_MAX) problems.push({ field, message: `${label} must be at most ${NAME_MAX} characters` });
  return name;
}

/** Checks a pupil's details before they are stored, reporting every problem at once. */
export function checkPupilDetails(input: PupilDetailsInput, today: string): Checked<PupilDetails> {
  const problems: InputProblem[] = [];
  const upn = validateUpn(input.upn);
  if (!upn.ok) problems.push({ field: 'upn', message: upn.reason });
  const givenName = checkName('givenName', 'Given name', input.givenName, problems);
  const familyName = checkName('familyName', 'Family name', input.familyName, problems);
  if (!isIsoDate(input.dateOfBirth)) {
    problems.push({ field: 'dateOfBirth', message: 'Date of birth must be a real date written YYYY-MM-DD' });
  } else if (input.dateOfBirth > today) {
    problems.push({ field: 'dateOfBirth', message: 'Date of birth cannot be in the future' });
  } else {
    // AP is for pupils from Reception to Year 13; anything else is a mistyped year.
    const year = nationalCurriculumYear(input.dateOfBirth, today);
    if (year < 0 || year > 13) {
      problems.push({ field: 'dateOfBirth', message: `Date of birth puts the pupil outside Reception to Year 13 (national curriculum year ${year}): check the year` });
    }
  }
  const homeLaCode = input.homeLaCode?.trim() || null;
  if (homeLaCode !== null && !/^\d{3}$/.test(homeLaCode)) {
    problems.push({ field: 'homeLaCode', message: 'Home LA code must be the three-digit DfE LA code, e.g. 865' });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { upn: (upn as { upn: string }).upn, givenName, familyName, dateOfBirth: input.dateOfBirth, homeLaCode } };
}

export interface ReferralForm {
  reason: ReferralReason;
  firstDayOfExclusion: string | null;
  parentalConsent: boolean;
}

export interface CheckedReferralForm extends ReferralForm {
  /** The sixth school day of a permanent exclusion, by which full-time provision must start. */
  day6Deadline: string | null;
}

/**
 * The form's own rules: consent and the data-sharing agreement come first (no information is
 * shared without them); a permanent exclusion must say when it began, since the LA's day-6 duty
 * is counted from that day.
 */
export function checkReferralForm(form: ReferralForm, today: string, calendar: SchoolCalendar): Checked<CheckedReferralForm> {
  const problems: InputProblem[] = [];
  if (!form.parentalConsent) {
    problems.push({ field: 'parentalConsent', message: 'A referral needs the parent or carer’s consent and the data-sharing agreement before it is sent' });
  }
  const first = form.firstDayOfExclusion;
  if (form.reason === 'PERMANENT_EXCLUSION') {
    if (!first) problems.push({ field: 'firstDayOfExclusion', message: 'A permanent exclusion needs the first day of the exclusion, from which day 6 is counted' });
    else if (!isIsoDate(first)) problems.push({ field: 'firstDayOfExclusion', message: 'First day of exclusion must be a real date written YYYY-MM-DD' });
    else if (first > addDays(today, 365)) problems.push({ field: 'firstDayOfExclusion', message: 'First day of exclusion is more than a year ahead: check the year' });
  } else if (first) {
    problems.push({ field: 'firstDayOfExclusion', message: 'First day of exclusion applies only to a permanent exclusion' });
  }
  if (problems.length) return { ok: false, problems };
  let day6Deadline: string | null = null;
  if (first) {
    try {
      day6Deadline = day6Date(first, calendar);
    } catch (e) {
      if (!(e instanceof DomainRuleError)) throw e;
      return { ok: false, problems: [{ field: 'firstDayOfExclusion', message: e.message }] };
    }
  }
  return { ok: true, value: { ...form, day6Deadline } };
}


/** A decision can be made only once, on a submitted or reviewed referral. */
export function checkCanAccept(status: ReferralStatus): { ok: true } | { ok: false; message: string } {
  if (status === 'SUBMITTED' || status === 'UNDER_REVIEW') return { ok: true };
  return { ok: false, message: `This referral is ${status.toLowerCase().replace('_', ' ')} and can no longer be accepted` };
}

/**
 * A referral goes only to a provider in the LA's approved AP directory: anything else would be a
 * form nobody can answer. A suspended or withdrawn provider is named as such, so the school knows
 * to choose another rather than wait.
 */
export function checkReferrableProvider(
  providerId: string,
  provider: { approved: boolean; status?: string } | null,
  field = 'providerId',
): Checked<string> {
  if (!provider) {
    return { ok: false, problems: [{ field, message: `Provider ${providerId} is not in the AP directory: choose a provider from the directory` }] };
  }
  if (provider.status === 'SUSPENDED') {
    return { ok: false, problems: [{ field, message: `Provider ${providerId} is suspended from the AP directory: it takes no new referrals until the LA reinstates it; choose another provider` }] };
  }
  if (provider.status === 'WITHDRAWN') {
    return { ok: false, problems: [{ field, message: `Provider ${providerId} has been withdrawn from the AP directory: choose another provider` }] };
  }
  if (!provider.approved) {
    return { ok: false, problems: [{ field, message: `Provider ${providerId} is not yet approved in the AP directory: a referral can go only to an approved provider` }] };
  }
  return { ok: true, value: providerId };
}

/**
 * A referral is open until it is decided or withdrawn. Listed as the closed ones so that the
 * open states issue 9 adds (DRAFT, UNDER_REVIEW) count as open without a change here; the
 * partial unique index referral_one_open_per_pupil_provider uses the same list.
 */
export const CLOSED_REFERRAL_STATUSES: readonly ReferralStatus[] = ['ACCEPTED', 'DECLINED', 'WITHDRAWN'];
export const isOpenReferral = (status: ReferralStatus) => !CLOSED_REFERRAL_STATUSES.includes(status);

/**
 * Why a second referral of the same pupil to the same provider is refused. Its date and id are
 * named only to a caller who may see the open referral; anyone else learns no more than that
 * one exists, which it must to understand the refusal.
 */
export function openReferralExists(existing: { id: string; submittedAt: Date | null; createdAt?: Date } | null): string {
  if (existing) {
    return (
      `This pupil already has an open referral to this provider (${existing.id}, ${existing.submittedAt ? 'submitted' : 'drafted'} ${(existing.submittedAt ?? existing.createdAt ?? new Date(0)).toISOString().slice(0, 10)}): ` +
      'withdraw it or wait for the provider’s answer before referring again'
    );
  }
  return 'This pupil already has an open referral to this provider: wait for the provider’s answer, or ask the local authority, before referring again';
}

/**
 * A pupil has at most one full-time placement at a time (DOMAIN.md), so a provider cannot accept
 * a referral while another accepted referral of the pupil still has its placement open. Until
 * placements can end (issue 10 adds placement.ended / placement.cancelled, which this service must
 * then learn, leaving out here the referrals whose placement closed) and carry a timetable, every accepted referral holds one
 * full-time placement. Nothing about the other placement is named: it may be another school's.
 */
export function checkPupilFreeForPlacement(otherAccepted: { id: string }[]): { ok: true } | { ok: false; message: string } {
  if (otherAccepted.length === 0) return { ok: true };
  return {
    ok: false,
    message:
      'This pupil already has a placement planned or in progress from another accepted referral, and a pupil has one full-time ' +
      'placement at a time: that placement must end or be cancelled before this referral can be accepted',
  };
}

const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A UPN already known is the same pupil only if the caller also knows the pupil's names and date
 * of birth (as on the common transfer file): then nothing is disclosed by linking.
 */
export function sameIdentity(known: PupilDetails, given: PupilDetails): boolean {
  return sameName(known.givenName, given.givenName) && sameName(known.familyName, given.familyName) && known.dateOfBirth === given.dateOfBirth;
}

/**
 * The refusal for a known UPN whose details the caller cannot show it knows. The same words
 * whatever the reason, with no UPN, name, school or LA in it.
 */
export const UNREGISTRABLE_PUPIL =
  'A pupil could not be registered with these details: check the UPN, names and date of birth against the pupil’s common ' +
  'transfer file, and if they are right ask your local authority’s AP team';
