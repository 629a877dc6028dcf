import { IsoDate, toDayNumber } from './dates';
import { DomainRuleError, isDomainRuleError } from './errors';

/**
 * Weekly timetables of AP placements and the full-time / part-time line.
 * Source: DfE "Working together to improve school attendance" (August 2024), "Part-time
 * timetables": a part-time timetable must only be used in exceptional circumstances, for the
 * shortest time necessary, with the parent's agreement, with a time limit by which the pupil is
 * expected to return to full-time education, and with formal arrangements for regular review;
 * School Attendance (Pupil Registration) (England) Regulations 2024 reg. 11 (leave of absence for
 * an agreed part-time timetable, code C2). Full-time has no statutory number of hours; the
 * platform's threshold is configurable and defaults to 25 hours a week.
 */

export type SchoolWeekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI';

export interface TimetableSession {
  day: SchoolWeekday;
  /** 24-hour clock, 'HH:MM' */
  start: string;
  /** 24-hour clock, 'HH:MM', after `start` on the same day */
  end: string;
}

/** The platform's default full-time threshold in hours a week (DOMAIN.md); each LA may set its own. */
export const DEFAULT_FULL_TIME_HOURS = 25;

const SCHOOL_WEEKDAYS: readonly SchoolWeekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

function minutesOf(time: unknown, label: string): number {
  const match = typeof time === 'string' ? TIME.exec(time) : null;
  if (!match) {
    throw new DomainRuleError('INVALID_SESSION', `The ${label} "${String(time)}" is not a time of day in the form HH:MM (00:00 to 23:59).`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

/** A register session: the morning (AM) or the afternoon (PM) of a school day. */
export type RegisterSession = 'AM' | 'PM';

/**
 * The register sessions (half days) a timetabled session takes: one starting before 12:00 takes the
 * morning (AM), one ending after 13:00 the afternoon (PM). Timetables and attendance count alike.
 */
export function halfDaysOf(session: Pick<TimetableSession, 'start' | 'end'>): RegisterSession[] {
  const halves: RegisterSession[] = [];
  if (minutesOf(session.start, 'start') < 12 * 60) halves.push('AM');
  if (minutesOf(session.end, 'end') > 13 * 60) halves.push('PM');
  return halves;
}

/**
 * Total taught minutes a week. Sessions that overlap on the same day are refused (touching
 * sessions, 09:00-12:00 and 12:00-15:00, are fine): counting an overlap twice would make a
 * part-time timetable look full-time.
 * @throws DomainRuleError INVALID_SESSION (bad day or time, end not after start) or
 *   OVERLAPPING_SESSIONS
 */
export function weeklyMinutes(sessions: readonly TimetableSession[]): number {
  if (!Array.isArray(sessions)) {
    throw new DomainRuleError('INVALID_SESSION', 'The timetable must be a list of sessions with a day, a start time and an end time.');
  }
  const byDay = new Map<SchoolWeekday, { start: number; end: number; index: number }[]>();
  sessions.forEach((session, i) => {
    const n = i + 1;
    if (!session || !SCHOOL_WEEKDAYS.includes(session.day)) {
      throw new DomainRuleError('INVALID_SESSION', `Session ${n} has day "${String(session?.day)}"; use one of MON, TUE, WED, THU, FRI.`);
    }
    const start = minutesOf(session.start, `start time of session ${n}`);
    const end = minutesOf(session.end, `end time of session ${n}`);
    if (end <= start) {
      throw new DomainRuleError('INVALID_SESSION', `Session ${n} (${session.day} ${session.start}-${session.end}) must end after it starts.`);
    }
    const list = byDay.get(session.day) ?? [];
    list.push({ start, end, index: n });
    byDay.set(session.day, list);
  });
  let total = 0;
  for (const [day, list] of byDay) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 0; i < list.length; i++) {
      const current = list[i] as { start: number; end: number; index: number };
      const previous = list[i - 1];
      if (previous && current.start < previous.end) {
        throw new DomainRuleError(
          'OVERLAPPING_SESSIONS',
          `Sessions ${previous.index} and ${current.index} overlap on ${day}; a pupil can only be in one session at a time. Adjust their times.`,
        );
      }
      total += current.end - current.start;
    }
  }
  return total;
}

/**
 * Hours a week on the timetable (minutes / 60, e.g. 27.5).
 * @throws DomainRuleError INVALID_SESSION or OVERLAPPING_SESSIONS (see {@link weeklyMinutes})
 */
export function weeklyHours(sessions: readonly TimetableSession[]): number {
  return weeklyMinutes(sessions) / 60;
}

/**
 * True when `hours` a week is full-time: at or above the threshold (DOMAIN.md: configurable, 25
 * hours by default). There is no statutory hours figure for full-time education; DfE expects a
 * 32.5-hour week in mainstream schools, so an LA may raise the threshold.
 * @throws DomainRuleError INVALID_ARGUMENT for negative or non-finite hours or threshold
 */
export function isFullTime(hours: number, thresholdHours: number = DEFAULT_FULL_TIME_HOURS): boolean {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) {
    throw new DomainRuleError('INVALID_ARGUMENT', `Weekly hours must be a number of hours of 0 or more, not ${String(hours)}.`);
  }
  if (typeof thresholdHours !== 'number' || !Number.isFinite(thresholdHours) || thresholdHours <= 0) {
    throw new DomainRuleError('INVALID_ARGUMENT', `The full-time threshold must be a positive number of hours, not ${String(thresholdHours)}.`);
  }
  return hours >= thresholdHours;
}

