import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Logger } from '@ap/logger';
import { isIsoDate, now, today, type AttendanceSummary, type IsoDate } from '@ap/domain';
import { inTransaction, isUuid } from '@ap/db';
import { assertRoleAllowed, mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { badUserInput, conflict, invalidInput, notFound } from '@ap/errors';
import { EventEnvelope, recordEvents } from '@ap/events';
import { placementAccess } from './access';
import { PlacementContext } from './context';
import {
  AlertReason,
  checkMark,
  checkPeriod,
  dayCodes,
  DayCodes,
  expectsAmMark,
  MAX_MARKS_PER_CALL,
  noMarkCheckDate,
  periodAttendance,
  MarkChecks,
  placeMisMark,
  PlacementForMarks,
  Session,
  summariseDay,
  timetabledSessions,
  unexplainedAbsence,
} from './domain/attendance';
import { mayManagePlacement } from './domain/placement';
import type { Problem } from './domain/rules';
import { AbsenceAlert, AttendanceMark, BehaviourIncident, Placement, ProgressNote } from './entities';
import type { MarkSource } from './entities/attendance';
import { absenceUnexplained, daysSummarised } from './events/published';
import { calendarOf } from './placements';
import type {
  PushAttendanceInput,
  RecordAttendanceInput,
  RecordAttendanceRegisterInput,
  RecordBehaviourIncidentInput,
  RecordProgressNoteInput,
} from './__generated__/resolvers-types';

// Attendance, progress and behaviour (issue 11). Marks are written set-based by writeMarks, in one
// transaction with their history, the alerts they raise and the day summaries they change.

const recorder = (p: Principal) => `${p.role} ${p.org.type}:${p.org.id} (${p.userId})`;

export interface MarkToWrite {
  placementId: string;
  date: IsoDate;
  session: Session;
  code: string;
}

export interface WrittenMarks {
  /** Written for the first time. */
  accepted: number;
  /** Replaced a different code. */
  updated: number;
  /** Already there with the same code. */
  unchanged: number;
}

/** A push reads the existing marks of its placements over its date range at once when that range holds at most this many sessions a mark (else one look-up a mark). */
const DENSE_RANGE_FACTOR = 4;

const DAY_MS = 86_400_000;

/**
 * PostgreSQL array literals built with one join, not by pg's escaping of each of 10,000 elements:
 * ids, dates and sessions are checked values that need no quotes (UUIDs, YYYY-MM-DD, AM/PM); a
 * code is quoted (the present-PM code is a backslash), once per distinct code.
 */
const plainArray = (values: readonly string[]) => `{${values.join(',')}}`;
function quotedArray(values: readonly string[]): string {
  const quoted = new Map<string, string>();
  const out = new Array<string>(values.length);
  for (let k = 0; k < values.length; k++) {
    let q = quoted.get(values[k]);
    if (q === undefined) quoted.set(values[k], (q = `"${values[k].replace(/["\\]/g, '\\$&')}"`));
    out[k] = q;
  }
  return `{${out.join(',')}}`;
}

/**
 * Writes marks in one set-based statement from unnest(): new marks inserted, and a row changed only
 * when its code differs (those with the same code are filtered out first, so a repeated push locks
 * nothing), keeping the code it replaced in attendance_mark_history (the row's previous_* columns,
 * set from the locked row, carry it to the CTE). Then, for the marks that changed: the same-day
 * alerts of N and O (one per session), and one attendance.days_summarised per placement with the days changed.
 * Marks must be checked already and distinct by placement, date and session.
 */
export async function writeMarks(
  tx: EntityManager,
  marks: readonly MarkToWrite[],
  placements: ReadonlyMap<string, Placement>,
  source: MarkSource,
  recordedBy: string,
  checks?: MarkChecks,
): Promise<WrittenMarks> {
  if (marks.length === 0) return { accepted: 0, updated: 0, unchanged: 0 };
  const at = now();
  const ids = new Array<string>(marks.length);
  const dates = new Array<string>(marks.length);
  const sessions = new Array<string>(marks.length);
  const codes = new Array<string>(marks.length);
  const distinct = new Set<string>();
  let first = marks[0].date;
  let last = first;
  for (let k = 0; k < marks.length; k++) {
    const m = marks[k];
    ids[k] = m.placementId;
    dates[k] = m.date;
    sessions[k] = m.session;
    codes[k] = m.code;
    distinct.add(m.placementId);
    if (m.date < first) first = m.date;
    else if (m.date > last) last = m.date;
  }
  // Which marks are already there with the same code. Dense (a term for a few pupils, a day for
  // many): one index range scan a placement over the push's dates, hashed (a repeated 10,000-mark push
  // 10-20 ms of PostgreSQL CPU, a new one ~40 ms less than look-ups). Sparse (a few marks scattered over the year): a
  // primary-key look-up a mark, so that the rows read never outgrow the push. Never an anti join over
  // the whole table (that sorted all of attendance_mark on every push).
  const rangeSessions = distinct.size * 2 * ((Date.parse(last) - Date.parse(first)) / DAY_MS + 1);
  const dense = rangeSessions <= DENSE_RANGE_FACTOR * marks.length;
  const old = dense
    ? `LEFT JOIN (SELECT o.placement_id, o.date, o.session, o.code FROM attendance_mark o
                    WHERE o.placement_id = ANY($8::uuid[]) AND o.date BETWEEN $9::date AND $10::date) o
          ON o.placement_id = i.placement_id AND o.date = i.date AND o.session = i.session`
    : ''; // sparse: the scalar subquery below
  const oldCode = dense ? 'o.code' : `(SELECT o.code FROM attendance_mark o WHERE o.placement_id = i.placement_id AND o.date = i.date AND o.session = i.session)`;
  // The answer: what the statement expected to do, one character a mark in input order ('0'
  // unchanged, '1' new, '2' replaced; not 10,000 rows to send, parse and match again), and what it
  // did (counts of the rows written and replaced). New marks go in by a plain INSERT and replaced
  // ones by an UPDATE, not by INSERT … ON CONFLICT: its speculative insertion cost ~20 ms more of
  // PostgreSQL's CPU per 10,000 new marks. A concurrent write of the same marks that committed
  // after the look-up either makes the INSERT fail on the primary key or the counts differ; either
  // way the statement is undone to its savepoint and run again, and sees that write.
  const statement = `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[]) WITH ORDINALITY AS i(placement_id, date, session, code, n)
     ), compared AS MATERIALIZED (
       SELECT i.*, ${oldCode} AS old FROM input i ${old}
     ), inserted AS (
       INSERT INTO attendance_mark (placement_id, date, session, code, source, recorded_by, recorded_at)
       SELECT placement_id, date, session, code, $5, $6, $7 FROM compared WHERE old IS NULL
       RETURNING 1
     ), replaced AS (
       UPDATE attendance_mark AS m
          SET code = c.code, source = $5, recorded_by = $6, recorded_at = $7,
              previous_code = m.code, previous_source = m.source, previous_recorded_by = m.recorded_by, previous_recorded_at = m.recorded_at
         FROM compared c
        WHERE c.old IS NOT NULL AND c.old IS DISTINCT FROM c.code
          AND m.placement_id = c.placement_id AND m.date = c.date AND m.session = c.session
          AND m.code IS DISTINCT FROM c.code
       RETURNING m.placement_id, m.date, m.session, m.recorded_at, m.previous_code, m.previous_source, m.previous_recorded_by, m.previous_recorded_at
     ), history AS (
       INSERT INTO attendance_mark_history (placement_id, date, session, code, source, recorded_by, recorded_at, replaced_at)
       SELECT placement_id, date, session, previous_code, previous_source, previous_recorded_by, previous_recorded_at, recorded_at
         FROM replaced
     )
     SELECT (SELECT string_agg(CASE WHEN old IS NULL THEN '1' WHEN old = code THEN '0' ELSE '2' END, '' ORDER BY n) FROM compared) AS expected,
            ((SELECT count(*) FROM inserted) + (SELECT count(*) FROM replaced))::int AS written,
            (SELECT count(*) FROM replaced)::int AS replaced`;
  const params = [plainArray(ids), plainArray(dates), plainArray(sessions), quotedArray(codes), source, recordedBy, at, ...(dense ? [[...distinct], first, last] : [])];
  await tx.query('SAVEPOINT write_marks');
  let status = '';
  for (let attempt = 1; ; attempt++) {
    let r: { expected: string; written: number; replaced: number } | undefined;
    try {
      [r] = await tx.query(statement, params);
    } catch (error) {
      // 23505: a concurrent write of one of these marks committed after the look-up.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
    let toWrite = 0;
    let toReplace = 0;
    if (r) {
      for (let k = 0; k < r.expected.length; k++) {
        const c = r.expected.charCodeAt(k);
        if (c !== 48) toWrite++; // not '0'
        if (c === 50) toReplace++; // '2'
      }
      if (r.written === toWrite && r.replaced === toReplace) {
        status = r.expected;
        break;
      }
    }
    if (attempt === 3) throw conflict('Other writes of the same marks kept changing them while this one was written: send it again.');
    await tx.query('ROLLBACK TO SAVEPOINT write_marks');
  }
  await tx.query('RELEASE SAVEPOINT write_marks');
  const written: MarkToWrite[] = [];
  let updated = 0;
  for (let k = 0; k < marks.length; k++) {
    const c = status.charCodeAt(k);
    if (c === 48) continue; // '0'
    if (c === 50) updated++; // '2'
    written.push(marks[k]);
  }
  const events: EventEnvelope[] = [];
  if (written.length) {
    events.push(...(await raiseCodeAlerts(tx, written, placements, at)));
    events.push(...(await summariseDays(tx, written, placements, at, checks)));
  }
  await recordEvents(tx, events);
  return { accepted: written.length - updated, updated, unchanged: marks.length - written.length };
}

interface AlertToRaise {
  placementId: string;
  date: IsoDate;
  session: Session;
  reason: AlertReason;
  code: string | null;
}

/** Inserts the alerts (one per placement, date and session, ever) and returns the events of those new. */
async function raiseAlerts(tx: EntityManager, alerts: readonly AlertToRaise[], placements: ReadonlyMap<string, Placement>, at: Date): Promise<EventEnvelope[]> {
  if (alerts.length === 0) return [];
  const raised: { id: string; placement_id: string; date: string; session: Session; reason: AlertReason; code: string | null; school_urn: string | null; la_code: string | null }[] = await tx.query(
    `INSERT INTO absence_alert (id, placement_id, date, session, reason, code, school_urn, la_code, raised_at)
     SELECT i.id, i.placement_id, i.date, i.session, i.reason, i.code, p.school_urn, COALESCE(p.commissioner_la_code, p.home_la_code), $7
       FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[], $5::text[], $6::text[]) AS i(id, placement_id, date, session, reason, code)
       JOIN placement p ON p.id = i.placement_id
     ON CONFLICT ON CONSTRAINT absence_alert_once DO NOTHING
     RETURNING id, placement_id, to_char(date, 'YYYY-MM-DD') AS date, session, reason, code, school_urn, la_code`,
    [alerts.map(() => randomUUID()), alerts.map((a) => a.placementId), alerts.map((a) => a.date), alerts.map((a) => a.session), alerts.map((a) => a.reason), alerts.map((a) => a.code), at],
  );
  return raised.map((a) => {
    const p = placements.get(a.placement_id) as Placement;
    return absenceUnexplained({ alertId: a.id, placementId: a.placement_id, pupilId: p.pupilId, providerId: p.providerId, schoolUrn: a.school_urn, laCode: a.la_code, date: a.date, session: a.session, reason: a.reason, code: a.code, raisedAt: at.toISOString() });
  });
}

function raiseCodeAlerts(tx: EntityManager, written: readonly MarkToWrite[], placements: ReadonlyMap<string, Placement>, at: Date) {
  const alerts: AlertToRaise[] = [];
  for (const w of written) {
    const reason = unexplainedAbsence(w.code);
    if (reason) alerts.push({ placementId: w.placementId, date: w.date, session: w.session, reason, code: w.code });
  }
  return raiseAlerts(tx, alerts, placements, at);
}

/** One attendance.days_summarised per placement a write changed, with each changed day's totals from all that day's marks (never one per mark, nor per day). */
async function summariseDays(tx: EntityManager, written: readonly MarkToWrite[], placements: ReadonlyMap<string, Placement>, at: Date, checks?: MarkChecks): Promise<EventEnvelope[]> {
  // By placement, then date (in the order written; sorted below): no key string built per mark.
  const recorded = new Map<string, Map<string, Partial<Record<Session, string>>>>();
  for (const w of written) {
    let days = recorded.get(w.placementId);
    if (!days) recorded.set(w.placementId, (days = new Map()));
    const day = days.get(w.date);
    if (day) day[w.session] = w.code;
    else days.set(w.date, { [w.session]: w.code });
  }
  // A day whose two sessions were both just written is known; the others read the session left as it was.
  const partialIds: string[] = [];
  const partialDates: string[] = [];
  for (const [placementId, days] of recorded) {
    for (const [date, day] of days) {
      if (day.AM && day.PM) continue;
      partialIds.push(placementId);
      partialDates.push(date);
    }
  }
  if (partialIds.length) {
    const others: { placement_id: string; date: string; session: Session; code: string }[] = await tx.query(
      `SELECT m.placement_id, to_char(m.date, 'YYYY-MM-DD') AS date, m.session, m.code
         FROM attendance_mark m JOIN unnest($1::uuid[], $2::date[]) AS d(placement_id, date) USING (placement_id, date)`,
      [partialIds, partialDates],
    );
    for (const m of others) {
      const day = recorded.get(m.placement_id)?.get(m.date) as Partial<Record<Session, string>>;
      day[m.session] ??= m.code;
    }
  }
  const asOf = at.toISOString();
  const sessionsOf = checks?.sessionsOf ?? timetabledSessions;
  return [...recorded.keys()].sort().map((placementId) => {
    const p = placements.get(placementId) as Placement;
    const days = recorded.get(placementId) as Map<string, Partial<Record<Session, string>>>;
    return daysSummarised({
      placementId,
      pupilId: p.pupilId,
      providerId: p.providerId,
      schoolUrn: p.schoolUrn,
      laCode: p.commissionerLaCode ?? p.homeLaCode,
      days: [...days.keys()].sort().map((date) => {
        const day = dayCodes(p, date, days.get(date) as Partial<Record<Session, string>>, sessionsOf);
        const s = summariseDay(day);
        return {
          date,
          possibleSessions: s.possibleSessions,
          attendedSessions: s.attendedSessions,
          authorisedAbsenceSessions: s.authorisedAbsenceSessions,
          unauthorisedAbsenceSessions: s.unauthorisedAbsenceSessions,
          codes: { AM: day.AM, PM: day.PM },
        };
      }),
      asOf,
    });
  });
}

const forMarks = (p: Placement): PlacementForMarks => p;

const markRows = (tx: EntityManager | DataSource, keys: readonly MarkToWrite[]) =>
  keys.length === 0
    ? Promise.resolve([] as AttendanceMark[])
    : tx
        .getRepository(AttendanceMark)
        .createQueryBuilder('m')
        .where(`(m.placement_id, m.date, m.session) IN (SELECT * FROM unnest(:ids::uuid[], :dates::date[], :sessions::text[]))`, {
          ids: keys.map((k) => k.placementId),
          dates: keys.map((k) => k.date),
          sessions: keys.map((k) => k.session),
        })
        .orderBy('m.date')
        .addOrderBy('m.session')
        .getMany();

/** The provider records one session's mark for one of its placements. */
export async function recordAttendance(ctx: PlacementContext, input: RecordAttendanceInput): Promise<AttendanceMark> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = isUuid(input.placementId) ? await tx.getRepository(Placement).findOneBy({ id: input.placementId }) : null;
    if (!placement || !mayManagePlacement('Mutation.recordAttendance', principal, placement)) throw notFound('Placement', input.placementId);
    const checked = checkMark(forMarks(placement), input, calendarOf(placement.homeLaCode), today());
    if (!checked.ok) throw invalidInput(checked.problems);
    const mark = { placementId: placement.id, date: input.date, session: checked.session, code: checked.code };
    await writeMarks(tx, [mark], new Map([[placement.id, placement]]), 'PROVIDER', recorder(principal));
    return (await markRows(tx, [mark]))[0];
  });
}

