import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { EventEnvelope, KafkaEventBus, newEvent, topicFor } from '@ap/events';
import { eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { outcomesService } from '../src/server';
import { rebuildSummary } from '../src/summary';

jest.setTimeout(120_000);

/**
 * The read model against real Kafka and PostgreSQL: a re-published attendance day (the newest asOf
 * wins), events arriving out of order across topics, records entered here, a cursor that holds
 * while rows are added, and a rebuild from the topics from the beginning (a fresh database and a
 * new consumer group) that gives the same figures.
 */
describe('outcomes read model', () => {
  const LA = '865';
  const la = principal('LA_ADMIN', `la:${LA}`);
  let service: RunningService;
  let bus: KafkaEventBus;
  const providerId = randomUUID();
  const school = '100001';

  const call = async (s: RunningService, who: Principal, query: string, variables: Record<string, unknown> = {}) => {
    const res = await graphql(s.graphqlUrl, query, variables, { token: await internalToken('outcomes', who) });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const FIGURES = `query($f: OutcomeFilter) { apOutcomes(filter: $f, groupBy: [PROVIDER, SEN_STATUS]) { key { providerId senStatus }
    pupils placementsStarted placementsEnded possibleSessions attendedSessions attendanceRate attendanceChange reintegrationRate
    englishAndMathsAchieved eetRate neetRate suspensionsDuringPlacement averageDaysToStart day6Met } }`;
  const figures = (s: RunningService) => call(s, la, FIGURES, { f: { providerId } });
  const publish = (producer: 'referral' | 'placement', events: EventEnvelope[]) =>
    bus.publish(topicFor(producer), events.map((e) => ({ key: e.key, value: JSON.stringify(e) })));

  const pupilA = randomUUID();
  const pupilB = randomUUID();
  const placementA = randomUUID();
  const placementB = randomUUID();
  const referralA = randomUUID();

  const day = (placementId: string, pupilId: string, date: string, attended: number, asOf: string) =>
    newEvent({
      type: 'attendance.day_summarised', producer: 'placement', key: pupilId,
      payload: { placementId, pupilId, providerId, schoolUrn: school, laCode: LA, date, possibleSessions: 2, attendedSessions: attended, authorisedAbsenceSessions: 0, unauthorisedAbsenceSessions: 2 - attended, asOf },
    });
  /** The producer's form: the days one write changed for one placement, in one event. */
  const days = (placementId: string, pupilId: string, list: [string, number][], asOf: string) =>
    newEvent({
      type: 'attendance.days_summarised', producer: 'placement', key: pupilId,
      payload: {
        placementId, pupilId, providerId, schoolUrn: school, laCode: LA, asOf,
        days: list.map(([date, attended]) => ({ date, possibleSessions: 2, attendedSessions: attended, authorisedAbsenceSessions: 0, unauthorisedAbsenceSessions: 2 - attended })),
      },
    });
  const started = (placementId: string, pupilId: string, referralId: string, startDate: string) =>
    newEvent({
      type: 'placement.started', producer: 'placement', key: pupilId,
      payload: { placementId, referralId, pupilId, providerId, startedAt: `${startDate}T09:00:00.000Z`, schoolUrn: school, startDate, placementType: 'DAY6_PROVISION', fullTime: true, costPerDay: 95, homeLaCode: LA },
    });

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(outcomesService);
    bus = new KafkaEventBus({ clientId: 'outcomes-read-model-test' });
    await service.dataSource.query(`INSERT INTO directory_provider (id, la_code) VALUES ($1, $2)`, [providerId, LA]);

    // The placement's events first; its referral (other topic) later: the cohort still reaches the row.
    await publish('placement', [
      started(placementA, pupilA, referralA, '2025-09-10'),
      day(placementA, pupilA, '2025-09-10', 2, '2025-09-10T16:00:00.000Z'),
      day(placementA, pupilA, '2025-09-11', 0, '2025-09-11T10:00:00.000Z'),
      // The 11th re-published after a late mark (in the list form): the newest wins …
      days(placementA, pupilA, [['2025-09-11', 2]], '2025-09-11T15:00:00.000Z'),
      // … and stale copies delivered later, in either form, are ignored day by day (the 12th in the same event counts).
      day(placementA, pupilA, '2025-09-11', 1, '2025-09-11T12:00:00.000Z'),
      days(placementA, pupilA, [['2025-09-11', 0], ['2025-09-12', 1]], '2025-09-11T13:00:00.000Z'),
      newEvent({ type: 'placement.ended', producer: 'placement', key: pupilA, payload: { placementId: placementA, pupilId: pupilA, providerId, schoolUrn: school, endedOn: '2025-10-01', endReason: 'REINTEGRATED_MAINSTREAM' } }),
      started(placementB, pupilB, placementB, '2025-09-15'),
      days(placementB, pupilB, [['2025-09-15', 1]], '2025-09-15T16:00:00.000Z'),
    ]);
    await publish('referral', [
      newEvent({
        type: 'referral.accepted', producer: 'referral', key: pupilA,
        payload: {
          referralId: referralA, pupilId: pupilA, providerId, schoolUrn: school, reason: 'PERMANENT_EXCLUSION', acceptedAt: '2025-09-08T12:00:00.000Z', homeLaCode: LA,
          cohort: { homeLaCode: LA, senStatus: 'EHCP', pupilPremium: true, lookedAfter: false, hasSocialWorker: true, yearGroup: 10, keyStage: 'KS4', academicYear: '2025/26' },
          day6Deadline: '2025-09-12', currentAttendancePercent: 55,
        },
      }),
    ]);
    await eventually(async () => {
      const { apOutcomes } = await figures(service);
      // The referral (its topic) and the placement's last event (placement.ended, on the pupil's partition) are both in.
      expect(apOutcomes.find((g: { key: { senStatus: string } }) => g.key.senStatus === 'EHCP')).toMatchObject({ averageDaysToStart: 2, placementsEnded: 1, possibleSessions: 6 });
      expect(apOutcomes.find((g: { key: { senStatus: string } }) => g.key.senStatus === null)?.possibleSessions).toBe(2);
    });
    // Records entered here (published on outcomes' own topic too).
    await call(service, la, `mutation($i: RecordAttainmentInput!) { recordAttainment(input: $i) { id } }`, { i: { placementId: placementA, subject: 'ENGLISH', qualification: 'GCSE', grade: '5', achievedOn: '2025-09-30' } });
    await call(service, la, `mutation($i: RecordAttainmentInput!) { recordAttainment(input: $i) { id } }`, { i: { placementId: placementA, subject: 'MATHS', qualification: 'FUNCTIONAL_SKILLS_L2', grade: 'Pass', achievedOn: '2025-09-30' } });
    await call(service, la, `mutation($i: RecordDestinationInput!) { recordDestination(input: $i) { id } }`, { i: { pupilId: pupilA, academicYear: '2025/26', destination: 'EMPLOYMENT', recordedOn: '2025-10-15' } });
    await call(service, la, `mutation($i: RecordSuspensionInput!) { recordSuspension(input: $i) { id } }`, { i: { pupilId: pupilB, startDate: '2025-09-16', days: 0.5 } });
  });
  afterAll(async () => {
    await bus?.close();
    await service?.stop();
  });

  const expected = [
    {
      key: { providerId, senStatus: 'EHCP' },
      pupils: 1, placementsStarted: 1, placementsEnded: 1,
      possibleSessions: 6, attendedSessions: 5, // 2 + 2 (the 11th as re-published) + 1
      attendanceRate: 83.3, attendanceChange: 28.3, // 83.3 % against 55 % at referral
      reintegrationRate: 100, englishAndMathsAchieved: 100, eetRate: 100, neetRate: 0,
      suspensionsDuringPlacement: 0, averageDaysToStart: 2, day6Met: 100,
    },
    {
      // Commissioned directly: no referral, so no cohort.
      key: { providerId, senStatus: null },
      pupils: 1, placementsStarted: 1, placementsEnded: 0, possibleSessions: 2, attendedSessions: 1,
      attendanceRate: 50, attendanceChange: null, reintegrationRate: null, englishAndMathsAchieved: 0, eetRate: null, neetRate: null,
      suspensionsDuringPlacement: 1, averageDaysToStart: null, day6Met: null,
    },
  ];

  it('applies re-published days (newest asOf), out-of-order topics and the records entered here', async () => {
    expect((await figures(service)).apOutcomes).toEqual(expected);
    const [month] = await service.dataSource.query(`SELECT possible, attended FROM outcome_attendance_month WHERE placement_id = $1`, [placementA]);
    expect(month).toEqual({ possible: 6, attended: 5 });
  });

  it('keeps a cursor stable while rows are added', async () => {
    const ROWS = `query($after: String) { outcomeRows(first: 1, after: $after) { nodes { rowId } endCursor hasNextPage } }`;
    const first = (await call(service, la, ROWS)).outcomeRows;
    // A placement heard of now comes after every cursor already handed out.
    const late = randomUUID();
    await publish('placement', [started(late, randomUUID(), late, '2025-09-01')]);
    await eventually(async () => expect((await service.dataSource.query(`SELECT 1 FROM outcome_placement WHERE placement_id = $1`, [late])).length).toBe(1));
    const ids = [first.nodes[0].rowId];
    let page = first;
    while (page.hasNextPage) {
      page = (await call(service, la, ROWS, { after: page.endCursor })).outcomeRows;
      ids.push(...page.nodes.map((n: { rowId: string }) => n.rowId));
    }
    // The two placements' pupils are on different partitions, so either may have come first; the late one is last.
    expect(ids.slice(0, 2).sort()).toEqual([placementA, placementB].sort());
    expect(ids.slice(2)).toEqual([late]);
  });

  it('rebuilds the same figures from the topics from the beginning (fresh database, new consumer group)', async () => {
    const rebuilt = await startTestService(outcomesService, { consumerGroup: `rebuild-${randomUUID()}` });
    try {
      await rebuilt.dataSource.query(`INSERT INTO directory_provider (id, la_code) VALUES ($1, $2)`, [providerId, LA]);
      await eventually(async () => expect((await figures(rebuilt)).apOutcomes).toEqual((await figures(service)).apOutcomes), { timeoutMs: 60_000 });
      const tables = async (s: RunningService) =>
        s.dataSource.query(
          `SELECT placement_id, status, la_code, sen_status, possible_sessions, attended_sessions, english_achieved, maths_achieved, destination, suspensions
             FROM outcome_placement ORDER BY placement_id`,
        );
      expect(await tables(rebuilt)).toEqual(await tables(service));
    } finally {
      await rebuilt.stop();
    }
  });

  it('counts a pupil with two placements once among the group’s pupils', async () => {
    const second = randomUUID();
    await publish('placement', [started(second, pupilA, second, '2025-10-06')]);
    await eventually(async () => {
      const { apOutcomes } = await figures(service);
      expect(apOutcomes.find((g: { key: { senStatus: string } }) => g.key.senStatus === 'EHCP')).toMatchObject({ pupils: 1, placementsStarted: 2, eetRate: 100 });
    });
    const [row] = await service.dataSource.query(`SELECT pupil_placements FROM outcome_placement WHERE placement_id = $1`, [placementA]);
    expect(row.pupil_placements).toBe(2);
  });

  it('reports a pupil placed without a referral by the cohort facts the pupil registry publishes', async () => {
    const pupilC = randomUUID();
    const placementC = randomUUID();
    const otherProvider = randomUUID();
    await service.dataSource.query(`INSERT INTO directory_provider (id, la_code) VALUES ($1, $2)`, [otherProvider, LA]);
    const cohort = (senStatus: string, lookedAfter: boolean) =>
      newEvent({
        type: 'pupil.cohort_changed', producer: 'referral', key: pupilC,
        payload: { pupilId: pupilC, cohort: { homeLaCode: LA, senStatus: senStatus as 'SEN_SUPPORT', pupilPremium: true, lookedAfter, hasSocialWorker: false, yearGroup: 9, keyStage: 'KS3', academicYear: '2025/26' } },
      });
    // Commissioned directly (no referral): only the registry's events say who the pupil is.
    await publish('placement', [
      newEvent({
        type: 'placement.started', producer: 'placement', key: pupilC,
        payload: { placementId: placementC, referralId: placementC, pupilId: pupilC, providerId: otherProvider, startedAt: '2025-09-22T09:00:00.000Z', schoolUrn: school, startDate: '2025-09-22', placementType: 'MEDICAL', fullTime: true },
      }),
    ]);
    const first = cohort('SEN_SUPPORT', false);
    const changed = cohort('EHCP', true);
    // The change, then the first set delivered again: applied once, the newest facts win.
    await publish('referral', [first, changed, first]);
    const ALL = `query($f: OutcomeFilter) { apOutcomes(filter: $f, groupBy: [KEY_STAGE, SEN_STATUS]) { key { keyStage senStatus } pupils placementsStarted } }`;
    await eventually(async () => {
      const { apOutcomes } = await call(service, la, ALL, { f: { providerId: otherProvider, lookedAfter: true, pupilPremium: true } });
      expect(apOutcomes).toEqual([{ key: { keyStage: 'KS3', senStatus: 'EHCP' }, pupils: 1, placementsStarted: 1 }]);
    });
    expect((await call(service, la, ALL, { f: { providerId: otherProvider, senStatus: 'SEN_SUPPORT' } })).apOutcomes).toEqual([]);
    const [row] = await service.dataSource.query(`SELECT la_code, sen_status, looked_after, key_stage FROM outcome_placement WHERE placement_id = $1`, [placementC]);
    expect(row).toEqual({ la_code: LA, sen_status: 'EHCP', looked_after: true, key_stage: 'KS3' });
  });

  it('keeps the summary the dashboards read as a rebuild from the placement rows would make it', async () => {
    const SUMMARY = `SELECT * FROM outcome_summary WHERE "placementsStarted" <> 0 OR "possibleSessions" <> 0 OR "suspensions" <> 0
                     ORDER BY grain, la_code, provider_id, school_urn, academic_year, key_stage, sen_status, pupil_premium, looked_after, has_social_worker`;
    const kept = await service.dataSource.query(SUMMARY);
    expect(kept.length).toBeGreaterThan(0);
    // Rebuilt in a transaction that is rolled back, so the service's own summary stays as kept.
    const runner = service.dataSource.createQueryRunner();
    await runner.startTransaction();
    let rebuilt: unknown[];
    try {
      await rebuildSummary(runner);
      rebuilt = await runner.query(SUMMARY);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(rebuilt).toEqual(kept);
  });
});