export type TimetableProblemCode =
  | 'INVALID_SESSION'
  | 'OVERLAPPING_SESSIONS'
  | 'NO_SESSIONS'
  | 'INVALID_DATE'
  | 'END_BEFORE_START'
  | 'PART_TIME_NEEDS_END_DATE'
  | 'PART_TIME_NEEDS_REVIEW_DATE'
  | 'REVIEW_OUTSIDE_TIMETABLE'
  | 'PART_TIME_NEEDS_PARENT_AGREEMENT';

export interface TimetableProblem {
  code: TimetableProblemCode;
  /** The input field the problem is about, for forms. */
  field: 'sessions' | 'startDate' | 'endDate' | 'reviewDate' | 'parentAgreed';
  message: string;
}

export interface TimetableToValidate {
  sessions: readonly TimetableSession[];
  /** First day the timetable applies. */
  startDate?: IsoDate | null;
  /** The date by which the pupil returns to full-time education (required when part-time). */
  endDate?: IsoDate | null;
  /** When the timetable will next be reviewed with the pupil and parents (required when part-time). */
  reviewDate?: IsoDate | null;
  /** Hours a week that count as full-time; defaults to {@link DEFAULT_FULL_TIME_HOURS}. */
  thresholdHours?: number;
  /** Whether a parent the pupil lives with agreed the part-time timetable; only an explicit false is a problem. */
  parentAgreed?: boolean;
}

/**
 * Lists what is wrong with a timetable (an empty list means it is acceptable). A part-time
 * timetable (below the threshold) is acceptable only with an end date (when full-time education
 * resumes) and a review date between its start and end.
 * Source: "Working together to improve school attendance" (2024), "Part-time timetables";
 * SI 2024/208 reg. 11 (the parent must have agreed a part-time timetable recorded as C2).
 */
export function validateTimetable(timetable: TimetableToValidate): TimetableProblem[] {
  const problems: TimetableProblem[] = [];
  let hours: number | undefined;
  try {
    hours = weeklyHours(timetable?.sessions);
    if (timetable.sessions.length === 0) {
      problems.push({ code: 'NO_SESSIONS', field: 'sessions', message: 'The timetable has no sessions; add the sessions the pupil will attend.' });
    }
  } catch (error) {
    if (!isDomainRuleError(error)) throw error;
    problems.push({
      code: error.code === 'OVERLAPPING_SESSIONS' ? 'OVERLAPPING_SESSIONS' : 'INVALID_SESSION',
      field: 'sessions',
      message: error.message,
    });
  }

  const dateOf = (field: 'startDate' | 'endDate' | 'reviewDate', label: string): number | undefined => {
    const value = timetable?.[field];
    if (value === undefined || value === null) return undefined;
    try {
      return toDayNumber(value, label);
    } catch (error) {
      if (!isDomainRuleError(error)) throw error;
      problems.push({ code: 'INVALID_DATE', field, message: error.message });
      return undefined;
    }
  };
  const start = dateOf('startDate', 'start date');
  const end = dateOf('endDate', 'end date');
  const review = dateOf('reviewDate', 'review date');

  if (start !== undefined && end !== undefined && end < start) {
    problems.push({ code: 'END_BEFORE_START', field: 'endDate', message: `The end date ${timetable.endDate} is before the start date ${timetable.startDate}.` });
  }
  if (review !== undefined && ((start !== undefined && review < start) || (end !== undefined && review > end))) {
    problems.push({
      code: 'REVIEW_OUTSIDE_TIMETABLE',
      field: 'reviewDate',
      message: `The review date ${timetable.reviewDate} must fall between the timetable's start and end dates, so the review can still change it.`,
    });
  }

  let threshold = DEFAULT_FULL_TIME_HOURS;
  if (timetable?.thresholdHours !== undefined) threshold = timetable.thresholdHours;
  if (hours !== undefined && !isFullTime(hours, threshold)) {
    const describe = `${hours} hours a week is part-time (full-time is ${threshold} hours or more)`;
    if (timetable.endDate === undefined || timetable.endDate === null) {
      problems.push({
        code: 'PART_TIME_NEEDS_END_DATE',
        field: 'endDate',
        message: `${describe}, so it needs an end date by which the pupil returns to full-time education.`,
      });
    }
    if (timetable.reviewDate === undefined || timetable.reviewDate === null) {
      problems.push({
        code: 'PART_TIME_NEEDS_REVIEW_DATE',
        field: 'reviewDate',
        message: `${describe}, so it needs a date when it will be reviewed with the pupil and their parents.`,
      });
    }
    if (timetable.parentAgreed === false) {
      problems.push({
        code: 'PART_TIME_NEEDS_PARENT_AGREEMENT',
        field: 'parentAgreed',
        message: `${describe}; a part-time timetable needs the agreement of a parent the pupil lives with.`,
      });
    }
  }
  return problems;
}
