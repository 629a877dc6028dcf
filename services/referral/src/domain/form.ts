import { addDays, DomainRuleError, isIsoDate, SchoolCalendar } from '@ap/domain';
import type { InputProblem } from '@ap/errors';
import type { Checked, ReferralReason, ReferralStatus } from './referral';
import { REFERRAL_REASONS } from './referral';

/**
 * The single agreed application form (issue 9): its sections, the checks a draft must pass to be
 * saved (each value well-formed), the checks it must pass to be submitted (every section there),
 * the status flow, and the deadlines counted on the LA's school calendar.
 */
export const REFERRAL_ROUTES = ['DIRECT', 'LA_PANEL'] as const;
export type ReferralRoute = (typeof REFERRAL_ROUTES)[number];
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const DECLINE_REASON_CODES = ['NO_CAPACITY', 'NEEDS_NOT_MET', 'OUTSIDE_AGE_RANGE', 'UNSAFE_MIX', 'INCOMPLETE_INFORMATION', 'OTHER'] as const;
export type DeclineReasonCode = (typeof DECLINE_REASON_CODES)[number];
export type PlacementState = 'PLANNED' | 'STARTED' | 'ENDED' | 'CANCELLED';

/** One step of the flow: who (user, role, organisation) moved the referral to which status, when. */
export interface ReferralStep {
  status: ReferralStatus;
  at: string;
  by: string | null;
  role: string | null;
  organisation: string | null;
  note: string | null;
}

/** A free-text section: long enough for a thorough form (about four pages), short enough to refuse a pasted file. */
export const FREE_TEXT_MAX = 8000;
export const HOURS_MAX = 40;
/** The default N of respondBy: school days an LA gives a provider to answer. */
export const DEFAULT_RESPOND_WITHIN_SCHOOL_DAYS = 5;
/** The most school days an LA may give providers to answer: six school weeks. */
export const RESPOND_WITHIN_MAX_SCHOOL_DAYS = 30;

/** N, the school days an LA gives providers to answer a referral: a whole number from 1 to 30. */
export function checkResponseDays(schoolDays: number): Checked<number> {
  if (!Number.isInteger(schoolDays) || schoolDays < 1 || schoolDays > RESPOND_WITHIN_MAX_SCHOOL_DAYS) {
    return { ok: false, problems: [{ field: 'schoolDays', message: `The response time is a whole number of school days from 1 to ${RESPOND_WITHIN_MAX_SCHOOL_DAYS}` }] };
  }
  return { ok: true, value: schoolDays };
}

export const FREE_TEXT_SECTIONS = ['needsAndStrengths', 'risks', 'interventionsTried', 'outcomesWanted', 'pupilVoice', 'parentVoice'] as const;
type FreeText = (typeof FREE_TEXT_SECTIONS)[number];

export interface Consent {
  parentalConsent: boolean;
  givenBy: string | null;
  givenOn: string | null;
  dataSharingAgreed: boolean;
}

/** The form as stored: every section may still be empty while it is a draft. */
export interface FormSections {
  route: ReferralRoute;
  providerId: string | null;
  offerId: string | null;
  reason: ReferralReason | null;
  firstDayOfExclusion: string | null;
  needsAndStrengths: string | null;
  risks: string | null;
  riskLevel: RiskLevel | null;
  interventionsTried: string | null;
  currentAttendancePercent: number | null;
  outcomesWanted: string | null;
  proposedStartDate: string | null;
  hoursWanted: number | null;
  pupilVoice: string | null;
  parentVoice: string | null;
  consent: Consent;
}

export const EMPTY_FORM: FormSections = {
  route: 'DIRECT',
  providerId: null,
  offerId: null,
  reason: null,
  firstDayOfExclusion: null,
  needsAndStrengths: null,
  risks: null,
  riskLevel: null,
  interventionsTried: null,
  currentAttendancePercent: null,
  outcomesWanted: null,
  proposedStartDate: null,
  hoursWanted: null,
  pupilVoice: null,
  parentVoice: null,
  consent: { parentalConsent: false, givenBy: null, givenOn: null, dataSharingAgreed: false },
};

/** A change to a draft: a section left out stays as it was; null clears it. */
export type FormChange = { [K in keyof FormSections]?: FormSections[K] | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function oneOf<T extends string>(field: string, label: string, allowed: readonly T[], value: unknown, problems: InputProblem[]): T | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push({ field, message: `${label} must be one of ${allowed.join(', ')}` });
  return null;
}

