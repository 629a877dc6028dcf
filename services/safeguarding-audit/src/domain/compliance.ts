import { addDays, compareDates, DomainRuleError, IsoDate, parseIsoDate, SchoolCalendar, toDayNumber, weekdayOfDayNumber } from '@ap/domain';
import type { Rating } from './audit';

/** A provider's safeguarding compliance, as the directory and placement read it. */
export type ProviderCompliance = 'NOT_AUDITED' | 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT' | 'EXPIRED';

/** An action past its due date by more than this many school days makes the provider non-compliant. */
export const OVERDUE_LIMIT_SCHOOL_DAYS = 20;

/** How long a completed audit keeps a provider in date. */
export const AUDIT_VALID_MONTHS = 12;

/** The same day a year later (29 February → 28 February): when a completed audit runs out. */
export function auditExpiresOn(completedOn: IsoDate): IsoDate {
  const { year, month, day } = parseIsoDate(completedOn);
  const leapDay = month === 2 && day === 29;
  return `${String(year + 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(leapDay ? 28 : day).padStart(2, '0')}`;
}

/**
 * School days an action is past its due date on `today`: the school days after the due date up to
 * and including today (0 while today is on or before it). Past either end of the LA's calendar the
 * weekdays are counted instead, so an overdue action still counts rather than throwing.
 */
export function schoolDaysOverdue(dueDate: IsoDate, today: IsoDate, calendar: Pick<SchoolCalendar, 'schoolDaysBetween'>): number {
  if (compareDates(today, dueDate) <= 0) return 0;
  const from = addDays(dueDate, 1);
  try {
    return calendar.schoolDaysBetween(from, today);
  } catch (e) {
    if (!(e instanceof DomainRuleError)) throw e;
    let weekdays = 0;
    for (let d = toDayNumber(from), end = toDayNumber(today); d <= end; d++) {
      const day = weekdayOfDayNumber(d);
      if (day !== 'SAT' && day !== 'SUN') weekdays++;
    }
    return weekdays;
  }
}

/** An action's status on a day: DONE once closed; OVERDUE once past its due date; OPEN before. */
export function actionStatus(action: { dueDate: IsoDate; closed: boolean }, today: IsoDate): 'OPEN' | 'DONE' | 'OVERDUE' {
  if (action.closed) return 'DONE';
  return compareDates(today, action.dueDate) > 0 ? 'OVERDUE' : 'OPEN';
}

export interface ComplianceFacts {
  today: IsoDate;
  /** When this service first knew the provider: a provider never audited expires 12 months after. */
  knownSince: IsoDate;
  /** The provider's latest completed audit, if any. */
  latestAudit: { overallRating: Rating; completedOn: IsoDate } | null;
  /** Every action of its audits and every follow-up of its visits (closed ones too). */
  actions: readonly { description: string; dueDate: IsoDate; closed: boolean }[];
  /** Its monitoring visits with the ratings of their findings. */
  visits: readonly { type: string; visitedOn: IsoDate; findings: readonly { rating: Rating }[] }[];
}

export interface ComplianceVerdict {
  compliance: ProviderCompliance;
  /** Why, in a sentence a QA officer or provider can act on (published as the event's reason). */
  reason: string;
}

/**
 * A provider's compliance from its latest completed audit, its actions and its visits. The most
 * serious answer wins:
 * 1. NON_COMPLIANT: a RED finding on a SAFEGUARDING visit since the latest completed audit (an audit
 *    completed after the visit supersedes it); an open action overdue by more than 20 school days
 *    on the LA's calendar; or the latest audit, still in date, RED overall.
 * 2. EXPIRED: no audit completed in the last 12 months, when there was one, or when the provider
 *    has been known for 12 months without one.
 * 3. NOT_AUDITED: never audited, and known for less than 12 months.
 * 4. ACTION_REQUIRED: the latest audit AMBER overall, or any open action (overdue by at most
 *    20 school days, or not yet due).
 * 5. COMPLIANT: the latest audit GREEN overall and no open action.
 */
export function deriveCompliance(facts: ComplianceFacts, calendar: Pick<SchoolCalendar, 'schoolDaysBetween'>): ComplianceVerdict {
  const { today, latestAudit } = facts;
  const inDate = latestAudit !== null && compareDates(today, auditExpiresOn(latestAudit.completedOn)) < 0;

  const redVisit = facts.visits.find(
    (v) => v.type === 'SAFEGUARDING' && v.findings.some((f) => f.rating === 'RED') && (!latestAudit || compareDates(v.visitedOn, latestAudit.completedOn) >= 0),
  );
  if (redVisit) return { compliance: 'NON_COMPLIANT', reason: `A safeguarding monitoring visit on ${redVisit.visitedOn} found a RED-rated area` };

  const open = facts.actions.filter((a) => !a.closed);
  const worstOverdue = open
    .map((a) => ({ action: a, days: schoolDaysOverdue(a.dueDate, today, calendar) }))
    .sort((a, b) => b.days - a.days)[0];
  if (worstOverdue && worstOverdue.days > OVERDUE_LIMIT_SCHOOL_DAYS) {
    return {
      compliance: 'NON_COMPLIANT',
      reason: `The action “${worstOverdue.action.description}” was due on ${worstOverdue.action.dueDate} and is ${worstOverdue.days} school days overdue (more than ${OVERDUE_LIMIT_SCHOOL_DAYS})`,
    };
  }
  if (inDate && latestAudit.overallRating === 'RED') return { compliance: 'NON_COMPLIANT', reason: `The audit completed on ${latestAudit.completedOn} is rated RED overall` };

  if (!inDate) {
    if (latestAudit) return { compliance: 'EXPIRED', reason: `No audit completed since ${latestAudit.completedOn}; audits run out after ${AUDIT_VALID_MONTHS} months` };
    if (compareDates(today, auditExpiresOn(facts.knownSince)) >= 0) {
      return { compliance: 'EXPIRED', reason: `Never audited, and listed since ${facts.knownSince}: an audit is due within ${AUDIT_VALID_MONTHS} months` };
    }
    return { compliance: 'NOT_AUDITED', reason: 'Not audited yet' };
  }

  if (latestAudit.overallRating === 'AMBER') return { compliance: 'ACTION_REQUIRED', reason: `The audit completed on ${latestAudit.completedOn} is rated AMBER overall` };
  if (worstOverdue) {
    return worstOverdue.days > 0
      ? { compliance: 'ACTION_REQUIRED', reason: `The action “${worstOverdue.action.description}” is ${worstOverdue.days} school days overdue` }
      : { compliance: 'ACTION_REQUIRED', reason: `${open.length} action(s) open, the next due on ${[...open].sort((a, b) => compareDates(a.dueDate, b.dueDate))[0]!.dueDate}` };
  }
  return { compliance: 'COMPLIANT', reason: `The audit completed on ${latestAudit.completedOn} is rated GREEN and no action is open` };
}
