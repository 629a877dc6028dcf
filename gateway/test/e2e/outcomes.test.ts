import { randomUUID } from 'node:crypto';
import { EventEnvelope, KafkaEventBus, newEvent, PupilCohortV1, topicFor } from '@ap/events';
import { clientToken, eventually, graphql, makeUpn } from '@ap/testing';
import { cast, ok } from './flow';
import { startStack, Stack } from './stack';

/**
 * Issue 13's "Done when", through the gateway, on one scripted term (autumn 2025, LA 865): the
 * referral and placement events of five placements (as the referral and placement services publish
 * them), attendance day summaries (as the placement service's attendance producer publishes them,
 * one day re-published), attainment, destinations and a suspension recorded through the gateway.
 * Every measure of provider A is worked out by hand below.
 */

jest.setTimeout(240_000);

const LA = '865';
const SCHOOL = '100001';
const OTHER_SCHOOL = '100002';
const YEAR = '2025/26';

const cohort = (senStatus: PupilCohortV1['senStatus'], yearGroup: number, extra: Partial<PupilCohortV1> = {}): PupilCohortV1 => ({
  homeLaCode: LA, senStatus, pupilPremium: false, lookedAfter: false, hasSocialWorker: false, yearGroup, keyStage: yearGroup >= 10 ? 'KS4' : 'KS3', academicYear: YEAR, ...extra,
});

