import { fromDayNumber, IsoDate, toDayNumber, weekdayOfDayNumber } from './dates';
import { DomainRuleError } from './errors';

/** One block of teaching, first and last day inclusive (a half term, or a whole term). */
export interface Term {
  start: IsoDate;
  end: IsoDate;
}

export interface SchoolCalendarInput {
  /** Terms (or half terms); the gaps between them are holidays. Order does not matter; overlaps are refused. */
  terms: readonly Term[];
  /** Days inside terms when the school is closed to pupils: INSET days, polling-day closures. */
  closures?: readonly IsoDate[];
  /** Public holidays, e.g. {@link ENGLAND_BANK_HOLIDAYS} from calendar-data. */
  bankHolidays?: readonly IsoDate[];
}

/**
 * The school days of one school or LA. The calendar knows the days from the start of its first
 * term to the end of its last. A date outside every term is not a school day, but the counting
 * functions refuse to count across the calendar's ends (OUTSIDE_CALENDAR, CALENDAR_EXHAUSTED)
 * rather than guess: a school day missing from the calendar would silently move a statutory
 * deadline.
 */
export interface SchoolCalendar {
  /** First day of the first term: the calendar knows nothing before it. */
  readonly firstDay: IsoDate;
  /** Last day of the last term: the calendar knows nothing after it. */
  readonly lastDay: IsoDate;
  /**
   * True for a weekday inside a term that is neither a bank holiday nor a closure; false for
   * every other date, including dates before `firstDay` or after `lastDay`.
   * @throws DomainRuleError INVALID_DATE for a malformed date
   */
  isSchoolDay(date: IsoDate): boolean;
  /**
   * Counts `n` school days on from `date`.
   * - The start is first moved to a school day: for n >= 0 the first school day on or after
   *   `date`; for n < 0 the last school day on or before it. That school day is step 0.
   * - Then it moves `n` school days: n = 0 returns the start itself, n = 1 the next school day,
   *   n = -1 the previous one.
   * So Friday + 1 = Monday, Saturday + 0 = Monday, Saturday + 1 = Tuesday, and the result is
   * always a school day. Counting "day 1 = `date`" to "day k" is addSchoolDays(date, k - 1).
   * @throws DomainRuleError INVALID_ARGUMENT when `n` is not an integer
   * @throws DomainRuleError OUTSIDE_CALENDAR when counting forward from before `firstDay`, or
   *   backward from after `lastDay`
   * @throws DomainRuleError CALENDAR_EXHAUSTED when the count runs past the last (or before the
   *   first) school day in the calendar
   */
  addSchoolDays(date: IsoDate, n: number): IsoDate;
  /**
   * The number of school days from `from` to `to`, both ends included (Mon to Fri of a normal
   * week is 5; a date with itself is 1 if it is a school day, else 0).
   * @throws DomainRuleError INVALID_RANGE when `to` is before `from`
   * @throws DomainRuleError OUTSIDE_CALENDAR when either end lies outside the calendar
   */
  schoolDaysBetween(from: IsoDate, to: IsoDate): number;
}

/** First index i with sorted[i] >= value (sorted.length when none). */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with sorted[i] > value (sorted.length when none). */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function dateSet(dates: readonly IsoDate[] | undefined, label: string): Set<number> {
  if (dates === undefined) return new Set();
  if (!Array.isArray(dates)) {
    throw new DomainRuleError('INVALID_CALENDAR', `The ${label} must be a list of dates (YYYY-MM-DD).`);
  }
  return new Set(dates.map((date, i) => toDayNumber(date, `${label} entry ${i + 1}`)));
}

/**
 * Builds a school calendar from term dates, closures and bank holidays.
 * Source: a school day is a day on which the school holds a session (the meaning of "school day"
 * in the pupil registration regulations, SI 2024/208); weekends, bank holidays, the holidays
 * between terms and INSET/closure days are therefore not school days.
 * The whole calendar is expanded once into a sorted list of school days, so every query is a
 * binary search and no query can loop.
 * @throws DomainRuleError INVALID_CALENDAR (no terms, a term ending before it starts, overlapping
 *   terms) or INVALID_DATE (a malformed date anywhere in the input)
 */