/** The provider's register for one session: every mark is checked first, then all are written, or none (BAD_USER_INPUT naming each). */
export async function recordAttendanceRegister(ctx: PlacementContext, input: RecordAttendanceRegisterInput): Promise<AttendanceMark[]> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(input.providerId) || !mayAccess(placementAccess, 'Mutation.recordAttendanceRegister', principal, { providerIds: [input.providerId] })) {
    throw notFound('Provider', input.providerId);
  }
  if (input.marks.length > MAX_MARKS_PER_CALL) throw badUserInput(`A register holds at most ${MAX_MARKS_PER_CALL} marks.`, 'marks');
  return inTransaction(ctx.db, async (tx) => {
    const ids = [...new Set(input.marks.map((m) => m.placementId).filter(isUuid))];
    const placements = new Map((ids.length ? await tx.getRepository(Placement).findBy({ id: In(ids) }) : []).map((p) => [p.id, p]));
    const problems: Problem[] = [];
    const marks: MarkToWrite[] = [];
    const seen = new Set<string>();
    input.marks.forEach((m, i) => {
      const p = placements.get(m.placementId);
      if (!p || p.providerId !== input.providerId) {
        problems.push({ field: `marks[${i}].placementId`, message: `${m.placementId} is not a placement at this provider.` });
        return;
      }
      if (seen.has(p.id)) {
        problems.push({ field: `marks[${i}].placementId`, message: `The register has two marks for placement ${p.id}.` });
        return;
      }
      seen.add(p.id);
      const checked = checkMark(forMarks(p), { date: input.date, session: input.session, code: m.code }, calendarOf(p.homeLaCode), today());
      if (!checked.ok) problems.push(...checked.problems.map((x) => ({ field: x.field === 'code' ? `marks[${i}].code` : x.field, message: x.message })));
      else marks.push({ placementId: p.id, date: input.date, session: checked.session, code: checked.code });
    });
    if (problems.length) throw invalidInput(dedupe(problems));
    await writeMarks(tx, marks, placements, 'PROVIDER', recorder(principal));
    return markRows(tx, marks);
  });
}

