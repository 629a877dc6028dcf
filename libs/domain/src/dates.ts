import { DomainRuleError } from './errors';

/**
 * ISO calendar dates (`YYYY-MM-DD`) as plain strings, with arithmetic done on whole UTC days.
 * School rules count days, never instants, so we never touch local time: a date is turned into
 * a day number (days since 1970-01-01) with Date.UTC and back, and the host's timezone and
 * daylight saving can never shift a date.
 */

/** A calendar date `YYYY-MM-DD`. A plain string so it travels through GraphQL and JSON unchanged. */
export type IsoDate = string;

export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
// Index = getUTCDay() (0 = Sunday).
const WEEKDAYS: readonly Weekday[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * Parses a strict ISO date. Refuses anything that is not exactly `YYYY-MM-DD` naming a real day
 * (2025-02-30, 2023-02-29, 2024-13-01, ' 2024-01-01', '2024-1-1', timestamps): a silently
 * "corrected" date would move a statutory deadline.
 */
export function parseIsoDate(value: unknown, label = 'date'): DateParts {
  if (typeof value !== 'string') {
    throw new DomainRuleError('INVALID_DATE', `The ${label} is missing; give it as YYYY-MM-DD, e.g. 2025-09-01.`);
  }
  const match = ISO_DATE.exec(value);
  if (!match) {
    throw new DomainRuleError(
      'INVALID_DATE',
      `The ${label} "${value}" is not a date in the form YYYY-MM-DD (e.g. 2025-09-01).`,
    );
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 2199) {
    throw new DomainRuleError('INVALID_DATE', `The ${label} "${value}" has an implausible year; check the year.`);
  }
  if (month < 1 || month > 12) {
    throw new DomainRuleError('INVALID_DATE', `The ${label} "${value}" has no month ${month}; months run 01 to 12.`);
  }
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new DomainRuleError(
      'INVALID_DATE',
      `The ${label} "${value}" does not exist: ${String(month).padStart(2, '0')}/${year} has ${daysInMonth(year, month)} days.`,
    );
  }
  return { year, month, day };
}

/** True when `value` is a real date written strictly as `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is IsoDate {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01 (UTC). Validates the date. */
export function toDayNumber(date: IsoDate, label = 'date'): number {
  const { year, month, day } = parseIsoDate(date, label);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromDayNumber(dayNumber: number): IsoDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number, label = 'date'): IsoDate {
  return fromDayNumber(toDayNumber(date, label) + days);
}

/** Signed number of days from `from` to `to` (0 when equal). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to, 'end date') - toDayNumber(from, 'start date');
}

export function weekdayOfDayNumber(dayNumber: number): Weekday {
  // 1970-01-01 was a Thursday; ((n % 7) + 7) % 7 keeps dates before 1970 correct.
  return WEEKDAYS[(((dayNumber + 4) % 7) + 7) % 7] as Weekday;
}

export function weekday(date: IsoDate): Weekday {
  return weekdayOfDayNumber(toDayNumber(date));
}

export function isWeekend(date: IsoDate): boolean {
  const day = weekday(date);
  return day === 'SAT' || day === 'SUN';
}

/** Negative when a < b, 0 when equal, positive when a > b. Validates both dates. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return toDayNumber(a) - toDayNumber(b);
}
