import {
  addDays,
  attendanceCode,
  halfDaysOf,
  isDomainRuleError,
  isIsoDate,
  summariseAttendance,
  weekday,
  type AttendanceSummary,
  type IsoDate,
  type SchoolCalendar,
  type TimetableSession,
  type UpnValidation,
  validateUpn,
} from '@ap/domain';
import type { PlacementStatus } from './placement';
import { type Problem } from './rules';

/**
 * Attendance at a placement: which sessions may carry a mark, how a MIS mark finds its placement,
 * which marks raise the same-day alert, and the summary of a period. Pure; src/attendance.ts
 * does the I/O. The counting itself is libs/domain's summariseAttendance (the DfE's definition,
 * shared with outcomes).
 */

export type Session = 'AM' | 'PM';
export const SESSIONS: readonly Session[] = ['AM', 'PM'];

/** The most marks one call may carry (a MIS push, Wonde's writeback batch; a provider's register). */
export const MAX_MARKS_PER_CALL = 10_000;

/** The code recorded, derived, for a part-time timetable's sessions off the timetable (SI 2024/208 reg. 11). */
export const PART_TIME_CODE = 'C2';

/** What the attendance rules need to know of a placement. */
export interface PlacementForMarks {
  id: string;
  status: PlacementStatus;
  startDate: IsoDate | null;
  plannedStartDate: IsoDate | null;
  endDate: IsoDate | null;
  /** Null for a placement planned from a referral before it has a timetable: full-time, every session. */
  timetable: readonly TimetableSession[] | null;
  fullTime: boolean;
}

/** The sessions the timetable expects on a date's weekday (both for a placement without a timetable yet). */
export function timetabledSessions(placement: Pick<PlacementForMarks, 'timetable'>, date: IsoDate): Session[] {
  if (placement.timetable === null) return [...SESSIONS];
  const day = weekday(date);
  const halves = new Set<Session>();
  for (const s of placement.timetable) if (s.day === day) for (const h of halfDaysOf(s)) halves.add(h);
  return SESSIONS.filter((s) => halves.has(s));
}

/** The first and last day a placement may carry marks: its start (planned start until it starts) to its end, if it ended. */
export function markWindow(p: Pick<PlacementForMarks, 'startDate' | 'plannedStartDate' | 'endDate'>): { from: IsoDate | null; to: IsoDate | null } {
  return { from: p.startDate ?? p.plannedStartDate, to: p.endDate };
}

const WEEKDAY_NAMES: Record<string, string> = { SAT: 'a Saturday', SUN: 'a Sunday' };

/** The code as recorded (upper case, trimmed), or the problem with it (a retired code says what replaced it). */
export function checkCode(code: string): { code: string } | { problem: Problem } {
  try {
    return { code: attendanceCode(code).code };
  } catch (error) {
    if (!isDomainRuleError(error)) throw error;
    return { problem: { field: 'code', message: error.message } };
  }
}

/**
 * What is wrong with the date and session of a mark, whatever the placement: a date (YYYY-MM-DD),
 * not in the future, a school day on the LA calendar, and AM or PM.
 */
export function checkDateAndSession(date: string, session: string, calendar: SchoolCalendar, today: IsoDate): Problem[] {
  const problems: Problem[] = [];
  if (session !== 'AM' && session !== 'PM') problems.push({ field: 'session', message: `The session "${session}" is not AM or PM.` });
  if (!isIsoDate(date)) {
    problems.push({ field: 'date', message: `The date "${date}" is not a date (YYYY-MM-DD).` });
    return problems;
  }
  if (date > today) problems.push({ field: 'date', message: `${date} is in the future: attendance is recorded on the day or after it.` });
  else if (!calendar.isSchoolDay(date)) {
    const name = WEEKDAY_NAMES[weekday(date)];
    problems.push({ field: 'date', message: name ? `${date} is ${name}, not a school day.` : `${date} is not a school day on the LA calendar (a holiday or closure).` });
  }
  return problems;
}

