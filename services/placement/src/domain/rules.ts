import {
  checkNonSchoolApPlacement,
  freePlacesOf,
  DEFAULT_FULL_TIME_HOURS,
  halfDaysOf,
  isDomainRuleError,
  isFullTime,
  isIsoDate,
  mustRegisterAsIndependentSchool,
  offSiteDirectionEarliestStart,
  offSiteDirectionReviewDue,
  offSiteDirectionReviewRequestableFrom,
  SchoolCalendar,
  TimetableSession,
  validateTimetable,
  weeklyHours,
  type IsoDate,
} from '@ap/domain';
import type { Role } from '@ap/auth';

/** A field and what is wrong with it, as BAD_USER_INPUT reports it. */
export interface Problem {
  field: string;
  message: string;
}
export type Checked<T = undefined> = { ok: true; value: T } | { ok: false; problems: Problem[] };
const fail = (...problems: Problem[]): { ok: false; problems: Problem[] } => ({ ok: false, problems });

export const PLACEMENT_TYPES = ['OFF_SITE_DIRECTION', 'MANAGED_MOVE', 'DAY6_PROVISION', 'EHCP_NAMED', 'MEDICAL', 'REDUCED_TIMETABLE', 'SCHOOL_COMMISSIONED'] as const;
export type PlacementType = (typeof PLACEMENT_TYPES)[number];
export const END_REASONS = ['REINTEGRATED_MAINSTREAM', 'SPECIAL_SCHOOL', 'POST16_MOVE', 'MOVED_AWAY', 'PERMANENTLY_EXCLUDED', 'OTHER'] as const;
export type EndReason = (typeof END_REASONS)[number];
export type ReviewDecision = 'CONTINUE' | 'EXTEND' | 'REINTEGRATE' | 'END';

/** Reviews fall due every 6 school weeks (30 school days) on the LA calendar unless the plan says otherwise. */
export const DEFAULT_REVIEW_INTERVAL_SCHOOL_WEEKS = 6;

export interface ProviderStanding {
  status: 'APPLIED' | 'APPROVED' | 'SUSPENDED' | 'WITHDRAWN';
  compliance: 'NOT_AUDITED' | 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT' | 'EXPIRED';
}

/** Roles that may place a pupil against the provider rules, with a recorded reason. */
const OVERRIDING_ROLES: readonly Role[] = ['LA_OFFICER', 'LA_ADMIN'];

/**
 * A placement only with an APPROVED provider whose compliance is not NON_COMPLIANT or EXPIRED
 * (DOMAIN.md), unless an LA officer or admin gives a reason. `provider` is what the placement
 * service has learnt from the directory's and audit's events; null when it has heard nothing.
 * Returns the breaches an override covers (recorded in history), or the problems.
 */
export function checkProviderEligible(
  provider: ProviderStanding | null,
  role: Role,
  overrideReason: string | null | undefined,
): Checked<{ overridden: string[] }> {
  const breaches: string[] = [];
  if (!provider) breaches.push('the directory has not published this provider (yet)');
  else {
    if (provider.status !== 'APPROVED') breaches.push(`the provider is ${provider.status.toLowerCase()}, not approved, in the directory`);
    if (provider.compliance === 'NON_COMPLIANT' || provider.compliance === 'EXPIRED') {
      breaches.push(`the provider's safeguarding compliance is ${provider.compliance.replace('_', '-').toLowerCase()}`);
    }
  }
  if (breaches.length === 0) return { ok: true, value: { overridden: [] } };
  const reason = overrideReason?.trim();
  if (reason && OVERRIDING_ROLES.includes(role)) return { ok: true, value: { overridden: breaches } };
  const how = OVERRIDING_ROLES.includes(role)
    ? 'give an overrideReason to place the pupil anyway'
    : 'only an LA officer or LA admin may place a pupil there, with an overrideReason';
  return fail({ field: reason ? 'overrideReason' : 'providerId', message: `This provider cannot take placements: ${breaches.join('; ')}. Choose another provider, or ${how}.` });
}

/**
 * Places: a placement takes a place on its offer while active, and the offer's places in use never
 * exceed its capacity without an override (DOMAIN.md) — by an LA officer or admin with a reason,
 * as for the provider rules. `offer` is what the directory published (null: the service has not
 * heard of it, so there is nothing to count); `placesInUse` this service's active placements on it
 * (not counting the one being checked).
 */