const dedupe = (problems: Problem[]) => [...new Map(problems.map((p) => [`${p.field}|${p.message}`, p])).values()];

export interface PushResult {
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: { index: number; upn: string | null; problems: Problem[] }[];
}

/**
 * A school's MIS writes its pupils' marks back (Wonde's shape: UPN, date, session, code). Each mark
 * is checked in memory (pure functions); the good ones are written by writeMarks' one statement,
 * in one transaction; the bad ones come back with their index and problems. A UPN the school has
 * no placement for is "unknown", whether or not another school has one: a MIS sees only its own.
 */
export async function pushAttendance(ctx: PlacementContext, input: PushAttendanceInput): Promise<PushResult> {
  const principal = requirePrincipal(ctx);
  assertRoleAllowed(placementAccess, 'Mutation.pushAttendance', principal);
  if (principal.org.type !== 'school') throw badUserInput('A MIS client pushes attendance for its school: its token must name one (school:<URN>).', 'input');
  const marks = input.marks;
  if (marks.length > MAX_MARKS_PER_CALL) throw badUserInput(`A push holds at most ${MAX_MARKS_PER_CALL} marks; this one has ${marks.length}. Split it.`, 'input.marks');
  const calendar = calendarOf(null);
  const checks = new MarkChecks(calendar, today());
  // Each distinct UPN checked once (a push names a few pupils many times).
  const known = new Set<string>();
  for (const m of marks) {
    const upn = checks.upn(m.upn);
    if (upn.ok) known.add(upn.upn);
  }
  return inTransaction(ctx.db, async (tx) => {
    const found = known.size ? await tx.getRepository(Placement).find({ where: { schoolUrn: principal.org.id, upn: In([...known]) } }) : [];
    const byUpn = new Map<string, Placement[]>();
    for (const p of found) byUpn.set(p.upn as string, [...(byUpn.get(p.upn as string) ?? []), p]);
    const placements = new Map(found.map((p) => [p.id, p]));
    const rejected: PushResult['rejected'] = [];
    const good: MarkToWrite[] = [];
    // The index of the first mark for each placement, session and date (no key string built per mark).
    const firstAt = new Map<string, { AM: Map<string, number>; PM: Map<string, number> }>();
    for (let index = 0; index < marks.length; index++) {
      const m = marks[index];
      const upn = checks.upn(m.upn);
      if (!upn.ok) {
        rejected.push({ index, upn: m.upn, problems: [{ field: 'upn', message: upn.reason }] });
        continue;
      }
      const placed = placeMisMark(byUpn.get(upn.upn) ?? [], m, calendar, checks.today, checks);
      if (!placed.ok) {
        rejected.push({ index, upn: upn.upn, problems: placed.problems });
        continue;
      }
      let seen = firstAt.get(placed.placementId);
      if (!seen) firstAt.set(placed.placementId, (seen = { AM: new Map(), PM: new Map() }));
      const earlier = seen[placed.session].get(m.date);
      if (earlier !== undefined) {
        rejected.push({ index, upn: upn.upn, problems: [{ field: 'session', message: `Mark ${earlier} of this push is for the same pupil, date and session.` }] });
        continue;
      }
      seen[placed.session].set(m.date, index);
      good.push({ placementId: placed.placementId, date: m.date, session: placed.session, code: placed.code });
    }
    const written = await writeMarks(tx, good, placements, 'MIS', recorder(principal), checks);
    return { accepted: written.accepted, updated: written.updated, unchanged: written.unchanged, rejected };
  });
}