/** What is wrong with a mark for this placement on this date and session: its status, its dates, its timetable. */
export function checkPlacementSession(p: PlacementForMarks, date: IsoDate, session: Session, sessionsOf: (p: PlacementForMarks, date: IsoDate) => Session[] = timetabledSessions): Problem[] {
  if (p.status === 'CANCELLED') return [{ field: 'date', message: 'The placement was cancelled: it takes no attendance.' }];
  const { from, to } = markWindow(p);
  if (!from) return [{ field: 'date', message: 'The placement has no start date yet: record attendance once it has started.' }];
  if (date < from || (to !== null && date > to)) {
    return [{ field: 'date', message: `${date} is outside the placement (${from} to ${to ?? 'now'}).` }];
  }
  if (!sessionsOf(p, date).includes(session)) {
    return [
      {
        field: 'session',
        message: `The ${session} session of ${weekday(date)} is not on the placement's timetable${p.fullTime ? '' : `: it is ${PART_TIME_CODE} (part-time timetable), derived, not recorded`}.`,
      },
    ];
  }
  return [];
}

export interface MarkToCheck {
  date: string;
  session: string;
  code: string;
}

export type CheckedMark = { ok: true; code: string; session: Session } | { ok: false; problems: Problem[] };

/** Every problem of one mark for one placement (the provider's entry). */
export function checkMark(p: PlacementForMarks, mark: MarkToCheck, calendar: SchoolCalendar, today: IsoDate): CheckedMark {
  const code = checkCode(mark.code);
  const problems = [...('problem' in code ? [code.problem] : []), ...checkDateAndSession(mark.date, mark.session, calendar, today)];
  if (problems.length) return { ok: false, problems };
  const placementProblems = checkPlacementSession(p, mark.date, mark.session as Session);
  if (placementProblems.length) return { ok: false, problems: placementProblems };
  return { ok: true, code: (code as { code: string }).code, session: mark.session as Session };
}

/**
 * A MIS mark names a pupil by UPN: it belongs to the one placement of that pupil commissioned by
 * the school that takes the session on that date. `candidates` are the school's placements of the
 * pupil (none: the UPN is not one of its pupils in AP). Two placements taking the same session
 * (two part-time placements on one morning) cannot be told apart: refused, naming both.
 */
/**
 * The checks of one push that depend only on the code, on the date and session, or on the placement
 * and the weekday, each worked out once: a push of 10,000 marks has a handful of codes, a few
 * hundred dates at most, and five weekdays per placement. The answers are placeMisMark's own.
 */
export class MarkChecks {
  private readonly codes = new Map<string, ReturnType<typeof checkCode>>();
  // By session, then date: no key string built per mark.
  private readonly dates = new Map<string, Map<string, Problem[]>>();
  private readonly weekdays = new Map<string, string>();
  private readonly sessions = new Map<PlacementForMarks, Map<string, Session[]>>();
  private readonly upns = new Map<string, UpnValidation>();

  constructor(
    readonly calendar: SchoolCalendar,
    readonly today: IsoDate,
  ) {}

  upn(upn: string): UpnValidation {
    let checked = this.upns.get(upn);
    if (!checked) this.upns.set(upn, (checked = validateUpn(upn)));
    return checked;
  }

  code(code: string): ReturnType<typeof checkCode> {
    let checked = this.codes.get(code);
    if (!checked) this.codes.set(code, (checked = checkCode(code)));
    return checked;
  }

  dateAndSession(date: string, session: string): readonly Problem[] {
    let bySession = this.dates.get(session);
    if (!bySession) this.dates.set(session, (bySession = new Map()));
    let problems = bySession.get(date);
    if (!problems) bySession.set(date, (problems = checkDateAndSession(date, session, this.calendar, this.today)));
    return problems;
  }

  /** timetabledSessions, by placement and weekday (the date is a valid one by now). */
  readonly sessionsOf = (p: PlacementForMarks, date: IsoDate): Session[] => {
    if (p.timetable === null) return timetabledSessions(p, date);
    let day = this.weekdays.get(date);
    if (!day) this.weekdays.set(date, (day = weekday(date)));
    let byDay = this.sessions.get(p);
    if (!byDay) this.sessions.set(p, (byDay = new Map()));
    let sessions = byDay.get(day);
    if (!sessions) byDay.set(day, (sessions = timetabledSessions(p, date)));
    return sessions;
  };