export function checkOfferPlace(
  offer: { id: string; capacity: number } | null,
  placesInUse: number,
  role: Role,
  overrideReason: string | null | undefined,
): Checked<{ overridden: string[] }> {
  if (!offer || freePlacesOf(offer.capacity, placesInUse) > 0) return { ok: true, value: { overridden: [] } };
  const breach = `offer ${offer.id} is full: all ${offer.capacity} of its places are in use`;
  const reason = overrideReason?.trim();
  if (reason && OVERRIDING_ROLES.includes(role)) return { ok: true, value: { overridden: [breach] } };
  const how = OVERRIDING_ROLES.includes(role)
    ? 'give an overrideReason to place the pupil anyway'
    : 'an LA officer or LA admin may place the pupil anyway, with an overrideReason';
  return fail({ field: 'offerId', message: `No free place: the ${breach}. Choose another offer, wait for a place, or ${how}.` });
}

/**
 * An off-site direction's review on request (SI 2010/1156 reg. 4A(4)): a parent's written request
 * must be met as soon as reasonably practicable, unless a review was held in the 10 weeks before
 * the request day (libs/domain). The answer: due (on the request day), or why not and from when a
 * request must be met; bad input (a date that is not one, or in the future) names `requestedOn`.
 */
export function checkReviewRequest(
  type: PlacementType,
  requestedOn: IsoDate,
  reviewsHeld: readonly IsoDate[],
  today: IsoDate,
): Checked<{ dueOn: IsoDate }> | { ok: false; conflict: string } {
  if (!isIsoDate(requestedOn)) return fail({ field: 'requestedOn', message: `requestedOn "${requestedOn}" is not a date (YYYY-MM-DD).` });
  if (requestedOn > today) return fail({ field: 'requestedOn', message: 'A request for a review cannot be dated in the future.' });
  if (type !== 'OFF_SITE_DIRECTION') return { ok: false, conflict: 'A review on request applies to an off-site direction; this placement is reviewed on its schedule (recordReview).' };
  const held = reviewsHeld.filter((d) => d < requestedOn);
  if (offSiteDirectionReviewDue(requestedOn, held)) return { ok: true, value: { dueOn: requestedOn } };
  const latest = [...held].sort().pop() as IsoDate;
  const from = offSiteDirectionReviewRequestableFrom(held);
  return { ok: false, conflict: `A review was held on ${latest}, within the 10 weeks before the request; the governing body must meet a request made from ${from}.` };
}

export const REVIEW_INTERVAL_MAX_SCHOOL_WEEKS = 12;

/** An LA's review interval: a whole number of school weeks from 1 to 12 (default 6). */
export function checkReviewIntervalWeeks(schoolWeeks: number): Checked<number> {
  if (!Number.isInteger(schoolWeeks) || schoolWeeks < 1 || schoolWeeks > REVIEW_INTERVAL_MAX_SCHOOL_WEEKS) {
    return fail({ field: 'schoolWeeks', message: `Reviews fall due every 1 to ${REVIEW_INTERVAL_MAX_SCHOOL_WEEKS} school weeks: give a whole number in that range.` });
  }
  return { ok: true, value: schoolWeeks };
}

/** What the provider adds to a review: its account of progress and attendance, and its view. */
export interface ProviderReviewPart {
  progressSummary: string | null;
  attendanceComment: string | null;
  view: string | null;
  recommendation: ReviewDecision | null;
}

export const PROVIDER_PART_TEXT_MAX = 4000;

/** The provider's part: something said, each text at most 4,000 characters (every problem at once); blanks are nothing. */
export function checkProviderReviewPart(input: { [K in keyof ProviderReviewPart]?: ProviderReviewPart[K] | null }): Checked<ProviderReviewPart> {
  const problems: Problem[] = [];
  const text = (field: 'progressSummary' | 'attendanceComment' | 'view') => {
    const t = input[field]?.trim() || null;
    if (t && t.length > PROVIDER_PART_TEXT_MAX) problems.push({ field: `input.${field}`, message: `${field} must be at most ${PROVIDER_PART_TEXT_MAX} characters (it has ${t.length}).` });
    return t;
  };
  const part = { progressSummary: text('progressSummary'), attendanceComment: text('attendanceComment'), view: text('view'), recommendation: input.recommendation ?? null };
  if (!problems.length && Object.values(part).every((v) => v === null)) {
    problems.push({ field: 'input', message: 'Give at least one of progressSummary, attendanceComment, view or recommendation.' });
  }
  return problems.length ? fail(...problems) : { ok: true, value: part };
}

export interface TimetableFacts {
  hoursPerWeek: number;
  fullTime: boolean;
  /** Half-day sessions a week (a morning or afternoon on a day counts once). */
  sessionsPerWeek: number;
}