/** A placement's attendance over a period, for those who may see it (Placement.attendance's row). */
export interface PlacementAttendanceView {
  from: IsoDate;
  to: IsoDate;
  summary: AttendanceSummary;
  days: DayCodes[];
  unmarked: { date: IsoDate; session: Session }[];
  marks: AttendanceMark[];
}

function assertMayRead(principal: Principal, operation: string, placement: Placement): void {
  // The placement was visible to get here; the row narrows who reads the pupil's records (not QA officers).
  assertRoleAllowed(placementAccess, operation, principal);
  if (!mayManagePlacement(operation, principal, placement)) throw notFound('Placement', placement.id);
}

export async function attendanceOf(ctx: PlacementContext, placement: Placement, from: string, to: string): Promise<PlacementAttendanceView> {
  const principal = requirePrincipal(ctx);
  assertMayRead(principal, 'Placement.attendance', placement);
  const problems = checkPeriod(from, to);
  if (problems.length) throw invalidInput(problems);
  const [marks] = await Promise.all([
    ctx.db
      .getRepository(AttendanceMark)
      .createQueryBuilder('m')
      .where('m.placement_id = :id AND m.date BETWEEN :from AND :to', { id: placement.id, from, to })
      .orderBy('m.date')
      .addOrderBy('m.session')
      .getMany(),
    ctx.pupilReads.record(placement.pupilId, 'attendance'),
  ]);
  const byKey = new Map(marks.map((m) => [`${m.date}|${m.session}`, m.code]));
  const period = periodAttendance(forMarks(placement), from, to, byKey, calendarOf(placement.homeLaCode), today());
  return { ...period, marks };
}