  /** checkPlacementSession(p, date, session, this.sessionsOf) finds nothing wrong; without building its problems. */
  fits(p: PlacementForMarks, date: IsoDate, session: Session): boolean {
    if (p.status === 'CANCELLED') return false;
    const from = p.startDate ?? p.plannedStartDate;
    if (!from || date < from || (p.endDate !== null && date > p.endDate)) return false;
    return this.sessionsOf(p, date).includes(session);
  }
}

export function placeMisMark(
  candidates: readonly PlacementForMarks[],
  mark: MarkToCheck,
  calendar: SchoolCalendar,
  today: IsoDate,
  checks: MarkChecks = new MarkChecks(calendar, today),
): { ok: true; placementId: string; code: string; session: Session } | { ok: false; problems: Problem[] } {
  const code = checks.code(mark.code);
  const dateProblems = checks.dateAndSession(mark.date, mark.session);
  if (candidates.length === 0 || 'problem' in code || dateProblems.length) {
    const problems = [...('problem' in code ? [code.problem] : []), ...dateProblems];
    if (candidates.length === 0) problems.unshift({ field: 'upn', message: 'No placement commissioned by your school has a pupil with this UPN.' });
    return { ok: false, problems };
  }
  const session = mark.session as Session;
  // One candidate is the usual case: no array built for it.
  if (candidates.length === 1 && checks.fits(candidates[0], mark.date, session)) return { ok: true, placementId: candidates[0].id, code: (code as { code: string }).code, session };
  const fitting = candidates.filter((p) => checks.fits(p, mark.date, session));
  if (fitting.length === 1) return { ok: true, placementId: fitting[0].id, code: (code as { code: string }).code, session };
  if (fitting.length > 1) {
    return { ok: false, problems: [{ field: 'session', message: `The pupil has ${fitting.length} placements taking this session (${fitting.map((p) => p.id).join(', ')}); record it at the provider instead.` }] };
  }
  // Nothing fits: say why for the placement nearest the date (the latest starting on or before it, else the first).
  const byStart = [...candidates].sort((a, b) => (markWindow(b).from ?? '').localeCompare(markWindow(a).from ?? ''));
  const nearest = byStart.find((p) => (markWindow(p).from ?? '9999') <= mark.date) ?? byStart[byStart.length - 1];
  return { ok: false, problems: checkPlacementSession(nearest, mark.date, session) };
}

export type AlertReason = 'CODE_N' | 'CODE_O' | 'NO_MARK';

/** N (no reason yet) and O (other or unknown circumstances) are unexplained absence: a same-day safeguarding signal. */
export function unexplainedAbsence(code: string): AlertReason | null {
  if (code === 'N') return 'CODE_N';
  if (code === 'O') return 'CODE_O';
  return null;
}

/** The time the AM register of an AP placement must be marked by, in England's local time. */
export const AM_MARK_DEADLINE = '10:30';