export function createSchoolCalendar(input: SchoolCalendarInput): SchoolCalendar {
  if (!input || !Array.isArray(input.terms) || input.terms.length === 0) {
    throw new DomainRuleError('INVALID_CALENDAR', 'A school calendar needs at least one term with a start and an end date.');
  }
  const terms = input.terms
    .map((term, i) => {
      const start = toDayNumber(term?.start, `start of term ${i + 1}`);
      const end = toDayNumber(term?.end, `end of term ${i + 1}`);
      if (end < start) {
        throw new DomainRuleError(
          'INVALID_CALENDAR',
          `Term ${i + 1} ends (${term.end}) before it starts (${term.start}); swap the dates or correct them.`,
        );
      }
      return { start, end };
    })
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < terms.length; i++) {
    const previous = terms[i - 1] as { start: number; end: number };
    const current = terms[i] as { start: number; end: number };
    if (current.start <= previous.end) {
      throw new DomainRuleError(
        'INVALID_CALENDAR',
        `Two terms overlap: ${fromDayNumber(previous.start)} to ${fromDayNumber(previous.end)} and ${fromDayNumber(current.start)} to ${fromDayNumber(current.end)}. Each day may belong to one term only.`,
      );
    }
  }
  const closures = dateSet(input.closures, 'closures');
  const bankHolidays = dateSet(input.bankHolidays, 'bank holidays');

  const schoolDays: number[] = [];
  for (const term of terms) {
    for (let day = term.start; day <= term.end; day++) {
      const dayOfWeek = weekdayOfDayNumber(day);
      if (dayOfWeek === 'SAT' || dayOfWeek === 'SUN') continue;
      if (bankHolidays.has(day) || closures.has(day)) continue;
      schoolDays.push(day);
    }
  }
  const schoolDaySet = new Set(schoolDays);
  const first = (terms[0] as { start: number }).start;
  const last = (terms[terms.length - 1] as { end: number }).end;
  const firstDay = fromDayNumber(first);
  const lastDay = fromDayNumber(last);

  const outside = (date: IsoDate, what: string): DomainRuleError =>
    new DomainRuleError(
      'OUTSIDE_CALENDAR',
      `${what} ${date} is outside the school calendar, which runs from ${firstDay} to ${lastDay}. Add the terms that cover it.`,
    );

  return {
    firstDay,
    lastDay,

    isSchoolDay(date) {
      return schoolDaySet.has(toDayNumber(date));
    },

    addSchoolDays(date, n) {
      const day = toDayNumber(date);
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        throw new DomainRuleError('INVALID_ARGUMENT', `The number of school days must be a whole number, not ${String(n)}.`);
      }
      let target: number;
      if (n >= 0) {
        if (day < first) throw outside(date, 'The start date');
        target = lowerBound(schoolDays, day) + n;
      } else {
        if (day > last) throw outside(date, 'The start date');
        target = upperBound(schoolDays, day) - 1 + n;
      }
      if (target >= schoolDays.length) {
        throw new DomainRuleError(
          'CALENDAR_EXHAUSTED',
          `The school calendar runs out before ${n} school day(s) after ${date}: its last term ends on ${lastDay}. Add the next academic year's terms to the calendar.`,
        );
      }
      if (target < 0) {
        throw new DomainRuleError(
          'CALENDAR_EXHAUSTED',
          `The school calendar runs out before ${-n} school day(s) before ${date}: its first term starts on ${firstDay}. Add the previous academic year's terms to the calendar.`,
        );
      }
      return fromDayNumber(schoolDays[target] as number);
    },

    schoolDaysBetween(from, to) {
      const start = toDayNumber(from, 'start date');
      const end = toDayNumber(to, 'end date');
      if (end < start) {
        throw new DomainRuleError('INVALID_RANGE', `The end date ${to} is before the start date ${from}; give the earlier date first.`);
      }
      if (start < first || start > last) throw outside(from, 'The start date');
      if (end < first || end > last) throw outside(to, 'The end date');
      return upperBound(schoolDays, end) - lowerBound(schoolDays, start);
    },
  };
}

/**
 * The day by which full-time education must be in place for a permanently excluded pupil: the
 * sixth school day of the exclusion, the first day of the exclusion being day 1 (when that date
 * is not a school day, day 1 is the next school day). The same count gives the school's duty
 * for a suspension (or consecutive suspensions) of more than five school days.
 * Source: Education Act 1996 s.19(3A) and Education and Inspections Act 2006 ss.100-101; The
 * Education (Provision of Full-Time Education for Excluded Pupils) (England) Regulations 2007
 * (SI 2007/1870) reg. 4 (LA, permanent exclusion) and reg. 3 (school, suspension; "sixth
 * consecutive school day of exclusion" since SI 2014/3216). Reg. 5 lifts the duty for a Year 11
 * pupil whose exams are over and where an EHC plan specifies fewer hours: the caller decides that.
 * Pass the calendar of the school the pupil was excluded from (or the LA's, where the LA keeps one
 * calendar for its schools): it is that school's school days that count.
 * @throws DomainRuleError CALENDAR_EXHAUSTED when the calendar ends before day 6
 */
export function day6Date(firstDayOfExclusion: IsoDate, calendar: Pick<SchoolCalendar, 'addSchoolDays'>): IsoDate {
  return calendar.addSchoolDays(firstDayOfExclusion, 5);
}