function text(field: FreeText, value: string | null | undefined, problems: InputProblem[]): string | null {
  if (value === null || value === undefined) return null;
  const t = value.trim();
  if (t.length > FREE_TEXT_MAX) {
    problems.push({ field, message: `${field} must be at most ${FREE_TEXT_MAX} characters (it has ${t.length}): summarise, and attach longer documents through the LA` });
    return null;
  }
  return t || null;
}

/** A date the form states as having happened: real, not in the future, not before the pupil was born. */
function pastDate(field: string, label: string, value: string | null | undefined, today: string, dateOfBirth: string, problems: InputProblem[]): string | null {
  if (value === null || value === undefined) return null;
  if (!isIsoDate(value)) problems.push({ field, message: `${label} must be a real date written YYYY-MM-DD` });
  else if (value > today) problems.push({ field, message: `${label} cannot be in the future` });
  else if (value < dateOfBirth) problems.push({ field, message: `${label} cannot be before the pupil’s date of birth` });
  else return value;
  return null;
}

/**
 * Applies a change to the stored form, checking every value given (not whether the form is
 * complete: that is submit's job). Reports every problem at once; nothing is applied if any.
 */
export function applyFormChange(current: FormSections, change: FormChange, facts: { today: string; dateOfBirth: string }): Checked<FormSections> {
  const problems: InputProblem[] = [];
  const { today, dateOfBirth } = facts;
  const next: FormSections = { ...current, consent: { ...current.consent } };
  const has = (k: keyof FormChange) => change[k] !== undefined;

  if (has('route')) next.route = oneOf('route', 'Route', REFERRAL_ROUTES, change.route, problems) ?? 'DIRECT';
  if (has('reason')) next.reason = oneOf('reason', 'Reason', REFERRAL_REASONS, change.reason, problems);
  if (has('riskLevel')) next.riskLevel = oneOf('riskLevel', 'Risk level', RISK_LEVELS, change.riskLevel, problems);
  for (const id of ['providerId', 'offerId'] as const) {
    if (!has(id)) continue;
    const v = change[id];
    if (v !== null && v !== undefined && !UUID.test(v)) problems.push({ field: id, message: `${id} must be an id from the AP directory` });
    else next[id] = v ?? null;
  }
  for (const f of FREE_TEXT_SECTIONS) if (has(f)) next[f] = text(f, change[f], problems);

  if (has('firstDayOfExclusion')) {
    const v = change.firstDayOfExclusion;
    if (v === null || v === undefined) next.firstDayOfExclusion = null;
    else if (!isIsoDate(v)) problems.push({ field: 'firstDayOfExclusion', message: 'First day of exclusion must be a real date written YYYY-MM-DD' });
    else if (v < dateOfBirth) problems.push({ field: 'firstDayOfExclusion', message: 'First day of exclusion cannot be before the pupil’s date of birth' });
    else if (v > addDays(today, 365)) problems.push({ field: 'firstDayOfExclusion', message: 'First day of exclusion is more than a year ahead: check the year' });
    else next.firstDayOfExclusion = v;
  }
  if (has('currentAttendancePercent')) {
    const v = change.currentAttendancePercent;
    if (v !== null && v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 100)) {
      problems.push({ field: 'currentAttendancePercent', message: 'Current attendance is a percentage from 0 to 100' });
    } else next.currentAttendancePercent = v === null || v === undefined ? null : Math.round(v * 100) / 100;
  }
  if (has('hoursWanted')) {
    const v = change.hoursWanted;
    if (v !== null && v !== undefined && !(Number.isFinite(v) && v > 0 && v <= HOURS_MAX)) {
      problems.push({ field: 'hoursWanted', message: `Hours wanted is hours a week, more than 0 and at most ${HOURS_MAX}` });
    } else next.hoursWanted = v === null || v === undefined ? null : Math.round(v * 10) / 10;
  }
  if (has('proposedStartDate')) {
    const v = change.proposedStartDate;
    if (v === null || v === undefined) next.proposedStartDate = null;
    else if (!isIsoDate(v)) problems.push({ field: 'proposedStartDate', message: 'Proposed start date must be a real date written YYYY-MM-DD' });
    else if (v < dateOfBirth) problems.push({ field: 'proposedStartDate', message: 'Proposed start date cannot be before the pupil’s date of birth' });
    else if (v > addDays(today, 365)) problems.push({ field: 'proposedStartDate', message: 'Proposed start date is more than a year ahead: check the year' });
    else next.proposedStartDate = v;
  }
  if (has('consent')) {
    const c = change.consent;
    if (!c) next.consent = { ...EMPTY_FORM.consent };
    else {
      const givenBy = c.givenBy?.trim() || null;
      if (givenBy && givenBy.length > 200) problems.push({ field: 'consent.givenBy', message: 'Consent given by must be at most 200 characters' });
      next.consent = {
        parentalConsent: c.parentalConsent === true,
        dataSharingAgreed: c.dataSharingAgreed === true,
        givenBy,
        givenOn: pastDate('consent.givenOn', 'Consent date', c.givenOn, today, dateOfBirth, problems),
      };
    }
  }
  if (problems.length) return { ok: false, problems };
  if (next.route === 'LA_PANEL') next.offerId = null;
  return { ok: true, value: next };
}