/** England's date and time (Europe/London: GMT or BST) of an instant, for the 10:30 check. */
export function londonDateTime(at: Date): { date: IsoDate; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The school day whose missing AM marks are due now (after 10:30 in England on a school day), or null. */
export function noMarkCheckDate(at: Date, calendar: SchoolCalendar): IsoDate | null {
  const { date, time } = londonDateTime(at);
  return time >= AM_MARK_DEADLINE && calendar.isSchoolDay(date) ? date : null;
}

/** An active placement whose timetable takes the AM session of `date` expects an AM mark that day. */
export function expectsAmMark(p: PlacementForMarks, date: IsoDate): boolean {
  return p.status === 'ACTIVE' && checkPlacementSession(p, date, 'AM').length === 0;
}

/** The codes of one day: recorded marks, and C2 for a part-time placement's sessions off the timetable. */
export interface DayCodes {
  date: IsoDate;
  AM: string | null;
  PM: string | null;
  /** The sessions whose code is derived (C2), not recorded. */
  derived: Session[];
}

/**
 * A day's codes for a placement: the recorded mark of each session, or C2 for a session a
 * part-time timetable does not take (derived; never stored). A session the timetable takes
 * without a mark yet has none; a full-time placement's untimetabled session counts for nothing.
 */
export function dayCodes<P extends Pick<PlacementForMarks, 'timetable' | 'fullTime'>>(
  p: P,
  date: IsoDate,
  recorded: Partial<Record<Session, string>>,
  sessionsOf: (p: P, date: IsoDate) => Session[] = timetabledSessions,
): DayCodes {
  const taken = sessionsOf(p, date);
  const day: DayCodes = { date, AM: null, PM: null, derived: [] };
  for (const s of SESSIONS) {
    if (recorded[s] !== undefined) day[s] = recorded[s] as string;
    else if (!taken.includes(s) && !p.fullTime) {
      day[s] = PART_TIME_CODE;
      day.derived.push(s);
    }
  }
  return day;
}

/** A day's totals as attendance.day_summarised carries them (libs/domain's counting). */
export function summariseDay(day: DayCodes): AttendanceSummary {
  return summariseAttendance(SESSIONS.map((s) => day[s]).filter((c): c is string => c !== null));
}

/** The longest period one attendance read covers (a school year and a bit). */
export const MAX_PERIOD_DAYS = 400;

export interface PeriodAttendance {
  from: IsoDate;
  to: IsoDate;
  days: DayCodes[];
  summary: AttendanceSummary;
  /** Sessions the timetable takes on school days so far without a mark. */
  unmarked: { date: IsoDate; session: Session }[];
}

/**
 * The placement's attendance over a period: every school day of it within the placement (and
 * not after today), with recorded and derived codes, the sessions still unmarked, and the
 * DfE summary of all the codes. `marks` are the recorded ones, keyed `date|session`.
 */
export function periodAttendance(
  p: PlacementForMarks,
  from: IsoDate,
  to: IsoDate,
  marks: ReadonlyMap<string, string>,
  calendar: SchoolCalendar,
  today: IsoDate,
): PeriodAttendance {
  const window = markWindow(p);
  const days: DayCodes[] = [];
  const unmarked: { date: IsoDate; session: Session }[] = [];
  const codes: string[] = [];
  if (p.status !== 'CANCELLED' && window.from) {
    const first = from > window.from ? from : window.from;
    let last = to < today ? to : today;
    if (window.to && window.to < last) last = window.to;
    for (let d = first; d <= last; d = addDays(d, 1)) {
      if (!calendar.isSchoolDay(d)) continue;
      const recorded: Partial<Record<Session, string>> = {};
      for (const s of SESSIONS) {
        const code = marks.get(`${d}|${s}`);
        if (code !== undefined) recorded[s] = code;
      }
      const day = dayCodes(p, d, recorded);
      for (const s of timetabledSessions(p, d)) if (recorded[s] === undefined) unmarked.push({ date: d, session: s });
      for (const s of SESSIONS) if (day[s] !== null) codes.push(day[s] as string);
      if (day.AM !== null || day.PM !== null) days.push(day);
    }
  }
  return { from, to, days, summary: summariseAttendance(codes), unmarked };
}

/** Checks a period asked for: two dates, in order, at most MAX_PERIOD_DAYS apart. */
export function checkPeriod(from: string, to: string): Problem[] {
  const problems: Problem[] = [];
  if (!isIsoDate(from)) problems.push({ field: 'from', message: `The date "${from}" is not a date (YYYY-MM-DD).` });
  if (!isIsoDate(to)) problems.push({ field: 'to', message: `The date "${to}" is not a date (YYYY-MM-DD).` });
  if (problems.length) return problems;
  if (to < from) return [{ field: 'to', message: `${to} is before ${from}.` }];
  if (addDays(from, MAX_PERIOD_DAYS) < to) return [{ field: 'to', message: `A period covers at most ${MAX_PERIOD_DAYS} days; ask for a shorter one.` }];
  return [];
}