/** Weekdays from `from`, `n` of them. */
function schoolDays(from: string, n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T12:00:00Z`); out.length < n; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

describe('outcomes and BI through the gateway (issue 13)', () => {
  let stack: Stack;
  let url: string;
  let base: string;
  let bus: KafkaEventBus;
  let people: Awaited<ReturnType<typeof cast>>;
  let providerA: string;
  let providerB: string;
  const pupils: { id: string; upn: string; school: string }[] = [];
  const placements: string[] = [];

  const publish = (producer: 'referral' | 'placement', events: EventEnvelope[]) =>
    bus.publish(topicFor(producer), events.map((e) => ({ key: e.key, value: JSON.stringify(e) })));
  const csv = async (path: string, token: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    // fetch's text() would drop the byte order mark; the bytes show it is there.
    const bom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
    return { status: res.status, type: res.headers.get('content-type'), bom, text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
  };

  const registerProvider = async (name: string) => {
    const { registerProvider } = await ok(url, people.laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: { name: `${name} ${randomUUID().slice(0, 6)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
    });
    await ok(url, people.laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { approvalStatus } }`, { id: registerProvider.id });
    return registerProvider.id as string;
  };

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    base = url.replace(/\/graphql$/, '');
    people = await cast();
    bus = new KafkaEventBus({ clientId: 'outcomes-e2e' });
    providerA = await registerProvider('Horizons');
    providerB = await registerProvider('Pathfinder');
    // Seven pupils, registered for real (the census needs their UPNs from the referral service).
    const schools = [SCHOOL, SCHOOL, OTHER_SCHOOL, SCHOOL, SCHOOL, SCHOOL, SCHOOL];
    for (const school of schools) {
      const upn = makeUpn();
      const token = school === SCHOOL ? people.school : people.otherSchool;
      const { registerPupil } = await ok(url, token, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
        input: { upn, givenName: 'Alex', familyName: 'Example', dateOfBirth: '2010-05-01', homeLaCode: LA },
      });
      pupils.push({ id: registerPupil.id, upn, school });
    }
    for (let i = 0; i < 5; i++) placements.push(randomUUID());

    // The referrals, as the referral service publishes them (cohort facts, day 6, attendance at referral).
    const referral = (i: number, reason: string, submittedOn: string, c: PupilCohortV1, extra: { day6Deadline?: string; attendance?: number; providerId?: string } = {}) => {
      const payload = {
        referralId: randomUUID(),
        pupilId: pupils[i].id, providerId: extra.providerId ?? providerA, schoolUrn: pupils[i].school, reason,
        cohort: c, day6Deadline: extra.day6Deadline ?? null, currentAttendancePercent: extra.attendance ?? null,
      };
      return payload;
    };
    const refs = [
      referral(0, 'PERMANENT_EXCLUSION', '2025-09-05', cohort('EHCP', 10, { pupilPremium: true }), { day6Deadline: '2025-09-15', attendance: 60 }),
      referral(1, 'PERMANENT_EXCLUSION', '2025-09-08', cohort('SEN_SUPPORT', 10), { day6Deadline: '2025-09-12', attendance: 50 }),
      referral(2, 'SEMH_NEEDS', '2025-09-01', cohort('NONE', 8), { attendance: 70 }),
      referral(4, 'RISK_OF_EXCLUSION', '2025-09-22', cohort('NONE', 9), { providerId: providerB }),
      referral(5, 'PERMANENT_EXCLUSION', '2025-09-12', cohort('EHCP', 10), { day6Deadline: '2025-09-19' }),
      referral(6, 'SEMH_NEEDS', '2025-09-15', cohort('SEN_SUPPORT', 9)),
    ];
    const [r1, r2, r3, r5, r6, r7] = refs;
    const submitted = (r: (typeof refs)[number], on: string) =>
      newEvent({ type: 'referral.submitted', producer: 'referral', key: r.pupilId, payload: { ...r, providerId: r.providerId, submittedAt: `${on}T10:00:00.000Z` } });
    const accepted = (r: (typeof refs)[number], on: string) =>
      newEvent({ type: 'referral.accepted', producer: 'referral', key: r.pupilId, payload: { ...r, acceptedAt: `${on}T14:00:00.000Z`, homeLaCode: LA } });
    await publish('referral', [
      submitted(r1, '2025-09-05'), accepted(r1, '2025-09-08'),
      submitted(r2, '2025-09-08'), accepted(r2, '2025-09-10'),
      submitted(r3, '2025-09-01'), accepted(r3, '2025-09-01'),
      submitted(r5, '2025-09-22'), accepted(r5, '2025-09-24'),
      submitted(r6, '2025-09-12'),
      submitted(r7, '2025-09-15'),
      newEvent({ type: 'referral.declined', producer: 'referral', key: r7.pupilId, payload: { referralId: r7.referralId, pupilId: r7.pupilId, providerId: providerA, schoolUrn: SCHOOL, reasonCode: 'NO_CAPACITY', declinedAt: '2025-09-17T09:00:00.000Z' } }),
    ]);

    // The placements, as the placement service publishes them; P4 was commissioned directly (no referral).
    const started = (i: number, referralId: string, providerId: string, startDate: string, type: string, fullTime: boolean, costPerDay: number) =>
      newEvent({
        type: 'placement.started', producer: 'placement', key: pupils[i].id,
        payload: {
          placementId: placements[i], referralId, pupilId: pupils[i].id, providerId, startedAt: `${startDate}T08:30:00.000Z`, schoolUrn: pupils[i].school,
          placementType: type as 'DAY6_PROVISION', startDate, fullTime, sessionsPerWeek: fullTime ? 10 : 5, costPerDay, homeLaCode: LA, commissionerLaCode: null,
        },
      });
    const ended = (i: number, providerId: string, endedOn: string, endReason: 'REINTEGRATED_MAINSTREAM' | 'OTHER') =>
      newEvent({ type: 'placement.ended', producer: 'placement', key: pupils[i].id, payload: { placementId: placements[i], pupilId: pupils[i].id, providerId, schoolUrn: pupils[i].school, endedOn, endReason } });
    const day = (i: number, providerId: string, date: string, possible: number, attended: number, asOf = `${date}T16:00:00.000Z`) =>
      newEvent({
        type: 'attendance.day_summarised', producer: 'placement', key: pupils[i].id,
        payload: { placementId: placements[i], pupilId: pupils[i].id, providerId, schoolUrn: pupils[i].school, laCode: LA, date, possibleSessions: possible, attendedSessions: attended,
          authorisedAbsenceSessions: 0, unauthorisedAbsenceSessions: possible - attended, asOf },
      });
    // P1: 10 days from 10 Sept, 18 of 20 sessions. P2: 10 days from 17 Sept, 12 of 20. P3 (part-time, one session a day): 10 days from 4 Sept, 9 of 10.
    // P4: 5 days from 22 Sept, 10 of 10 once the first day's marks are corrected. P5 (provider B): 5 days from 29 Sept, 5 of 10.
    const p1Days = schoolDays('2025-09-10', 10).map((d, k) => day(0, providerA, d, 2, k < 8 ? 2 : 1));
    const p2Days = schoolDays('2025-09-17', 10).map((d, k) => day(1, providerA, d, 2, k < 2 ? 2 : 1));
    const p3Days = schoolDays('2025-09-04', 10).map((d, k) => day(2, providerA, d, 1, k < 9 ? 1 : 0));
    const p4Days = schoolDays('2025-09-22', 5).map((d) => day(3, providerA, d, 2, 2));
    const p5Days = schoolDays('2025-09-29', 5).map((d) => day(4, providerB, d, 2, 1));
    await publish('placement', [
      started(0, r1.referralId, providerA, '2025-09-10', 'DAY6_PROVISION', true, 100), ...p1Days, ended(0, providerA, '2025-10-10', 'REINTEGRATED_MAINSTREAM'),
      started(1, r2.referralId, providerA, '2025-09-17', 'DAY6_PROVISION', true, 120), ...p2Days, ended(1, providerA, '2025-10-17', 'OTHER'),
      started(2, r3.referralId, providerA, '2025-09-04', 'OFF_SITE_DIRECTION', false, 80), ...p3Days,
      started(3, placements[3], providerA, '2025-09-22', 'MEDICAL', true, 90),
      // The first day as first marked (both sessions N), then corrected; a stale copy arriving late changes nothing.
      day(3, providerA, '2025-09-22', 2, 0, '2025-09-22T10:00:00.000Z'),
      ...p4Days,
      day(3, providerA, '2025-09-22', 2, 1, '2025-09-22T11:00:00.000Z'),
      ended(3, providerA, '2025-10-31', 'REINTEGRATED_MAINSTREAM'),
      started(4, r5.referralId, providerB, '2025-09-29', 'SCHOOL_COMMISSIONED', true, 50), ...p5Days,
    ]);
    // Outcomes has heard it all once every placement's last event and every referral are in (each pupil is its own partition).
    await eventually(async () => {
      const rows = await stack.services.outcomes.dataSource.query(
        `SELECT placement_id, status, possible_sessions, sen_status IS NOT NULL AS cohort FROM outcome_placement WHERE placement_id = ANY($1::uuid[]) ORDER BY started_on`,
        [placements],
      );
      expect(rows.map((r: { status: string; possible_sessions: number }) => [r.status, r.possible_sessions])).toEqual([
        ['ACTIVE', 10], ['ENDED', 20], ['ENDED', 20], ['ENDED', 10], ['ACTIVE', 10],
      ]);
      const [referrals] = await stack.services.outcomes.dataSource.query(
        `SELECT count(*)::int AS n, count(accepted_at)::int AS accepted, count(declined_at)::int AS declined FROM outcome_referral WHERE pupil_id = ANY($1::uuid[])`,
        [pupils.map((p) => p.id)],
      );
      expect(referrals).toEqual({ n: 6, accepted: 4, declined: 1 });
    }, { timeoutMs: 60_000 });

    // Records entered through the gateway: the provider its results, the school destinations and a suspension.
    const providerToken = await people.provider(providerA);
    const attain = (i: number, subject: string, qualification: string, grade: string) =>
      ok(url, providerToken, `mutation($input: RecordAttainmentInput!) { recordAttainment(input: $input) { id } }`, {
        input: { placementId: placements[i], subject, qualification, grade, achievedOn: '2025-10-01' },
      });
    await attain(0, 'ENGLISH', 'FUNCTIONAL_SKILLS_L1', 'Pass');
    await attain(0, 'MATHS', 'FUNCTIONAL_SKILLS_L1', 'Pass');
    await attain(1, 'ENGLISH', 'FUNCTIONAL_SKILLS_E3', 'Pass');
    await attain(3, 'ENGLISH', 'GCSE', '4');
    await attain(3, 'MATHS', 'GCSE', '4');
    const destination = (i: number, d: string) =>
      ok(url, people.school, `mutation($input: RecordDestinationInput!) { recordDestination(input: $input) { id } }`, {
        input: { pupilId: pupils[i].id, academicYear: YEAR, destination: d, recordedOn: '2025-11-01' },
      });
    await destination(0, 'EDUCATION');
    await destination(1, 'NEET');
    await destination(3, 'TRAINING');
    const suspension = (i: number, token: string, startDate: string) =>
      ok(url, token, `mutation($input: RecordSuspensionInput!) { recordSuspension(input: $input) { id } }`, { input: { pupilId: pupils[i].id, startDate, days: 1 } });
    await suspension(1, people.school, '2025-09-24'); // during P2
    await suspension(2, people.otherSchool, '2025-08-20'); // before P3: not during a placement
  });
  afterAll(async () => {
    await bus?.close();
    await stack?.stop();
  });

  const MEASURES = `pupils placementsStarted placementsEnded possibleSessions attendedSessions attendanceRate attendanceChange reintegrationRate
    englishAndMathsAchieved eetRate neetRate suspensionsDuringPlacement averageDaysToStart day6Met`;
  const AP_OUTCOMES = `query($filter: OutcomeFilter, $groupBy: [OutcomeGrouping!]) { apOutcomes(filter: $filter, groupBy: $groupBy) { key { providerId schoolUrn laCode } ${MEASURES} } }`;

  it('gives every measure of provider A as worked out by hand', async () => {
    const { apOutcomes } = await ok(url, people.laAdmin, AP_OUTCOMES, { groupBy: ['PROVIDER'] });
    const a = apOutcomes.find((g: { key: { providerId: string } }) => g.key.providerId === providerA);
    expect(a).toEqual({
      key: { providerId: providerA, schoolUrn: null, laCode: null },
      pupils: 4,
      placementsStarted: 4, // P1–P4
      placementsEnded: 3, // P1, P2, P4
      possibleSessions: 60, // 20 + 20 + 10 + 10
      attendedSessions: 49, // 18 + 12 + 9 + 10
      attendanceRate: 81.7, // 49 / 60
      attendanceChange: 18, // P1–P3 (attendance at referral known): 39 / 50 = 78 %, against (60 + 50 + 70) / 3 = 60 %
      reintegrationRate: 66.7, // P1 and P4 of 3 ended
      englishAndMathsAchieved: 50, // P1 and P4 of 4
      eetRate: 66.7, // EDUCATION, TRAINING of 3 destinations
      neetRate: 33.3, // NEET
      suspensionsDuringPlacement: 1, // P2's; P3's was before it started
      averageDaysToStart: 4, // accepted → started: 2 (P1), 7 (P2), 3 (P3); P4 had no referral
      day6Met: 50, // P1 started by its day 6, P2 after
    });
    // Filters narrow; the key says what a group is.
    const byFilter = await ok(url, people.laAdmin, AP_OUTCOMES, { filter: { providerId: providerA, senStatus: 'EHCP' } });
    expect(byFilter.apOutcomes).toHaveLength(1);
    // P1 only: P4 was commissioned directly, so no referral told outcomes its pupil's cohort.
    expect(byFilter.apOutcomes[0]).toMatchObject({ pupils: 1, placementsStarted: 1, englishAndMathsAchieved: 100, day6Met: 100 });
    const bySchool = await ok(url, people.laAdmin, AP_OUTCOMES, { groupBy: ['SCHOOL', 'LA'] });
    expect(bySchool.apOutcomes.map((g: { key: object; placementsStarted: number }) => [g.key, g.placementsStarted])).toEqual([
      [{ providerId: null, schoolUrn: SCHOOL, laCode: LA }, 4],
      [{ providerId: null, schoolUrn: OTHER_SCHOOL, laCode: LA }, 1],
    ]);
  });

  it('shows a school its own placements only, and another LA nothing', async () => {
    const school = await ok(url, people.school, AP_OUTCOMES, {});
    expect(school.apOutcomes[0]).toMatchObject({ placementsStarted: 4, pupils: 4 }); // P1, P2, P4, P5
    const other = await ok(url, await clientToken('LA_ADMIN', 'la:999'), AP_OUTCOMES, { groupBy: ['PROVIDER'] });
    expect(other.apOutcomes).toEqual([]);
    const rows = await ok(url, people.school, `query { outcomeRows(first: 100) { nodes { schoolUrn pupilRef } } }`);
    expect(rows.outcomeRows.nodes.map((r: { schoolUrn: string }) => r.schoolUrn)).toEqual([SCHOOL, SCHOOL, SCHOOL, SCHOOL]);
    const file = await csv('/export/outcome-rows.csv', people.school);
    const [, ...body] = parseCsv(file.text);
    expect(body.map((r) => r[4])).toEqual([SCHOOL, SCHOOL, SCHOOL, SCHOOL]);
  });

  it('pages an analyst’s rows with a stable cursor, pseudonymised: no id, UPN, name or date of birth', async () => {
    const ROWS = `query($first: Int, $after: String) { outcomeRows(first: $first, after: $after) { nodes { rowId pupilRef pseudonymised yearGroup schoolUrn attendedSessions } endCursor hasNextPage } }`;
    const seen: { rowId: string; pupilRef: string; pseudonymised: boolean; yearGroup: number }[] = [];
    let after: string | null = null;
    type Page = { outcomeRows: { nodes: typeof seen; endCursor: string; hasNextPage: boolean } };
    for (;;) {
      const { outcomeRows }: Page = await ok<Page>(url, people.analyst, ROWS, { first: 2, after });
      seen.push(...outcomeRows.nodes);
      if (!outcomeRows.hasNextPage) break;
      after = outcomeRows.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((r) => r.rowId)).size).toBe(5);
    expect(seen.every((r) => r.pseudonymised && /^P-/.test(r.pupilRef) && /^R-/.test(r.rowId))).toBe(true);
    const text = JSON.stringify(seen);
    for (const p of pupils) expect(text).not.toContain(p.id);
    for (const p of pupils) expect(text).not.toContain(p.upn);
    for (const id of placements) expect(text).not.toContain(id);
    // An LA officer sees the pupil's own id (casework).
    const la = await ok(url, people.laAdmin, ROWS, { first: 10 });
    expect(la.outcomeRows.nodes.map((r: { pupilRef: string }) => r.pupilRef).sort()).toEqual(pupils.slice(0, 5).map((p) => p.id).sort());

    const file = await csv('/export/outcome-rows.csv', people.analyst);
    expect(file.status).toBe(200);
    expect(file.type).toBe('text/csv; charset=utf-8');
    expect(file.bom).toBe(true);
    const [header, ...body] = parseCsv(file.text);
    expect(header).not.toEqual(expect.arrayContaining(['upn', 'givenName', 'familyName', 'dateOfBirth', 'pupilId']));
    expect(header).toContain('yearGroup');
    for (const p of pupils) expect(file.text).not.toContain(p.id);
    for (const p of pupils) expect(file.text).not.toContain(p.upn);
    expect(file.text).not.toMatch(/Alex|Example|2010-05-01/);
    expect(body.map((r) => r[header.indexOf('pupilRef')])).toEqual(seen.map((r) => r.pupilRef));
    expect(file.text.endsWith('\r\n')).toBe(true);
    // Every read of pupil-level rows is recorded: who, what, how many, pseudonymised or not.
    const reads = await stack.services.outcomes.dataSource.query(
      `SELECT operation, rows, pseudonymised FROM outcome_rows_read WHERE role = 'ANALYST' ORDER BY id`,
    );
    expect(reads).toEqual([
      { operation: 'Query.outcomeRows', rows: 2, pseudonymised: true },
      { operation: 'Query.outcomeRows', rows: 2, pseudonymised: true },
      { operation: 'Query.outcomeRows', rows: 1, pseudonymised: true },
      { operation: 'GET /export/outcome-rows.csv', rows: 5, pseudonymised: true },
    ]);
  });

  it('gives the same totals in the CSV as in GraphQL', async () => {
    const { apOutcomes } = await ok(url, people.analyst, AP_OUTCOMES, {});
    const file = await csv('/export/outcome-rows.csv', people.analyst);
    const [header, ...body] = parseCsv(file.text);
    const sum = (column: string) => body.reduce((n, r) => n + Number(r[header.indexOf(column)]), 0);
    expect(body).toHaveLength(apOutcomes[0].placementsStarted);
    expect(sum('possibleSessions')).toBe(apOutcomes[0].possibleSessions);
    expect(sum('attendedSessions')).toBe(apOutcomes[0].attendedSessions);
    expect(sum('suspensionsDuringPlacement')).toBe(apOutcomes[0].suspensionsDuringPlacement);
    expect(new Set(body.map((r) => r[header.indexOf('pupilRef')])).size).toBe(apOutcomes[0].pupils);
    // Filters on the query string, as on the GraphQL filter.
    const filtered = await csv(`/export/outcome-rows.csv?providerId=${providerB}`, people.analyst);
    expect(parseCsv(filtered.text)).toHaveLength(2);
    const refused = await csv('/export/outcome-rows.csv?keyStage=KS9', people.analyst);
    expect(refused.status).toBe(400);
    expect((await fetch(`${base}/export/outcome-rows.csv`)).status).toBe(401);
    expect((await csv('/export/outcome-rows.csv', await clientToken('MIS_CLIENT', 'school:100001'))).status).toBe(403);
  });

  it('lists the LA’s children absent from education, with why, and records a review', async () => {
    const LIST = `query($la: String!, $asOf: String) { cafeReviewList(laCode: $la, asOf: $asOf) { pupilId reasons lastReview { decision notes } } }`;
    const { cafeReviewList } = await ok(url, people.laAdmin, LIST, { la: LA, asOf: '2025-10-06' });
    expect(cafeReviewList).toEqual([
      // P3: part-time, last marked Wed 17 Sept (13 school days before Monday 6 Oct).
      { pupilId: pupils[2].id, reasons: ['PART_TIME_TIMETABLE', 'NO_MARK_FOR_10_SCHOOL_DAYS'], lastReview: null },
      // Pupil 6: excluded, day 6 was 19 Sept, no placement.
      { pupilId: pupils[5].id, reasons: ['PAST_DAY_6_WITHOUT_PLACEMENT'], lastReview: null },
    ]);
    await ok(url, people.laAdmin, `mutation($id: ID!) { recordCafeReview(pupilId: $id, decision: ARRANGE_FULL_TIME_PROVISION, notes: "Day-6 place found at Horizons") { id } }`, {
      id: pupils[5].id,
    });
    const after = await ok(url, people.laAdmin, LIST, { la: LA, asOf: '2025-10-06' });
    expect(after.cafeReviewList[1].lastReview).toEqual({ decision: 'ARRANGE_FULL_TIME_PROVISION', notes: 'Day-6 place found at Horizons' });
    const other = await graphql(url, LIST, { la: LA }, { token: await clientToken('LA_ADMIN', 'la:999') });
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('gives each school’s use of AP and spend', async () => {
    const USAGE = `query($la: String!, $y: String!) { schoolUsage(laCode: $la, academicYear: $y) { schoolUrn placements pupilDaysInAp spend } }`;
    const { schoolUsage } = await ok(url, people.laAdmin, USAGE, { la: LA, y: YEAR });
    expect(schoolUsage).toEqual([
      // P1 18 sessions × £100, P2 12 × £120, P4 10 × £90, P5 5 × £50 a day, two sessions a day.
      { schoolUrn: SCHOOL, placements: 4, pupilDaysInAp: 22.5, spend: 2195 },
      // P3 9 sessions × £80.
      { schoolUrn: OTHER_SCHOOL, placements: 1, pupilDaysInAp: 4.5, spend: 360 },
    ]);
    const own = await ok(url, people.school, USAGE, { la: LA, y: YEAR });
    expect(own.schoolUsage).toEqual([{ schoolUrn: SCHOOL, placements: 4, pupilDaysInAp: 22.5, spend: 2195 }]);
    expect((await ok(url, people.laAdmin, USAGE, { la: LA, y: '2024/25' })).schoolUsage).toEqual([]);
  });

  it('draws the SEND pathways into AP', async () => {
    const { sendPathways } = await ok(url, people.analyst, `query($la: String!, $y: String!) { sendPathways(laCode: $la, academicYear: $y) { from to count } }`, { la: LA, y: YEAR });
    expect(sendPathways).toEqual([
      { from: 'PLACEMENT:DAY6_PROVISION', to: 'END:OTHER', count: 1 },
      { from: 'PLACEMENT:DAY6_PROVISION', to: 'END:REINTEGRATED_MAINSTREAM', count: 1 },
      { from: 'PLACEMENT:OFF_SITE_DIRECTION', to: 'END:ONGOING', count: 1 },
      { from: 'PLACEMENT:SCHOOL_COMMISSIONED', to: 'END:ONGOING', count: 1 },
      { from: 'REASON:PERMANENT_EXCLUSION', to: 'PLACEMENT:DAY6_PROVISION', count: 2 },
      { from: 'REASON:PERMANENT_EXCLUSION', to: 'PLACEMENT:NOT_PLACED', count: 1 },
      { from: 'REASON:RISK_OF_EXCLUSION', to: 'PLACEMENT:SCHOOL_COMMISSIONED', count: 1 },
      { from: 'REASON:SEMH_NEEDS', to: 'PLACEMENT:DECLINED', count: 1 },
      { from: 'REASON:SEMH_NEEDS', to: 'PLACEMENT:OFF_SITE_DIRECTION', count: 1 },
      { from: 'SEN_STATUS:EHCP', to: 'REASON:PERMANENT_EXCLUSION', count: 2 },
      { from: 'SEN_STATUS:NONE', to: 'REASON:RISK_OF_EXCLUSION', count: 1 },
      { from: 'SEN_STATUS:NONE', to: 'REASON:SEMH_NEEDS', count: 1 },
      { from: 'SEN_STATUS:SEN_SUPPORT', to: 'REASON:PERMANENT_EXCLUSION', count: 1 },
      { from: 'SEN_STATUS:SEN_SUPPORT', to: 'REASON:SEMH_NEEDS', count: 1 },
    ]);
  });

  it('exports the school’s census AP placements with UPNs, to that school only', async () => {
    const file = await csv(`/export/census-ap.csv?urn=${SCHOOL}&censusDate=2025-10-02`, people.school);
    expect(file.status).toBe(200);
    const [header, ...rows] = parseCsv(file.text);
    expect(header).toEqual(['UPN', 'APPlacementURN', 'APPlacementUKPRN', 'APPlacementTypeOfSetting', 'EntryDate', 'LeavingDate', 'AttendancePattern', 'SessionsPerWeek', 'Reason']);
    // P1, P2, P4 and P5 are open on 2 October; P3 is the other school's.
    expect(rows).toEqual([
      [pupils[0].upn, '', '', 'OTH', '2025-09-10', '2025-10-10', 'FT', '10', 'DAY6_PROVISION'],
      [pupils[1].upn, '', '', 'OTH', '2025-09-17', '2025-10-17', 'FT', '10', 'DAY6_PROVISION'],
      [pupils[3].upn, '', '', 'OTH', '2025-09-22', '2025-10-31', 'FT', '10', 'MEDICAL'],
      [pupils[4].upn, '', '', 'OTH', '2025-09-29', '', 'FT', '10', 'SCHOOL_COMMISSIONED'],
    ]);
    const later = await csv(`/export/census-ap.csv?urn=${SCHOOL}&censusDate=2025-10-20`, people.school);
    expect(parseCsv(later.text).slice(1).map((r) => r[0])).toEqual([pupils[3].upn, pupils[4].upn]);
    expect((await csv(`/export/census-ap.csv?urn=${SCHOOL}&censusDate=2025-10-02`, people.otherSchool)).status).toBe(403);
    expect((await csv(`/export/census-ap.csv?urn=${SCHOOL}&censusDate=2025-10-02`, people.analyst)).status).toBe(403);
    expect((await csv(`/export/census-ap.csv?urn=${SCHOOL}&censusDate=2 Oct`, people.school)).status).toBe(400);
  });
});