export async function progressNotesOf(ctx: PlacementContext, placement: Placement): Promise<ProgressNote[]> {
  assertMayRead(requirePrincipal(ctx), 'Placement.progressNotes', placement);
  const [notes] = await Promise.all([
    ctx.db.getRepository(ProgressNote).find({ where: { placementId: placement.id }, order: { date: 'DESC', recordedAt: 'DESC' } }),
    ctx.pupilReads.record(placement.pupilId, 'progressNotes'),
  ]);
  return notes;
}

export async function behaviourIncidentsOf(ctx: PlacementContext, placement: Placement): Promise<BehaviourIncident[]> {
  assertMayRead(requirePrincipal(ctx), 'Placement.behaviourIncidents', placement);
  const [incidents] = await Promise.all([
    ctx.db.getRepository(BehaviourIncident).find({ where: { placementId: placement.id }, order: { occurredAt: 'DESC' } }),
    ctx.pupilReads.record(placement.pupilId, 'behaviourIncidents'),
  ]);
  return incidents;
}

const MAX_TEXT = 8_000;

function textProblem(field: string, value: string, max = MAX_TEXT): Problem[] {
  if (value.trim() === '') return [{ field, message: `The ${field} is empty.` }];
  if (value.length > max) return [{ field, message: `The ${field} has ${value.length} characters; at most ${max}.` }];
  return [];
}

