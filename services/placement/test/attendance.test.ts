import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { sampleLaCalendar, today, upnCheckLetter } from '@ap/domain';
import { issueInternalToken } from '@ap/auth';
import { errorCodes, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { placementService } from '../src/server';

/**
 * The attendance write path on the real PostgreSQL: history kept by the upsert's own statement,
 * two identical pushes at once (each mark written once, one day summary each), the register all
 * or nothing. (The whole story through the gateway is gateway/test/e2e/attendance.test.ts.)
 */

jest.setTimeout(60_000);

const calendar = sampleLaCalendar();
const DAY = calendar.addSchoolDays(today(), -1);
const PUSH = `mutation($input: PushAttendanceInput!) { pushAttendance(input: $input) { accepted updated unchanged rejected { index problems { field } } } }`;
const REGISTER = `mutation($input: RecordAttendanceRegisterInput!) { recordAttendanceRegister(input: $input) { code } }`;
const mis = principal('MIS_CLIENT', 'school:100001');

let serial = 500;
const upn = () => {
  const rest = `8651234${String(26)}${String(serial++).padStart(3, '0')}`;
  return upnCheckLetter(rest) + rest;
};

describe('attendance writes', () => {
  let service: RunningService;
  const call = async (who: Principal, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('placement', who) });
  const db = () => service.dataSource;
  /** Active full-time placements of school 100001 at one provider, started 10 school days ago. */
  const placements = async (n: number, providerId = randomUUID()) => {
    const upns = Array.from({ length: n }, upn);
    const rows: { id: string; upn: string }[] = await db().query(
      `INSERT INTO placement (id, pupil_id, provider_id, school_urn, home_la_code, status, start_date, full_time, upn)
       SELECT gen_random_uuid(), gen_random_uuid(), $1, '100001', '865', 'ACTIVE', $2, true, u FROM unnest($3::text[]) AS u RETURNING id, upn`,
      [providerId, calendar.addSchoolDays(DAY, -10), upns],
    );
    return { providerId, rows };
  };
  /** The day summaries published for these placements (days_summarised events, a day each entry), and how many events carried them. */
  const published = async (ids: string[]) => {
    const [r] = await db().query(
      `SELECT count(*)::int AS events, coalesce(sum(jsonb_array_length(envelope->'payload'->'days')), 0)::int AS days
         FROM outbox WHERE type = 'attendance.days_summarised' AND envelope->'payload'->>'placementId' = ANY($1::text[])`,
      [ids],
    );
    return r as { events: number; days: number };
  };
  const summaries = async (ids: string[]) => (await published(ids)).days;

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(placementService, { waitForConsumer: false });
  });
  afterAll(() => service?.stop());

  it('keeps the replaced mark in history, written by the same statement, and never one for an unchanged mark', async () => {
    const { rows } = await placements(1);
    const mark = (code: string) => ({ upn: rows[0].upn, date: DAY, session: 'AM', code });
    for (const code of ['N', 'N', 'I', 'I', '/']) expect((await call(mis, PUSH, { input: { marks: [mark(code)] } })).errors).toBeUndefined();
    const history = await db().query(`SELECT code, source FROM attendance_mark_history WHERE placement_id = $1 ORDER BY id`, [rows[0].id]);
    expect(history).toEqual([
      { code: 'N', source: 'MIS' },
      { code: 'I', source: 'MIS' },
    ]);
    expect(await db().query(`SELECT code FROM attendance_mark WHERE placement_id = $1`, [rows[0].id])).toEqual([{ code: '/' }]);
    // Three changes, three day summaries; the N raised its alert once. (The service's 10:30 check may
    // also raise NO_MARK for today's morning: the placement is active and today has no mark.)
    expect(await summaries([rows[0].id])).toBe(3);
    expect(await db().query(`SELECT reason FROM absence_alert WHERE placement_id = $1 AND date = $2`, [rows[0].id, DAY])).toEqual([{ reason: 'CODE_N' }]);
  });

  it('writes each mark once when the same push arrives twice at the same moment', async () => {
    const { rows } = await placements(50);
    const days = [DAY, calendar.addSchoolDays(DAY, -1), calendar.addSchoolDays(DAY, -2)];
    const marks = rows.flatMap((p) => days.flatMap((date) => ['AM', 'PM'].map((session) => ({ upn: p.upn, date, session, code: '/' }))));
    const [a, b] = await Promise.all([call(mis, PUSH, { input: { marks } }), call(mis, PUSH, { input: { marks } })]);
    expect(a.errors ?? b.errors).toBeUndefined();
    const both = [a.data.pushAttendance, b.data.pushAttendance];
    expect(both.reduce((n, r) => n + r.accepted, 0)).toBe(300);
    expect(both.reduce((n, r) => n + r.accepted + r.unchanged, 0)).toBe(600);
    expect(both.every((r) => r.updated === 0 && r.rejected.length === 0)).toBe(true);
    // One day summary per placement and day, one event per placement: the first push writes every row, the second waits on each and finds it written.
    expect(await published(rows.map((r) => r.id))).toEqual({ events: 50, days: 150 });
    expect(Number((await db().query(`SELECT count(*)::int AS n FROM attendance_mark_history WHERE placement_id = ANY($1::uuid[])`, [rows.map((r) => r.id)]))[0].n)).toBe(0);
  });

  it('writes both of two pushes of different codes for the same marks at the same moment: one inserts, the other replaces, history keeps the first', async () => {
    const { rows } = await placements(20);
    const days = [DAY, calendar.addSchoolDays(DAY, -1)];
    const marks = (code: string) => rows.flatMap((p) => days.flatMap((date) => ['AM', 'PM'].map((session) => ({ upn: p.upn, date, session, code }))));
    const [a, b] = await Promise.all([call(mis, PUSH, { input: { marks: marks('/') } }), call(mis, PUSH, { input: { marks: marks('L') } })]);
    expect(a.errors ?? b.errors).toBeUndefined();
    const both = [a.data.pushAttendance, b.data.pushAttendance].sort((x, y) => y.accepted - x.accepted);
    expect(both.map((r) => [r.accepted, r.updated, r.unchanged])).toEqual([
      [80, 0, 0],
      [0, 80, 0],
    ]);
    const ids = rows.map((r) => r.id);
    const [kept] = await db().query(`SELECT count(DISTINCT code)::int AS codes, count(*)::int AS n FROM attendance_mark WHERE placement_id = ANY($1::uuid[])`, [ids]);
    expect(kept).toEqual({ codes: 1, n: 80 });
    const [history] = await db().query(`SELECT count(DISTINCT code)::int AS codes, count(*)::int AS n FROM attendance_mark_history WHERE placement_id = ANY($1::uuid[])`, [ids]);
    expect(history).toEqual({ codes: 1, n: 80 });
    expect(await published(ids)).toEqual({ events: 40, days: 80 });
  });

  it('rejects a second mark for the same session in one push, keeping the first', async () => {
    const { rows } = await placements(1);
    const res = await call(mis, PUSH, { input: { marks: [{ upn: rows[0].upn, date: DAY, session: 'PM', code: '/' }, { upn: rows[0].upn, date: DAY, session: 'PM', code: 'N' }] } });
    expect(res.data.pushAttendance).toEqual({ accepted: 1, updated: 0, unchanged: 0, rejected: [{ index: 1, problems: [{ field: 'session' }] }] });
  });

  it('writes a register all or nothing, naming every bad row', async () => {
    const { providerId, rows } = await placements(3);
    const provider = principal('PROVIDER_USER', `provider:${providerId}`);
    const elsewhere = (await placements(1)).rows[0].id;
    const bad = await call(provider, REGISTER, {
      input: { providerId, date: DAY, session: 'AM', marks: [{ placementId: rows[0].id, code: '/' }, { placementId: rows[1].id, code: '9' }, { placementId: elsewhere, code: '/' }] },
    });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect((bad.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual(['marks[1].code', 'marks[2].placementId']);
    expect(Number((await db().query(`SELECT count(*)::int AS n FROM attendance_mark WHERE placement_id = ANY($1::uuid[])`, [rows.map((r) => r.id)]))[0].n)).toBe(0);
    const good = await call(provider, REGISTER, { input: { providerId, date: DAY, session: 'AM', marks: rows.map((r) => ({ placementId: r.id, code: '/' })) } });
    expect(good.data.recordAttendanceRegister).toHaveLength(3);
    // Another provider naming this one is told it does not exist.
    const other = principal('PROVIDER_USER', `provider:${randomUUID()}`);
    expect(errorCodes(await call(other, REGISTER, { input: { providerId, date: DAY, session: 'PM', marks: [] } }))).toEqual(['NOT_FOUND']);
  });

  it('logs every read of a pupil’s attendance, progress notes, behaviour incidents and absence alerts: who, role, organisation, fields, when, trace id', async () => {
    const { rows } = await placements(1);
    const [{ pupil_id: pupilId }] = await db().query(`SELECT pupil_id FROM placement WHERE id = $1`, [rows[0].id]);
    expect((await call(mis, PUSH, { input: { marks: [{ upn: rows[0].upn, date: DAY, session: 'AM', code: 'N' }] } })).errors).toBeUndefined();
    const log = () =>
      db().query(`SELECT user_id, role, organisation, fields, trace_id, read_at > now() - interval '1 minute' AS recent FROM pupil_access_log WHERE pupil_id = $1 ORDER BY id`, [pupilId]);
    expect(await log()).toEqual([]);
    const school = principal('SCHOOL_USER', 'school:100001', 'school-reader');
    // W3C trace ids (32 hex digits), as the gateway sends them; anything else is replaced by a new one.
    const [TRACE_RECORDS, TRACE_ALERTS, TRACE_OTHER] = ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c', 'a3ce929d0e0e47364bf92f3577b34da6'];
    const read = (traceId: string, query: string, who = school) =>
      issueInternalToken({ principal: who, audience: 'placement', traceId }).then((token) => graphql(service.graphqlUrl, query, { id: rows[0].id, day: DAY }, { token }));
    const records = await read(
      TRACE_RECORDS,
      `query($id: ID!, $day: Date!) { placement(id: $id) { attendance(from: $day, to: $day) { summary { possibleSessions unauthorisedAbsenceSessions } } progressNotes { summary } behaviourIncidents { severity } } }`,
    );
    expect(records.errors).toBeUndefined();
    // The N mark (the unmarked PM is listed apart, not counted).
    expect(records.data.placement.attendance.summary).toEqual({ possibleSessions: 1, unauthorisedAbsenceSessions: 1 });
    const alerts = await read(TRACE_ALERTS, `query($day: Date!) { absenceAlerts(date: $day) { placement { id } } }`);
    expect(alerts.data.absenceAlerts.map((a: { placement: { id: string } }) => a.placement.id)).toContain(rows[0].id);
    // Another school sees neither the placement nor the alert, and nothing is logged for it.
    const other = principal('SCHOOL_USER', 'school:100002', 'other-reader');
    expect((await read(TRACE_OTHER, `query($id: ID!) { placement(id: $id) { attendance(from: "${DAY}", to: "${DAY}") { summary { possibleSessions } } } }`, other)).data.placement).toBeNull();
    const who = { user_id: 'school-reader', role: 'SCHOOL_USER', organisation: 'school:100001', recent: true };
    expect(await log()).toEqual([
      { ...who, fields: ['attendance', 'behaviourIncidents', 'progressNotes'], trace_id: TRACE_RECORDS },
      { ...who, fields: ['absenceAlerts'], trace_id: TRACE_ALERTS },
    ]);
  });
});
