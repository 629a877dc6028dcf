import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import type { OutcomeFilter, OutcomeGrouping } from '../src/__generated__/resolvers-types';
import type { OutcomesContext } from '../src/context';
import { outcomeScope } from '../src/domain/access';
import { EET_DESTINATIONS, outcomeMeasures } from '../src/domain/measures';
import { apOutcomes, placementConditions } from '../src/figures';
import { outcomesService } from '../src/server';
import { COMPONENTS, rebuildSummary } from '../src/summary';

jest.setTimeout(120_000);

/**
 * apOutcomes reads the summary (src/summary.ts); these are the figures a plain scan of the
 * placement rows gives, for 3,000 placements of every shape (pupils with several placements across
 * providers, schools and years; unknown cohorts and LAs), every scope, grouping and filter.
 */
describe('the dashboards’ summary', () => {
  let service: RunningService;
  const providers = Array.from({ length: 6 }, () => randomUUID());

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(outcomesService);
    const db = service.dataSource;
    let seed = 7;
    const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    let pupil = randomUUID();
    const rows: unknown[][] = [];
    for (let i = 0; i < 3000; i++) {
      if (random() < 0.6) pupil = randomUUID(); // two in five placements are another of the same pupil's
      const possible = pick([0, 10, 20]);
      rows.push([
        randomUUID(), pupil, pick(providers), pick(['100001', '100002', null]), pick(['865', '344', null]), pick(['2024/25', '2025/26']), pick(['KS3', 'KS4', null]),
        pick(['NONE', 'EHCP', null]), pick([true, false, null]), pick([true, false]), pick([true, false, null]), pick(['ACTIVE', 'ENDED', 'CANCELLED']),
        pick(['REINTEGRATED_MAINSTREAM', 'OTHER', null]), random() < 0.95 ? pick(['2025-01-10', '2025-09-15']) : null, pick(['2025-01-05', null]),
        pick(['PERMANENT_EXCLUSION', 'SEMH_NEEDS']), pick(['2025-01-12', null]), pick([55.5, null, 80]), possible, Math.floor(possible * random()),
        random() < 0.5, random() < 0.5, pick(['EDUCATION', 'NEET', 'UNKNOWN', null]), pick([0, 1, 2]),
      ]);
    }
    await db.query(
      `INSERT INTO outcome_placement (placement_id, pupil_id, provider_id, school_urn, la_code, academic_year, key_stage, sen_status, pupil_premium, looked_after,
         has_social_worker, status, end_reason, started_on, accepted_on, referral_reason, day6_deadline, attendance_at_referral, possible_sessions, attended_sessions,
         english_achieved, maths_achieved, destination, suspensions)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(a uuid, b uuid, c uuid, d text, e text, f text, g text, h text, i boolean, j boolean, k boolean, l text, m text,
         n date, o date, p text, q date, r numeric, s int, t int, u boolean, v boolean, w text, x int)`,
      [JSON.stringify(rows.map((r) => Object.fromEntries(r.map((v, i) => [String.fromCharCode(97 + i), v]))))],
    );
    await db.query(`UPDATE outcome_placement p SET pupil_placements = GREATEST(1, (SELECT count(*) FROM outcome_placement q WHERE q.pupil_id = p.pupil_id AND q.started_on IS NOT NULL))`);
    await rebuildSummary(db);
  });
  afterAll(() => service?.stop());

  /** The reference: one pass over the started placement rows, distinct pupils by count(DISTINCT). */
  const scanned = async (who: Principal, filter: OutcomeFilter, groupBy: OutcomeGrouping[]) => {
    const column = { PROVIDER: 'provider_id', SCHOOL: 'school_urn', LA: 'la_code', KEY_STAGE: 'key_stage', SEN_STATUS: 'sen_status', ACADEMIC_YEAR: 'academic_year' };
    const totals = Object.entries(COMPONENTS).map(([name, c]) =>
      c.perPupil
        ? `count(DISTINCT x.pupil_id) FILTER (WHERE COALESCE(${c.of}, 0) > 0)::int AS "${name}"`
        : `COALESCE(sum(${c.of}), 0)::${c.float ? 'float8' : 'int'} AS "${name}"`,
    );
    const keys = groupBy.map((g) => `x.${column[g]}`);
    const { where, params } = placementConditions(outcomeScope('Query.apOutcomes', who)!, filter);
    const rows = await service.dataSource.query(
      `SELECT ${totals.join(', ')} FROM outcome_placement x WHERE x.started_on IS NOT NULL AND ${where} ${keys.length ? `GROUP BY ${keys} ORDER BY ${keys}` : ''}`,
      [EET_DESTINATIONS, ...params],
    );
    return rows.map(outcomeMeasures);
  };

  it('gives the figures a scan of the placement rows gives, for every scope, grouping and filter', async () => {
    const who = [principal('LA_OFFICER', 'la:865'), principal('LA_OFFICER', 'la:344'), principal('SCHOOL_USER', 'school:100001'), principal('PROVIDER_USER', `provider:${providers[1]}`)];
    const groupings: OutcomeGrouping[][] = [[], ['PROVIDER'], ['SCHOOL'], ['LA'], ['KEY_STAGE', 'SEN_STATUS'], ['ACADEMIC_YEAR'], ['PROVIDER', 'SCHOOL', 'ACADEMIC_YEAR'], ['SEN_STATUS', 'LA']];
    const filters: OutcomeFilter[] = [{}, { senStatus: 'EHCP' }, { pupilPremium: true }, { schoolUrn: '100001', academicYear: '2025/26' }, { lookedAfter: false, keyStage: 'KS4' }, { providerId: providers[0] }];
    for (const p of who) {
      const ctx = { principal: p, viaGateway: true, traceId: 'summary-test', db: service.dataSource } as unknown as OutcomesContext;
      for (const groupBy of groupings) {
        for (const filter of filters) {
          const got = (await apOutcomes(ctx, filter, groupBy)).map(({ key: _key, ...measures }) => measures);
          expect({ who: p.org, groupBy, filter, figures: got }).toEqual({ who: p.org, groupBy, filter, figures: await scanned(p, filter, groupBy) });
        }
      }
    }
  });
});