async function providersPlacement(tx: EntityManager, principal: Principal, operation: string, placementId: string): Promise<Placement> {
  const placement = isUuid(placementId) ? await tx.getRepository(Placement).findOneBy({ id: placementId }) : null;
  if (!placement || !mayManagePlacement(operation, principal, placement)) throw notFound('Placement', placementId);
  return placement;
}

export async function recordProgressNote(ctx: PlacementContext, input: RecordProgressNoteInput): Promise<ProgressNote> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await providersPlacement(tx, principal, 'Mutation.recordProgressNote', input.placementId);
    const problems = textProblem('summary', input.summary);
    if (!isIsoDate(input.date)) problems.push({ field: 'date', message: `The date "${input.date}" is not a date (YYYY-MM-DD).` });
    else if (input.date > today()) problems.push({ field: 'date', message: `${input.date} is in the future.` });
    if (problems.length) throw invalidInput(problems);
    const note = Object.assign(new ProgressNote(), { id: randomUUID(), placementId: placement.id, date: input.date, area: input.area, summary: input.summary.trim(), recordedBy: recorder(principal), recordedAt: now() });
    await tx.getRepository(ProgressNote).insert(note);
    return note;
  });
}

export async function recordBehaviourIncident(ctx: PlacementContext, input: RecordBehaviourIncidentInput): Promise<BehaviourIncident> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await providersPlacement(tx, principal, 'Mutation.recordBehaviourIncident', input.placementId);
    const problems = [...textProblem('category', input.category, 200), ...textProblem('actionTaken', input.actionTaken)];
    const occurredAt = new Date(input.occurredAt);
    if (Number.isNaN(occurredAt.getTime())) problems.push({ field: 'occurredAt', message: `"${input.occurredAt}" is not a date and time.` });
    else if (occurredAt > now()) problems.push({ field: 'occurredAt', message: `${input.occurredAt} is in the future.` });
    if (problems.length) throw invalidInput(problems);
    const incident = Object.assign(new BehaviourIncident(), {
      id: randomUUID(),
      placementId: placement.id,
      occurredAt,
      severity: input.severity,
      category: input.category.trim(),
      actionTaken: input.actionTaken.trim(),
      recordedBy: recorder(principal),
      recordedAt: now(),
    });
    await tx.getRepository(BehaviourIncident).insert(incident);
    return incident;
  });
}

