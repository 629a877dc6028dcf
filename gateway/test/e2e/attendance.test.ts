import { randomUUID } from 'node:crypto';
import { addDays, sampleLaCalendar, today, weekday } from '@ap/domain';
import { raiseMissingMarkAlerts } from '@ap/placement';
import { clientToken, errorCodes, eventually, graphql, makeUpn } from '@ap/testing';
import { ACCEPT, cast, ok, referPupil } from './flow';
import { startStack, Stack } from './stack';

/**
 * Issue 11's "Done when", through the gateway: a provider's register and the school's summary; an
 * N mark's alert for the school (and its LA) at once, and for nobody else; a MIS push of 10,000
 * marks with 50 bad ones, and the same push again; another school's MIS neither writes nor reads.
 */

jest.setTimeout(300_000);

const calendar = sampleLaCalendar();
const FULL_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '15:00' }));
const CREATE = `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`;
const START = `mutation($id: ID!, $startDate: Date) { startPlacement(id: $id, startDate: $startDate) { id status } }`;
const REGISTER = `mutation($input: RecordAttendanceRegisterInput!) { recordAttendanceRegister(input: $input) { date session code source recordedBy placement { id } } }`;
const ALERTS = `query($date: Date!) { absenceAlerts(date: $date) { id reason code session placement { id } } }`;
const PUSH = `mutation($input: PushAttendanceInput!) { pushAttendance(input: $input) { accepted updated unchanged rejected { index upn problems { field message } } } }`;
const SUMMARY = `query($id: ID!, $from: Date!, $to: Date!) { placement(id: $id) { attendance(from: $from, to: $to) {
  summary { possibleSessions attendedSessions authorisedAbsenceSessions unauthorisedAbsenceSessions attendancePercent }
  days { date am pm derivedSessions } unmarked { date session } } } }`;

/** The last school day before today: a day that can carry marks whatever day the test runs. */
const DAY = calendar.addSchoolDays(today(), -1);