/** A submitted form: the sections a provider needs to decide, all present. */
export type CompleteForm = FormSections & { reason: ReferralReason; day6Deadline: string | null };

const REQUIRED_SECTIONS: [keyof FormSections, string][] = [
  ['reason', 'the reason for the referral'],
  ['needsAndStrengths', 'the pupil’s needs and strengths'],
  ['risks', 'the risks'],
  ['riskLevel', 'the risk level (LOW, MEDIUM or HIGH)'],
  ['interventionsTried', 'the interventions already tried'],
  ['currentAttendancePercent', 'the current attendance'],
  ['outcomesWanted', 'the outcomes wanted'],
  ['proposedStartDate', 'the proposed start date'],
  ['hoursWanted', 'the hours a week wanted'],
  ['pupilVoice', 'the pupil’s voice'],
  ['parentVoice', 'the parent or carer’s voice'],
];

/**
 * Whether the form may be sent: every missing or invalid section, all at once. Consent and the
 * data-sharing agreement come first (nothing is shared without them); a direct referral names a
 * provider and one of its offers; a permanent exclusion says when it began, since the LA's day-6 duty counts from it.
 */
export function checkSubmittable(form: FormSections, calendar: Pick<SchoolCalendar, 'addSchoolDays'>, day6: (first: string) => string): Checked<CompleteForm> {
  const problems: InputProblem[] = [];
  for (const [field, label] of REQUIRED_SECTIONS) {
    if (form[field] === null || form[field] === undefined) problems.push({ field, message: `The form needs ${label}` });
  }
  if (form.route === 'DIRECT' && !form.providerId) problems.push({ field: 'providerId', message: 'A direct referral needs the provider (or choose the LA_PANEL route)' });
  if (form.route === 'DIRECT' && !form.offerId) problems.push({ field: 'offerId', message: 'A direct referral goes to one of the provider’s offers: name the offer (or choose the LA_PANEL route)' });
  if (!form.consent.parentalConsent) problems.push({ field: 'consent.parentalConsent', message: 'A referral needs the parent or carer’s consent before it is sent' });
  if (!form.consent.dataSharingAgreed) problems.push({ field: 'consent.dataSharingAgreed', message: 'A referral needs the data-sharing agreement before it is sent' });
  if (!form.consent.givenBy) problems.push({ field: 'consent.givenBy', message: 'Say who gave consent' });
  if (!form.consent.givenOn) problems.push({ field: 'consent.givenOn', message: 'Say when consent was given' });
  if (form.reason === 'PERMANENT_EXCLUSION' && !form.firstDayOfExclusion) {
    problems.push({ field: 'firstDayOfExclusion', message: 'A permanent exclusion needs the first day of the exclusion, from which day 6 is counted' });
  } else if (form.reason && form.reason !== 'PERMANENT_EXCLUSION' && form.firstDayOfExclusion) {
    problems.push({ field: 'firstDayOfExclusion', message: 'First day of exclusion applies only to a permanent exclusion' });
  }
  if (problems.length) return { ok: false, problems };
  let day6Deadline: string | null = null;
  if (form.firstDayOfExclusion) {
    try {
      day6Deadline = day6(form.firstDayOfExclusion);
    } catch (e) {
      if (!(e instanceof DomainRuleError)) throw e;
      return { ok: false, problems: [{ field: 'firstDayOfExclusion', message: e.message }] };
    }
  }
  void calendar;
  return { ok: true, value: { ...form, reason: form.reason as ReferralReason, day6Deadline } };
}

/** The status flow's moves; WITHDRAWN from any open state. */
export type ReferralMove = 'submit' | 'review' | 'accept' | 'decline' | 'withdraw' | 'assignProvider' | 'edit';
const FROM: Record<ReferralMove, readonly ReferralStatus[]> = {
  edit: ['DRAFT'],
  submit: ['DRAFT'],
  review: ['SUBMITTED'],
  accept: ['SUBMITTED', 'UNDER_REVIEW'],
  decline: ['SUBMITTED', 'UNDER_REVIEW'],
  withdraw: ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW'],
  assignProvider: ['SUBMITTED'],
};
const TO: Record<Exclude<ReferralMove, 'edit' | 'assignProvider'>, ReferralStatus> = {
  submit: 'SUBMITTED',
  review: 'UNDER_REVIEW',
  accept: 'ACCEPTED',
  decline: 'DECLINED',
  withdraw: 'WITHDRAWN',
};
const VERB: Record<ReferralMove, string> = {
  edit: 'edited',
  submit: 'submitted',
  review: 'put under review',
  accept: 'accepted',
  decline: 'declined',
  withdraw: 'withdrawn',
  assignProvider: 'given a provider',
};