/**
 * Hours, full-time (libs/domain, the LA's threshold) and half-day sessions of a valid timetable: a
 * session starting before 12:00 takes a morning, one ending after 13:00 an afternoon.
 */
export function timetableFacts(sessions: readonly TimetableSession[], thresholdHours = DEFAULT_FULL_TIME_HOURS): TimetableFacts {
  const hoursPerWeek = weeklyHours(sessions);
  const halves = new Set<string>();
  for (const s of sessions) for (const half of halfDaysOf(s)) halves.add(`${s.day}-${half}`);
  return { hoursPerWeek, fullTime: isFullTime(hoursPerWeek, thresholdHours), sessionsPerWeek: halves.size };
}

export interface PlanToCheck {
  type: string;
  plannedStartDate: IsoDate;
  plannedEndDate?: IsoDate | null;
  firstReviewDate?: IsoDate | null;
  /** Null for a placement planned from a referral before it has a timetable: only its dates and cost are checked. */
  sessions: readonly TimetableSession[] | null;
  costPerDay?: number | null;
  /** Off-site direction: when the governing body gave the parents written notice (today when absent). */
  noticeGivenOn?: IsoDate | null;
  thresholdHours?: number;
}

/**
 * Everything wrong with a placement's plan at once: the type, the dates, the timetable
 * (libs/domain validateTimetable: a part-time one needs an end date and a first review date), the
 * cost, and an off-site direction's notice (at least 2 school days, naming the earliest legal start).
 */
export function checkPlacementPlan(plan: PlanToCheck & { sessions: readonly TimetableSession[] }, calendar: SchoolCalendar, today: IsoDate): Checked<TimetableFacts>;
export function checkPlacementPlan(plan: PlanToCheck, calendar: SchoolCalendar, today: IsoDate): Checked<TimetableFacts | null>;
export function checkPlacementPlan(plan: PlanToCheck, calendar: SchoolCalendar, today: IsoDate): Checked<TimetableFacts | null> {
  const problems: Problem[] = [];
  if (!(PLACEMENT_TYPES as readonly string[]).includes(plan.type)) {
    problems.push({ field: 'type', message: `The type "${plan.type}" is not one of ${PLACEMENT_TYPES.join(', ')}.` });
  }
  for (const field of ['plannedStartDate', 'plannedEndDate', 'firstReviewDate', 'noticeGivenOn'] as const) {
    const value = plan[field];
    if (value !== undefined && value !== null && !isIsoDate(value)) problems.push({ field, message: `The ${field} "${value}" is not a date (YYYY-MM-DD).` });
  }
  if (problems.length) return fail(...problems);
  const fieldNames: Record<string, string> = { startDate: 'plannedStartDate', endDate: 'plannedEndDate', reviewDate: 'firstReviewDate', sessions: 'timetable', parentAgreed: 'timetable' };
  if (plan.sessions === null) {
    if (plan.plannedEndDate && plan.plannedEndDate < plan.plannedStartDate) {
      problems.push({ field: 'plannedEndDate', message: `The end date ${plan.plannedEndDate} is before the start date ${plan.plannedStartDate}.` });
    }
  } else for (const p of validateTimetable({
    sessions: plan.sessions,
    startDate: plan.plannedStartDate,
    endDate: plan.plannedEndDate,
    reviewDate: plan.firstReviewDate,
    thresholdHours: plan.thresholdHours,
  })) {
    problems.push({ field: fieldNames[p.field] ?? p.field, message: p.message });
  }
  if (plan.costPerDay !== undefined && plan.costPerDay !== null && (!Number.isFinite(plan.costPerDay) || plan.costPerDay < 0)) {
    problems.push({ field: 'costPerDay', message: `The cost per day must be 0 or more, not ${plan.costPerDay}.` });
  }
  if (plan.type === 'OFF_SITE_DIRECTION') {
    const notice = checkOffSiteNotice(plan.plannedStartDate, plan.noticeGivenOn ?? today, calendar, 'plannedStartDate');
    if (!notice.ok) problems.push(...notice.problems);
  }
  if (problems.length) return fail(...problems);
  return { ok: true, value: plan.sessions === null ? null : timetableFacts(plan.sessions, plan.thresholdHours) };
}

/**
 * An off-site direction starts on a school day at least 2 school days after the parents' notice
 * (libs/domain offSiteDirectionEarliestStart); the error names the earliest legal date.
 */