const alertFacts = (a: Pick<AbsenceAlert, 'schoolUrn' | 'laCode'>) => ({ schoolUrns: [a.schoolUrn], pupilLaCode: a.laCode });

/** A day's alerts for the commissioning school, or the LA of the pupils (by the placement's LA when raised). */
export async function absenceAlerts(ctx: PlacementContext, date: string, includeAcknowledged: boolean): Promise<AbsenceAlert[]> {
  const principal = requirePrincipal(ctx);
  assertRoleAllowed(placementAccess, 'Query.absenceAlerts', principal);
  if (!isIsoDate(date)) throw badUserInput(`The date "${date}" is not a date (YYYY-MM-DD).`, 'date');
  const scope = principal.org.type === 'school' ? { schoolUrn: principal.org.id } : principal.org.type === 'la' ? { laCode: principal.org.id } : null;
  if (!scope) return [];
  const alerts = await ctx.db.getRepository(AbsenceAlert).find({ where: { ...scope, date }, order: { raisedAt: 'ASC', id: 'ASC' } });
  const shown = alerts.filter((a) => (includeAcknowledged || a.acknowledgedAt === null) && mayAccess(placementAccess, 'Query.absenceAlerts', principal, alertFacts(a)));
  if (shown.length === 0) return shown;
  // An alert tells of a pupil's absence: each pupil shown is logged (one statement for the list).
  const pupils: { pupil_id: string }[] = await ctx.db.query(`SELECT DISTINCT pupil_id FROM placement WHERE id = ANY($1::uuid[])`, [[...new Set(shown.map((a) => a.placementId))]]);
  await Promise.all(pupils.map((p) => ctx.pupilReads.record(p.pupil_id, 'absenceAlerts')));
  return shown;
}