/** Whether the move is allowed from this status, with the message a person can act on when not. */
export function checkMove(status: ReferralStatus, move: ReferralMove): { ok: true } | { ok: false; message: string } {
  if (FROM[move].includes(status)) return { ok: true };
  return { ok: false, message: `This referral is ${status.toLowerCase().replace('_', ' ')} and can no longer be ${VERB[move]}` };
}

export const statusAfter = (move: Exclude<ReferralMove, 'edit' | 'assignProvider'>): ReferralStatus => TO[move];

/** respondBy: N school days after the day it reached the provider, on the LA's calendar. */
export function respondByDate(from: string, n: number, calendar: Pick<SchoolCalendar, 'addSchoolDays'>): string {
  return calendar.addSchoolDays(from, n);
}

export const isOverdue = (respondBy: string | null, status: ReferralStatus, today: string) =>
  respondBy !== null && (status === 'SUBMITTED' || status === 'UNDER_REVIEW') && today > respondBy;

/**
 * School days left before day 6: 0 on day 6 itself, 1 the school day before, negative once it has
 * passed (-1 the first school day after). Holidays and bank holidays do not count.
 */
export function schoolDaysLeft(today: string, deadline: string, calendar: Pick<SchoolCalendar, 'schoolDaysBetween'>): number {
  if (today === deadline) return 0;
  if (today < deadline) return calendar.schoolDaysBetween(addDays(today, 1), deadline);
  return -calendar.schoolDaysBetween(addDays(deadline, 1), today);
}

/** A referral is at risk once in its last two school days (day 5 and day 6) and thereafter. */
export const DAY6_AT_RISK_DAYS_LEFT = 1;

export interface WatchEntry {
  schoolDaysLeft: number;
  placementPlanned: boolean;
  day6Deadline: string;
}

/** Most urgent first: fewest school days left; among equals, no placement planned before planned. */
export function byUrgency(a: WatchEntry, b: WatchEntry): number {
  return a.schoolDaysLeft - b.schoolDaysLeft || Number(a.placementPlanned) - Number(b.placementPlanned) || a.day6Deadline.localeCompare(b.day6Deadline);
}

/** A placement that ended or was cancelled no longer holds the pupil; one not yet heard of does. */
export const holdsPlacement = (placementStatus: PlacementState | null) => placementStatus !== 'ENDED' && placementStatus !== 'CANCELLED';

/** A decline needs a reason a school can act on. */
export function checkDeclineReason(code: string, text: string): Checked<{ code: DeclineReasonCode; text: string }> {
  const problems: InputProblem[] = [];
  const c = oneOf('reason.code', 'Decline reason code', DECLINE_REASON_CODES, code, problems);
  const t = text.trim();
  if (!t) problems.push({ field: 'reason.text', message: 'Say why the referral is declined, so the school can act on it' });
  else if (t.length > FREE_TEXT_MAX) problems.push({ field: 'reason.text', message: `The reason must be at most ${FREE_TEXT_MAX} characters` });
  if (problems.length || !c) return { ok: false, problems };
  return { ok: true, value: { code: c, text: t } };
}

export function checkWithdrawReason(reason: string): Checked<string> {
  const t = reason.trim();
  if (!t) return { ok: false, problems: [{ field: 'reason', message: 'Say why the referral is withdrawn' }] };
  if (t.length > FREE_TEXT_MAX) return { ok: false, problems: [{ field: 'reason', message: `The reason must be at most ${FREE_TEXT_MAX} characters` }] };
  return { ok: true, value: t };
}

/** An agreed start date: real, and not before today (a provider agrees a future or present start). */
export function checkAgreedStartDate(value: string | null | undefined, today: string): Checked<string | null> {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (!isIsoDate(value)) return { ok: false, problems: [{ field: 'input.agreedStartDate', message: 'Agreed start date must be a real date written YYYY-MM-DD' }] };
  if (value < today) return { ok: false, problems: [{ field: 'input.agreedStartDate', message: 'Agreed start date cannot be in the past' }] };
  if (value > addDays(today, 365)) return { ok: false, problems: [{ field: 'input.agreedStartDate', message: 'Agreed start date is more than a year ahead: check the year' }] };
  return { ok: true, value };
}