export function checkOffSiteNotice(startDate: IsoDate, noticeGivenOn: IsoDate, calendar: SchoolCalendar, field = 'startDate'): Checked {
  let earliest: IsoDate;
  try {
    earliest = offSiteDirectionEarliestStart(noticeGivenOn, calendar);
  } catch (error) {
    if (!isDomainRuleError(error)) throw error;
    return fail({ field: 'noticeGivenOn', message: `The notice date ${noticeGivenOn} cannot be counted on the LA calendar: ${error.message}` });
  }
  if (startDate < earliest || !calendar.isSchoolDay(startDate)) {
    return fail({
      field,
      message: `An off-site direction needs at least 2 school days' notice: with notice given on ${noticeGivenOn}, the earliest start is ${earliest}${
        startDate >= earliest ? ` (and ${startDate} is not a school day)` : ''
      }.`,
    });
  }
  return { ok: true, value: undefined };
}

/** The next review: `intervalWeeks` school weeks (5 school days each) on from `from` on the LA calendar. */
export function nextReviewDue(from: IsoDate, calendar: SchoolCalendar, intervalWeeks = DEFAULT_REVIEW_INTERVAL_SCHOOL_WEEKS): IsoDate {
  return calendar.addSchoolDays(from, intervalWeeks * 5);
}

export interface ReviewToCheck {
  heldOn: IsoDate;
  decision: ReviewDecision;
  reintegrationPlan?: { targetDate: IsoDate; schoolUrn: string; steps: readonly string[] } | null;
}

/** A review is held on a past or present date; a REINTEGRATE decision needs a reintegration plan with a target date, a school and steps. */
export function checkReview(review: ReviewToCheck, placementStart: IsoDate | null, today: IsoDate): Checked {
  const problems: Problem[] = [];
  if (!isIsoDate(review.heldOn)) problems.push({ field: 'heldOn', message: `The heldOn "${review.heldOn}" is not a date (YYYY-MM-DD).` });
  else if (review.heldOn > today) problems.push({ field: 'heldOn', message: `The review is recorded once held: ${review.heldOn} is in the future.` });
  else if (placementStart && review.heldOn < placementStart) {
    problems.push({ field: 'heldOn', message: `The review date ${review.heldOn} is before the placement started (${placementStart}).` });
  }
  const plan = review.reintegrationPlan;
  if (review.decision === 'REINTEGRATE') {
    if (!plan) {
      problems.push({ field: 'reintegrationPlan', message: 'A decision to reintegrate needs a reintegration plan: a target date, the school the pupil returns to and the steps.' });
    } else {
      if (!isIsoDate(plan.targetDate) || (isIsoDate(review.heldOn) && plan.targetDate < review.heldOn)) {
        problems.push({ field: 'reintegrationPlan.targetDate', message: `The reintegration target date "${plan.targetDate}" must be a date on or after the review.` });
      }
      if (!/^[0-9]{6}$/.test(plan.schoolUrn)) problems.push({ field: 'reintegrationPlan.schoolUrn', message: `The school URN "${plan.schoolUrn}" must be six digits.` });
      if (plan.steps.filter((s) => s.trim()).length === 0) problems.push({ field: 'reintegrationPlan.steps', message: 'The reintegration plan needs at least one step.' });
    }
  }
  return problems.length ? fail(...problems) : { ok: true, value: undefined };
}

export interface EndToCheck {
  endDate: IsoDate;
  endReason: string;
  destinationUrn?: string | null;
}

/** An active placement ends on or after its start with a reason; a school destination is a six-digit URN. */
export function checkEnd(status: string, startDate: IsoDate | null, end: EndToCheck): Checked | { ok: false; conflict: string } {
  if (status !== 'ACTIVE') return { ok: false, conflict: `This placement is ${status.toLowerCase()}: only an active placement can end (cancel a planned one).` } as const;
  const problems: Problem[] = [];
  if (!isIsoDate(end.endDate)) problems.push({ field: 'endDate', message: `The endDate "${end.endDate}" is not a date (YYYY-MM-DD).` });
  else if (startDate && end.endDate < startDate) problems.push({ field: 'endDate', message: `The end date ${end.endDate} is before the placement started (${startDate}).` });
  if (!(END_REASONS as readonly string[]).includes(end.endReason)) problems.push({ field: 'endReason', message: `The endReason must be one of ${END_REASONS.join(', ')}.` });
  if (end.destinationUrn != null && !/^[0-9]{6}$/.test(end.destinationUrn)) problems.push({ field: 'destinationUrn', message: `The destination URN "${end.destinationUrn}" must be six digits.` });
  if ((end.endReason === 'REINTEGRATED_MAINSTREAM' || end.endReason === 'SPECIAL_SCHOOL') && !end.destinationUrn) {
    problems.push({ field: 'destinationUrn', message: 'Name the school the pupil goes to (destinationUrn).' });
  }
  return problems.length ? fail(...problems) : { ok: true, value: undefined };
}