export async function acknowledgeAbsenceAlert(ctx: PlacementContext, id: string, note: string): Promise<AbsenceAlert> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const alert = isUuid(id) ? await tx.getRepository(AbsenceAlert).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!alert || !mayAccess(placementAccess, 'Mutation.acknowledgeAbsenceAlert', principal, alertFacts(alert))) throw notFound('Absence alert', id);
    const problems = textProblem('note', note, 2_000);
    if (problems.length) throw invalidInput(problems);
    if (alert.acknowledgedAt) throw conflict(`This alert was acknowledged at ${alert.acknowledgedAt.toISOString()} by ${alert.acknowledgedBy}.`);
    Object.assign(alert, { acknowledgedAt: now(), acknowledgedBy: recorder(principal), acknowledgementNote: note.trim() });
    await tx.getRepository(AbsenceAlert).save(alert);
    return alert;
  });
}

/**
 * The scheduled check (a `jobs` entry, every 5 minutes; safe to run twice or in two instances at
 * once: one alert per placement, date and session): after 10:30 in England on a school day, every
 * active placement whose timetable takes that morning and that has no AM mark raises NO_MARK.
 */
export async function raiseMissingMarkAlerts(dataSource: DataSource, logger?: Logger, at: Date = now()): Promise<number> {
  const date = noMarkCheckDate(at, calendarOf(null));
  if (!date) return 0;
  return inTransaction(dataSource, async (tx) => {
    const candidates: Placement[] = await tx
      .getRepository(Placement)
      .createQueryBuilder('p')
      .where(`p.status = 'ACTIVE'`)
      .andWhere(`NOT EXISTS (SELECT 1 FROM attendance_mark m WHERE m.placement_id = p.id AND m.date = :date AND m.session = 'AM')`, { date })
      .andWhere(`NOT EXISTS (SELECT 1 FROM absence_alert a WHERE a.placement_id = p.id AND a.date = :date AND a.session = 'AM')`, { date })
      .getMany();
    const due = candidates.filter((p) => expectsAmMark(forMarks(p), date));
    const events = await raiseAlerts(tx, due.map((p) => ({ placementId: p.id, date, session: 'AM' as const, reason: 'NO_MARK' as const, code: null })), new Map(due.map((p) => [p.id, p])), at);
    await recordEvents(tx, events);
    if (events.length) logger?.info({ date, alerts: events.length }, 'absence alerts raised for AM sessions without a mark by 10:30');
    return events.length;
  });
}

/** The placement of a mark or an alert (AttendanceMark.placement, AbsenceAlert.placement): the caller reached it through the placement's own check. */
export const placementOfMark = (ctx: PlacementContext, placementId: string) => ctx.db.getRepository(Placement).findOneByOrFail({ id: placementId });