describe('attendance, progress and behaviour through the gateway (issue 11)', () => {
  let stack: Stack;
  let url: string;
  let people: Awaited<ReturnType<typeof cast>>;
  let laOfficer: string;
  let providerId: string;
  let providerToken: string;

  /** An active full-time placement commissioned by the LA for school 100001 (so both see it), from `start`. */
  const placement = async (start: string, upn: string | null = null, extra: Record<string, unknown> = {}) => {
    const { createPlacement } = await ok(url, laOfficer, CREATE, {
      input: { pupilId: randomUUID(), providerId, schoolUrn: '100001', type: 'DAY6_PROVISION', plannedStartDate: start, timetable: FULL_WEEK, upn, ...extra },
    });
    await ok(url, providerToken, START, { id: createPlacement.id, startDate: start });
    return createPlacement.id as string;
  };
  /** The day summaries published: one entry per placement and day in the days of attendance.days_summarised events. */
  const daysSummarised = async () =>
    Number((await stack.services.placement.dataSource.query(`SELECT coalesce(sum(jsonb_array_length(envelope->'payload'->'days')), 0)::int AS n FROM outbox WHERE type = 'attendance.days_summarised'`))[0].n);

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    people = await cast();
    laOfficer = await clientToken('LA_OFFICER', 'la:865');
    const { registerProvider } = await ok(url, people.laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: { name: `Attendance ${randomUUID().slice(0, 6)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
    });
    providerId = registerProvider.id;
    await ok(url, people.laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { approvalStatus } }`, { id: providerId });
    providerToken = await people.provider(providerId);
    await eventually(async () => {
      const [row] = await stack.services.placement.dataSource.query(`SELECT status FROM directory_provider WHERE id = $1`, [providerId]);
      expect(row?.status).toBe('APPROVED');
    });
  });
  afterAll(() => stack?.stop());

  it('a provider records the day’s register; the school sees the summary; an N mark alerts the school and its LA at once, and nobody else', async () => {
    const start = calendar.addSchoolDays(DAY, -4);
    const [present, absent] = [await placement(start), await placement(start)];
    const summarisedBefore = await daysSummarised();

    const sent = Date.now();
    const { recordAttendanceRegister } = await ok(url, providerToken, REGISTER, {
      input: { providerId, date: DAY, session: 'AM', marks: [{ placementId: present, code: '/' }, { placementId: absent, code: 'n' }] },
    });
    expect(recordAttendanceRegister.map((m: { code: string; source: string }) => [m.code, m.source])).toEqual(expect.arrayContaining([['/', 'PROVIDER'], ['N', 'PROVIDER']]));

    // The school sees the alert (it is written with the mark), within 2 seconds of the register.
    const alerts = await eventually(async () => {
      const { absenceAlerts } = await ok(url, people.school, ALERTS, { date: DAY });
      expect(absenceAlerts.map((a: { placement: { id: string } }) => a.placement.id)).toContain(absent);
      return absenceAlerts;
    }, { timeoutMs: 2_000, intervalMs: 50 });
    expect(Date.now() - sent).toBeLessThan(2_000);
    expect(alerts.find((a: { placement: { id: string } }) => a.placement.id === absent)).toMatchObject({ reason: 'CODE_N', code: 'N', session: 'AM' });
    expect(alerts.map((a: { placement: { id: string } }) => a.placement.id)).not.toContain(present);
    // The LA that commissioned it sees it too; another school, another LA, the provider and a MIS do not.
    const la = await ok(url, laOfficer, ALERTS, { date: DAY });
    expect(la.absenceAlerts.map((a: { placement: { id: string } }) => a.placement.id)).toContain(absent);
    expect((await ok(url, people.otherSchool, ALERTS, { date: DAY })).absenceAlerts).toEqual([]);
    expect((await ok(url, await clientToken('LA_OFFICER', 'la:999'), ALERTS, { date: DAY })).absenceAlerts).toEqual([]);
    expect(errorCodes(await graphql(url, ALERTS, { date: DAY }, { token: providerToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(url, ALERTS, { date: DAY }, { token: await clientToken('MIS_CLIENT', 'school:100001') }))).toEqual(['FORBIDDEN']);
    // Published once, with the day's totals for each placement (one event per placement and day, not per mark).
    const [event] = await stack.services.placement.dataSource.query(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'attendance.absence_unexplained' AND envelope->'payload'->>'placementId' = $1`, [absent]);
    expect(event.p).toMatchObject({ placementId: absent, date: DAY, session: 'AM', reason: 'CODE_N', schoolUrn: '100001', laCode: '865' });
    expect((await daysSummarised()) - summarisedBefore).toBe(2);

    // The school's summary of the week: AM marked, PM not yet.
    const { placement: seen } = await ok(url, people.school, SUMMARY, { id: absent, from: start, to: DAY });
    expect(seen.attendance.summary).toEqual({ possibleSessions: 1, attendedSessions: 0, authorisedAbsenceSessions: 0, unauthorisedAbsenceSessions: 1, attendancePercent: 0 });
    expect(seen.attendance.days).toEqual([{ date: DAY, am: 'N', pm: null, derivedSessions: [] }]);
    expect(seen.attendance.unmarked).toHaveLength(9);

    // The reason arrives: I replaces N (kept in history); the alert stays until acknowledged.
    const REPLACE = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { code } }`;
    await ok(url, providerToken, REPLACE, { input: { placementId: absent, date: DAY, session: 'AM', code: 'I' } });
    const history = await stack.services.placement.dataSource.query(`SELECT code, source FROM attendance_mark_history WHERE placement_id = $1`, [absent]);
    expect(history).toEqual([{ code: 'N', source: 'PROVIDER' }]);
    const again = await ok(url, people.school, SUMMARY, { id: absent, from: DAY, to: DAY });
    expect(again.placement.attendance.summary).toMatchObject({ possibleSessions: 1, authorisedAbsenceSessions: 1, unauthorisedAbsenceSessions: 0 });
    const alertId = alerts.find((a: { placement: { id: string } }) => a.placement.id === absent).id;
    expect(errorCodes(await graphql(url, `mutation($id: ID!) { acknowledgeAbsenceAlert(id: $id, note: "x") { id } }`, { id: alertId }, { token: people.otherSchool }))).toEqual(['NOT_FOUND']);
    await ok(url, people.school, `mutation($id: ID!) { acknowledgeAbsenceAlert(id: $id, note: "Mum phoned: ill") { acknowledgedAt } }`, { id: alertId });
    expect((await ok(url, people.school, ALERTS, { date: DAY })).absenceAlerts.map((a: { id: string }) => a.id)).not.toContain(alertId);

    // Progress and behaviour, recorded by the provider and read by the school.
    await ok(url, providerToken, `mutation($input: RecordProgressNoteInput!) { recordProgressNote(input: $input) { id } }`, {
      input: { placementId: present, date: DAY, area: 'MATHS', summary: 'Fractions: secure' },
    });
    await ok(url, providerToken, `mutation($input: RecordBehaviourIncidentInput!) { recordBehaviourIncident(input: $input) { id } }`, {
      input: { placementId: present, occurredAt: `${DAY}T10:15:00Z`, severity: 'LOW', category: 'Disruption', actionTaken: 'Time out; spoke with mentor' },
    });
    const notes = await ok(url, people.school, `query($id: ID!) { placement(id: $id) { progressNotes { area summary } behaviourIncidents { severity category } } }`, { id: present });
    expect(notes.placement).toEqual({ progressNotes: [{ area: 'MATHS', summary: 'Fractions: secure' }], behaviourIncidents: [{ severity: 'LOW', category: 'Disruption' }] });
  });

  it('learns the UPN of a pupil placed from an accepted referral, so the school’s MIS can push by UPN', async () => {
    const story = await referPupil(url, people);
    const { pupil } = await ok(url, people.school, `query($id: ID!) { pupil(id: $id) { upn } }`, { id: story.pupilId });
    await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
    const placementId = await eventually(async () => {
      const data = await ok(url, people.school, `query($id: ID!) { pupil(id: $id) { placements { id } } }`, { id: story.pupilId });
      expect(data.pupil.placements).toHaveLength(1);
      return data.pupil.placements[0].id as string;
    });
    await ok(url, story.providerToken, START, { id: placementId, startDate: DAY });
    const mis = await clientToken('MIS_CLIENT', 'school:100001');
    const { pushAttendance } = await ok(url, mis, PUSH, { input: { marks: [{ upn: pupil.upn, date: DAY, session: 'AM', code: '/' }] } });
    expect(pushAttendance).toEqual({ accepted: 1, updated: 0, unchanged: 0, rejected: [] });
  });

  it('derives C2 for a part-time timetable’s other sessions, and refuses a mark for them', async () => {
    const start = calendar.addSchoolDays(DAY, -4);
    const mornings = FULL_WEEK.map((s) => ({ ...s, end: '12:00' }));
    const id = await placement(start, null, { timetable: mornings, plannedEndDate: calendar.addSchoolDays(DAY, 30), firstReviewDate: calendar.addSchoolDays(DAY, 10) });
    await ok(url, providerToken, `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { code } }`, { input: { placementId: id, date: DAY, session: 'AM', code: '/' } });
    const refused = await graphql(url, `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { code } }`, { input: { placementId: id, date: DAY, session: 'PM', code: '/' } }, { token: providerToken });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0].extensions?.field).toBe('session');
    const { placement: seen } = await ok(url, people.school, SUMMARY, { id, from: DAY, to: DAY });
    expect(seen.attendance.days).toEqual([{ date: DAY, am: '/', pm: 'C2', derivedSessions: ['PM'] }]);
    expect(seen.attendance.summary).toMatchObject({ possibleSessions: 2, attendedSessions: 1, authorisedAbsenceSessions: 1, attendancePercent: 50 });
  });

  it('a MIS pushes 10,000 marks with 50 bad ones and gets exactly those back; the same push again changes nothing', async () => {
    const DAYS = 50;
    const days = Array.from({ length: DAYS }, (_, k) => calendar.addSchoolDays(DAY, -k));
    const start = days[DAYS - 1];
    const pupils: { id: string; upn: string }[] = [];
    for (let i = 0; i < 100; i++) {
      const upn = makeUpn();
      pupils.push({ id: await placement(start, upn), upn });
    }
    const codes = ['/', '\\', 'L', 'B', 'I', 'M'];
    const marks = pupils.flatMap((p, i) => days.flatMap((date, d) => (['AM', 'PM'] as const).map((session, s) => ({ upn: p.upn, date, session, code: codes[(i + d + s) % codes.length] }))));
    expect(marks).toHaveLength(10_000);
    // 50 bad marks in place of good ones: an unknown UPN, a Saturday, code "9", a date before the placement.
    let saturday = addDays(DAY, -1);
    while (weekday(saturday) !== 'SAT') saturday = addDays(saturday, -1);
    const bad = new Map<number, string>();
    const spread = (n: number, offset: number) => Array.from({ length: n }, (_, k) => offset + k * 197);
    for (const i of spread(15, 3)) (marks[i].upn = makeUpn()), bad.set(i, 'upn');
    for (const i of spread(10, 41)) (marks[i].date = saturday), bad.set(i, 'date');
    for (const i of spread(15, 77)) (marks[i].code = '9'), bad.set(i, 'code');
    for (const i of spread(10, 131)) (marks[i].date = calendar.addSchoolDays(start, -3)), bad.set(i, 'date');
    expect(bad.size).toBe(50);

    const mis = await clientToken('MIS_CLIENT', 'school:100001');
    const summarisedBefore = await daysSummarised();
    const first = (await ok(url, mis, PUSH, { input: { marks } })).pushAttendance;
    expect({ accepted: first.accepted, updated: first.updated, unchanged: first.unchanged }).toEqual({ accepted: 9_950, updated: 0, unchanged: 0 });
    expect(first.rejected.map((r: { index: number }) => r.index).sort((a: number, b: number) => a - b)).toEqual([...bad.keys()].sort((a, b) => a - b));
    for (const r of first.rejected as { index: number; upn: string; problems: { field: string; message: string }[] }[]) {
      expect(r.upn).toBe(marks[r.index].upn);
      expect(r.problems.map((p) => p.field)).toEqual([bad.get(r.index)]);
    }
    const reasons = (field: string) => first.rejected.filter((r: { problems: { field: string }[] }) => r.problems[0].field === field).map((r: { problems: { message: string }[] }) => r.problems[0].message);
    expect(reasons('upn')[0]).toBe('No placement commissioned by your school has a pupil with this UPN.');
    expect(reasons('code')[0]).toMatch(/"9" is not a national attendance code/);
    expect(reasons('date')).toEqual(expect.arrayContaining([`${saturday} is a Saturday, not a school day.`, expect.stringMatching(/is outside the placement/)]));
    const written = Number((await stack.services.placement.dataSource.query(`SELECT count(*)::int AS n FROM attendance_mark WHERE placement_id = ANY($1::uuid[])`, [pupils.map((p) => p.id)]))[0].n);
    expect(written).toBe(9_950);
    // One day summary per placement and day (100 × 50), not one per mark, in one event per placement.
    const summarised = await daysSummarised();
    expect(summarised - summarisedBefore).toBe(5_000);
    expect((await stack.services.placement.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'attendance.days_summarised' AND envelope->'payload'->>'placementId' = ANY($1::text[])`, [pupils.map((p) => p.id)]))[0].n).toBe(100);

    const second = (await ok(url, mis, PUSH, { input: { marks } })).pushAttendance;
    expect({ accepted: second.accepted, updated: second.updated, unchanged: second.unchanged, rejected: second.rejected.length }).toEqual({ accepted: 0, updated: 0, unchanged: 9_950, rejected: 50 });
    expect(await daysSummarised()).toBe(summarised);

    // One mark changed: one update, its history, one day summary.
    const changed = marks.findIndex((m, i) => !bad.has(i) && m.code !== 'G');
    const third = (await ok(url, mis, PUSH, { input: { marks: [{ ...marks[changed], code: 'G' }] } })).pushAttendance;
    expect(third).toEqual({ accepted: 0, updated: 1, unchanged: 0, rejected: [] });
    expect(await daysSummarised()).toBe(summarised + 1);
  });

  it('another school’s MIS cannot write or read marks of pupils not on its roll', async () => {
    const upn = makeUpn();
    const id = await placement(calendar.addSchoolDays(DAY, -2), upn);
    const intruder = await clientToken('MIS_CLIENT', 'school:100002');
    const { pushAttendance } = await ok(url, intruder, PUSH, { input: { marks: [{ upn, date: DAY, session: 'AM', code: 'N' }] } });
    expect(pushAttendance).toEqual({ accepted: 0, updated: 0, unchanged: 0, rejected: [{ index: 0, upn, problems: [{ field: 'upn', message: 'No placement commissioned by your school has a pupil with this UPN.' }] }] });
    expect(await stack.services.placement.dataSource.query(`SELECT * FROM attendance_mark WHERE placement_id = $1`, [id])).toEqual([]);
    for (const [query, variables] of [
      [SUMMARY, { id, from: DAY, to: DAY }],
      [ALERTS, { date: DAY }],
    ] as const) {
      expect(errorCodes(await graphql(url, query, variables, { token: intruder }))).toEqual(['FORBIDDEN']);
    }
    // Its own school's MIS may write it, and still reads nothing.
    const own = await clientToken('MIS_CLIENT', 'school:100001');
    expect((await ok(url, own, PUSH, { input: { marks: [{ upn, date: DAY, session: 'AM', code: '/' }] } })).pushAttendance.accepted).toBe(1);
    expect(errorCodes(await graphql(url, SUMMARY, { id, from: DAY, to: DAY }, { token: own }))).toEqual(['FORBIDDEN']);
  });

  it('the 10:30 check raises NO_MARK once for an expected AM mark that is missing, however often it runs', async () => {
    const id = await placement(calendar.addSchoolDays(DAY, -2));
    const at = new Date(`${DAY}T11:00:00Z`); // after 10:30 in England, GMT or BST
    const db = stack.services.placement.dataSource;
    await raiseMissingMarkAlerts(db, undefined, at);
    await raiseMissingMarkAlerts(db, undefined, at);
    expect(await db.query(`SELECT reason, session FROM absence_alert WHERE placement_id = $1`, [id])).toEqual([{ reason: 'NO_MARK', session: 'AM' }]);
    const { absenceAlerts } = await ok(url, people.school, ALERTS, { date: DAY });
    expect(absenceAlerts.filter((a: { placement: { id: string } }) => a.placement.id === id).map((a: { reason: string }) => a.reason)).toEqual(['NO_MARK']);
    // Before 10:30 nothing is due.
    expect(await raiseMissingMarkAlerts(db, undefined, new Date(`${DAY}T08:00:00Z`))).toBe(0);
  });

  it('lets a 10,000-mark push through the body limit, and still refuses a large body for any other operation', async () => {
    const big = 'x'.repeat(1_200_000);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${people.school}` },
      body: JSON.stringify({ query: `query($id: ID!) { placement(id: $id) { id } }`, variables: { id: big } }),
    });
    expect(res.status).toBe(413);
    const tooMany = await graphql(url, PUSH, { input: { marks: Array.from({ length: 10_001 }, () => ({ upn: 'A', date: DAY, session: 'AM', code: '/' })) } }, { token: await clientToken('MIS_CLIENT', 'school:100001') });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors?.[0].message).toMatch(/at most 10000 marks/);
  });

  it('refuses a push whose marks break the schema with BAD_USER_INPUT naming the mark, from the placement service (its variables are coerced there, not also by the gateway)', async () => {
    const token = await clientToken('MIS_CLIENT', 'school:100001');
    const good = { upn: 'A', date: DAY, session: 'AM', code: '/' };
    const missing = await graphql(url, PUSH, { input: { marks: [good, { upn: 'A', date: DAY, session: 'AM' }] } }, { token });
    expect(errorCodes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(missing.errors?.[0].extensions?.field).toBe('input.marks[1].code');
    expect(missing.data?.pushAttendance ?? null).toBeNull();
    const wrongType = await graphql(url, PUSH, { input: { marks: [good, good, { ...good, session: 7 }] } }, { token });
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(wrongType.errors?.[0].extensions?.field).toBe('input.marks[2].session');
    // Any other operation's variables are still checked by the gateway before any subgraph sees them.
    const other = await graphql(url, `query($id: ID!) { placement(id: $id) { id } }`, { id: { not: 'an id' } }, { token: people.school });
    expect(errorCodes(other)).toEqual(['BAD_USER_INPUT']);
  });

  it('the attendance the placement service publishes reaches outcomes: apOutcomes and outcomeRows show the rate worked out by hand', async () => {
    // A provider of its own, so its figures are only this test's.
    const { registerProvider } = await ok(url, people.laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: { name: `Outcomes ${randomUUID().slice(0, 6)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
    });
    const ownProvider = registerProvider.id as string;
    await ok(url, people.laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { approvalStatus } }`, { id: ownProvider });
    await eventually(async () => {
      const [row] = await stack.services.placement.dataSource.query(`SELECT status FROM directory_provider WHERE id = $1`, [ownProvider]);
      expect(row?.status).toBe('APPROVED');
    });
    const ownToken = await people.provider(ownProvider);
    const start = calendar.addSchoolDays(DAY, -4);
    const week = Array.from({ length: 5 }, (_, k) => calendar.addSchoolDays(start, k));
    const started: { id: string; upn: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const upn = makeUpn();
      const { createPlacement } = await ok(url, laOfficer, CREATE, {
        input: { pupilId: randomUUID(), providerId: ownProvider, schoolUrn: '100001', type: 'DAY6_PROVISION', plannedStartDate: start, timetable: FULL_WEEK, upn },
      });
      await ok(url, ownToken, START, { id: createPlacement.id, startDate: start });
      started.push({ id: createPlacement.id, upn });
    }
    const [pushed, registered] = started;

    // The school's MIS pushes the first pupil's week: N N on day 2 (unauthorised), I on day 4 (authorised).
    const codes = [['/', '\\'], ['N', 'N'], ['/', '\\'], ['I', '\\'], ['/', '\\']];
    const mis = await clientToken('MIS_CLIENT', 'school:100001');
    const marks = week.flatMap((date, d) => (['AM', 'PM'] as const).map((session, s) => ({ upn: pushed.upn, date, session, code: codes[d][s] })));
    expect((await ok(url, mis, PUSH, { input: { marks } })).pushAttendance).toMatchObject({ accepted: 10, rejected: [] });
    // Day 2's afternoon was an approved off-site activity after all: B replaces N (the day is published again).
    expect((await ok(url, mis, PUSH, { input: { marks: [{ upn: pushed.upn, date: week[1], session: 'PM', code: 'B' }] } })).pushAttendance).toMatchObject({ updated: 1 });
    // The provider's registers for the second pupil: day 1 M (medical, authorised) then L (late: present); the last day / then O (unauthorised).
    for (const [date, session, code] of [[week[0], 'AM', 'M'], [week[0], 'PM', 'L'], [DAY, 'AM', '/'], [DAY, 'PM', 'O']]) {
      await ok(url, ownToken, REGISTER, { input: { providerId: ownProvider, date, session, marks: [{ placementId: registered.id, code }] } });
    }

    // By hand: first pupil 10 possible, 8 attended (/ \ B / \ \ / \ and not N, I); second 4 possible, 2 attended (L, /).
    // 10 of 14 = 71.4 %; 80 % and 50 % a placement.
    const AP = `query($filter: OutcomeFilter) { apOutcomes(filter: $filter, groupBy: [PROVIDER]) { key { providerId } pupils placementsStarted possibleSessions attendedSessions attendanceRate } }`;
    await eventually(
      async () => {
        const { apOutcomes } = await ok(url, people.laAdmin, AP, { filter: { providerId: ownProvider } });
        expect(apOutcomes).toEqual([{ key: { providerId: ownProvider }, pupils: 2, placementsStarted: 2, possibleSessions: 14, attendedSessions: 10, attendanceRate: 71.4 }]);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const ROWS = `query($filter: OutcomeFilter) { outcomeRows(filter: $filter, first: 10) { nodes { providerId possibleSessions attendedSessions attendanceRate } } }`;
    const { outcomeRows } = await ok(url, people.laAdmin, ROWS, { filter: { providerId: ownProvider } });
    expect(outcomeRows.nodes.map((r: { attendanceRate: number }) => r.attendanceRate).sort()).toEqual([50, 80]);
    expect(outcomeRows.nodes.every((r: { providerId: string }) => r.providerId === ownProvider)).toBe(true);
  });
});
