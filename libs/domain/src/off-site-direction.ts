import { SchoolCalendar } from './calendar';
import { addDays, IsoDate, toDayNumber } from './dates';
import { DomainRuleError } from './errors';

/**
 * Off-site direction: a maintained school's governing body requiring a pupil to attend education
 * elsewhere to improve their behaviour (Education Act 2002 s.29A).
 * Source: The Education (Educational Provision for Improving Behaviour) Regulations 2010
 * (SI 2010/1156) as amended by the Education (Educational Provision for Improving Behaviour)
 * (Amendment) Regulations 2012 (SI 2012/2532); DfE "Suspension and permanent exclusion"
 * statutory guidance (2023/2024), "Off-site direction". Academies follow the same rules where
 * their funding agreement applies them.
 */

/** Minimum notice, in school days, before the first day of off-site provision (SI 2010/1156 reg. 3(2)). */
export const OFF_SITE_NOTICE_SCHOOL_DAYS = 2;

/** A parent's (or the LA's) request for a review must be met unless one was held in the preceding 10 weeks (SI 2010/1156 reg. 4A(4)). */
export const OFF_SITE_REVIEW_INTERVAL_WEEKS = 10;

/**
 * The earliest first day of off-site provision when written notice is given on `noticeDate`.
 * The notice must be given "not less than two school days before" the first day, so the first day
 * is the second school day after the notice: notice on Monday allows Wednesday; notice given on
 * a Saturday counts from Monday and allows Wednesday. Notice posted rather than handed over is
 * given when it arrives; pass that date.
 * Source: SI 2010/1156 reg. 3(2) ("not less than two school days before the relevant day", the
 * relevant day being the first school day the pupil must attend off site; reg. 2).
 * @throws DomainRuleError CALENDAR_EXHAUSTED / OUTSIDE_CALENDAR when the calendar cannot count it
 */
export function offSiteDirectionEarliestStart(noticeDate: IsoDate, calendar: Pick<SchoolCalendar, 'addSchoolDays'>): IsoDate {
  return calendar.addSchoolDays(noticeDate, OFF_SITE_NOTICE_SCHOOL_DAYS);
}

/**
 * The last day on which notice can be given for off-site provision starting on `firstDay` (the
 * inverse of {@link offSiteDirectionEarliestStart}). Source: SI 2010/1156 regs. 2 and 3(2).
 * @throws DomainRuleError NOT_A_SCHOOL_DAY when `firstDay` is not a school day (provision starts on one)
 */
export function offSiteDirectionLatestNoticeDate(
  firstDay: IsoDate,
  calendar: Pick<SchoolCalendar, 'addSchoolDays' | 'isSchoolDay'>,
): IsoDate {
  if (!calendar.isSchoolDay(firstDay)) {
    throw new DomainRuleError('NOT_A_SCHOOL_DAY', `${firstDay} is not a school day; off-site provision must start on a school day.`);
  }
  return calendar.addSchoolDays(firstDay, -OFF_SITE_NOTICE_SCHOOL_DAYS);
}

/**
 * Whether the governing body must hold a review meeting when one is asked for on `requestDate`.
 * The parent (or the pupil, once 18; or the LA maintaining an EHC plan) may ask in writing, and
 * the governing body must hold one as soon as reasonably practicable unless a review meeting was
 * held "during the period of 10 weeks preceding the day on which the request is made": the 70
 * days before the request day. A review on the request day itself is not in that period, and
 * reviews dated after the request are ignored. Between requests the governing body sets its own
 * review intervals (reg. 4(1)(a)).
 * Source: SI 2010/1156 reg. 4A(4), inserted by SI 2012/2532 reg. 5.
 */
export function offSiteDirectionReviewDue(requestDate: IsoDate, reviewsHeld: readonly IsoDate[]): boolean {
  const request = toDayNumber(requestDate, 'request date');
  if (!Array.isArray(reviewsHeld)) {
    throw new DomainRuleError('INVALID_ARGUMENT', 'The reviews held must be a list of dates (YYYY-MM-DD); pass [] when none have been held.');
  }
  const windowStart = request - OFF_SITE_REVIEW_INTERVAL_WEEKS * 7;
  return !reviewsHeld.some((date, i) => {
    const day = toDayNumber(date, `review date ${i + 1}`);
    return day >= windowStart && day < request;
  });
}

/**
 * The first date on which a request for a review must be met, given the reviews held so far:
 * 71 days after the latest one (the first request day whose preceding 10 weeks no longer contain
 * it), or null when none has been held (a request must be met at once).
 * Source: SI 2010/1156 reg. 4A(4), inserted by SI 2012/2532 reg. 5.
 */
export function offSiteDirectionReviewRequestableFrom(reviewsHeld: readonly IsoDate[]): IsoDate | null {
  if (!Array.isArray(reviewsHeld)) {
    throw new DomainRuleError('INVALID_ARGUMENT', 'The reviews held must be a list of dates (YYYY-MM-DD); pass [] when none have been held.');
  }
  if (reviewsHeld.length === 0) return null;
  const latest = reviewsHeld.reduce((a, b) => (toDayNumber(b, 'review date') > toDayNumber(a, 'review date') ? b : a));
  return addDays(latest, OFF_SITE_REVIEW_INTERVAL_WEEKS * 7 + 1);
}