/** Planned or active placements can be cancelled, with a reason; ended or cancelled ones cannot. */
export function checkCancel(status: string, reason: string): Checked | { ok: false; conflict: string } {
  if (status !== 'PLANNED' && status !== 'ACTIVE') return { ok: false, conflict: `This placement is ${status.toLowerCase()} and cannot be cancelled.` } as const;
  if (!reason.trim()) return fail({ field: 'reason', message: 'Say why the placement is cancelled.' });
  return { ok: true, value: undefined };
}

export interface ActivePlacementForRegistration {
  fullTime: boolean;
  lookedAfter: boolean;
  hasEhcp: boolean;
}

export interface RegistrationAnswer {
  required: boolean;
  fullTimePupils: number;
  lookedAfterOrEhcpPupils: number;
  reason: string;
}

/**
 * Whether an unregistered provider must register as an independent school, over its active
 * placements (libs/domain mustRegisterAsIndependentSchool). Registered settings never must.
 */
export function registrationRequirement(registrationType: string | null, active: readonly ActivePlacementForRegistration[]): RegistrationAnswer {
  const fullTime = active.filter((p) => p.fullTime);
  const ehcp = fullTime.filter((p) => p.hasEhcp).length;
  const lookedAfter = fullTime.filter((p) => p.lookedAfter).length;
  const special = fullTime.filter((p) => p.hasEhcp || p.lookedAfter).length;
  const counts = `${fullTime.length} full-time pupils, ${special} of them looked after or with an EHC plan`;
  if (registrationType !== 'UNREGISTERED') {
    return { required: false, fullTimePupils: fullTime.length, lookedAfterOrEhcpPupils: special, reason: `Registered as ${registrationType ?? 'unknown'}; ${counts}.` };
  }
  const required = mustRegisterAsIndependentSchool({ fullTimePupils: fullTime.length, fullTimePupilsWithEhcp: ehcp, fullTimeLookedAfterPupils: lookedAfter });
  const reason = required
    ? `An unregistered setting giving full-time education to ${counts} must register as an independent school (5 or more, or 1 looked after or with an EHC plan).`
    : `An unregistered setting with ${counts}: below the registration threshold.`;
  return { required, fullTimePupils: fullTime.length, lookedAfterOrEhcpPupils: special, reason };
}

/**
 * The standards a placement at a non-school (unregistered) provider breaks: at most 12 weeks, or
 * at most 2 days (4 sessions) a week when longer (libs/domain checkNonSchoolApPlacement).
 */
/**
 * A part-time timetable is flagged (DOMAIN.md: it puts extra safeguarding duties on the
 * commissioner, and must end and be reviewed): its hours against the full-time threshold, its end
 * and its next review. Null for a full-time placement or one without a timetable yet.
 */
export function partTimeFlag(
  placement: { fullTime: boolean; hoursPerWeek: number | null; plannedEndDate: IsoDate | null; nextReviewDue: IsoDate | null },
  thresholdHours = DEFAULT_FULL_TIME_HOURS,
): string | null {
  if (placement.fullTime || placement.hoursPerWeek === null) return null;
  const end = placement.plannedEndDate ? `; planned to end ${placement.plannedEndDate}` : '';
  const review = placement.nextReviewDue ? `; next review due ${placement.nextReviewDue}` : '';
  return `Part-time timetable: ${placement.hoursPerWeek} hours a week, below the full-time ${thresholdHours}; the commissioner keeps the pupil safe and in education for the rest of the week${end}${review}.`;
}

export function nonSchoolFlags(
  registrationType: string | null,
  placement: { startDate: IsoDate; endDate: IsoDate | null; sessionsPerWeek: number; type: string },
): string[] {
  if (registrationType !== 'UNREGISTERED' || placement.sessionsPerWeek < 1) return [];
  const check = checkNonSchoolApPlacement({
    startDate: placement.startDate,
    endDate: placement.endDate,
    sessionsPerWeek: placement.sessionsPerWeek,
    eotasUnderEhcp: placement.type === 'EHCP_NAMED',
  });
  return check.problems.map((p) => p.message);
}

/** Cost so far: the cost per day times the school days from the start to the end (or today). */
export function costToDate(costPerDay: number | null, startDate: IsoDate | null, until: IsoDate, calendar: SchoolCalendar): number | null {
  if (costPerDay === null || !startDate || until < startDate) return costPerDay === null ? null : 0;
  const last = until > calendar.lastDay ? calendar.lastDay : until;
  return Math.round(costPerDay * calendar.schoolDaysBetween(startDate, last) * 100) / 100;
}
