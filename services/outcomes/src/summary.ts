import type { EntityManager } from 'typeorm';
import type { OutcomeTotals } from './domain/measures';
import { EET_DESTINATIONS } from './domain/measures';

/** A placement counts towards attendanceChange when both its AP attendance and its attendance at referral are known. */
const WITH_REFERRAL_ATTENDANCE = `(x.attendance_at_referral IS NOT NULL AND x.possible_sessions > 0)`;

/**
 * The plain totals behind every measure (src/domain/measures.ts makes the ratios), each written
 * once as what one placement (outcome_placement `x`) contributes: a group's total is the sum of
 * its placements' (or, for `perPupil` ones, the count of distinct pupils contributing), and a
 * row's is its own. Only started placements are counted. $1 is the list of EET destinations.
 */
export const COMPONENTS: Record<keyof OutcomeTotals, { of: string; perPupil?: true; float?: true }> = {
  pupils: { of: '1', perPupil: true },
  placementsStarted: { of: '1' },
  placementsEnded: { of: `(x.status = 'ENDED')::int` },
  placementsReintegrated: { of: `(x.status = 'ENDED' AND x.end_reason = 'REINTEGRATED_MAINSTREAM')::int` },
  possibleSessions: { of: 'x.possible_sessions' },
  attendedSessions: { of: 'x.attended_sessions' },
  possibleSessionsWithReferralAttendance: { of: `CASE WHEN ${WITH_REFERRAL_ATTENDANCE} THEN x.possible_sessions ELSE 0 END` },
  attendedSessionsWithReferralAttendance: { of: `CASE WHEN ${WITH_REFERRAL_ATTENDANCE} THEN x.attended_sessions ELSE 0 END` },
  referralAttendanceSum: { of: `CASE WHEN ${WITH_REFERRAL_ATTENDANCE} THEN x.attendance_at_referral ELSE 0 END`, float: true },
  referralAttendanceCount: { of: `${WITH_REFERRAL_ATTENDANCE}::int` },
  englishAndMathsAchieved: { of: `(x.english_achieved AND x.maths_achieved)::int` },
  destinationsRecorded: { of: `(x.destination IS NOT NULL)::int`, perPupil: true },
  destinationsEet: { of: `(x.destination = ANY($1::text[]))::int`, perPupil: true },
  destinationsNeet: { of: `(x.destination = 'NEET')::int`, perPupil: true },
  suspensions: { of: 'x.suspensions' },
  daysToStartSum: { of: 'x.started_on - x.accepted_on' },
  daysToStartCount: { of: '(x.accepted_on IS NOT NULL)::int' },
  day6Cases: { of: `(x.referral_reason = 'PERMANENT_EXCLUSION' AND x.day6_deadline IS NOT NULL)::int` },
  day6Met: { of: `(x.referral_reason = 'PERMANENT_EXCLUSION' AND x.day6_deadline IS NOT NULL AND x.started_on <= x.day6_deadline)::int` },
};

/** The columns a filter, a scope or a grouping can name: a summary row's key is some of them. */
export const SUMMARY_KEYS = ['la_code', 'provider_id', 'school_urn', 'academic_year', 'key_stage', 'sen_status', 'pupil_premium', 'looked_after', 'has_social_worker'] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

/**
 * The grains outcome_summary keeps, smallest first: a query reads the first whose key has every
 * column it filters or groups on. The LA's dashboards (by provider or by school, per year, key stage
 * and SEN status) read a few hundred rows; anything else the full grain, which is never more rows
 * than the placements. A key column outside a grain is stored NULL.
 */
export const GRAINS: readonly { id: number; keys: readonly SummaryKey[] }[] = [
  { id: 1, keys: ['la_code', 'provider_id', 'academic_year', 'key_stage', 'sen_status'] },
  { id: 2, keys: ['la_code', 'school_urn', 'academic_year', 'key_stage', 'sen_status'] },
  { id: 3, keys: SUMMARY_KEYS },
];

export const grainFor = (columns: Iterable<string>) => {
  const needed = [...columns];
  return GRAINS.find((g) => needed.every((c) => (g.keys as readonly string[]).includes(c)))!;
};

/**
 * What one placement adds to a summary row: its component, except that a per-pupil count is kept
 * only for pupils with one started placement (they are in one row of each grain, so they add up);
 * the pupils with more are counted distinct from their placement rows at query time (figures.ts).
 */
const summed = (c: { of: string; perPupil?: true }) => (c.perPupil ? `(x.pupil_placements <= 1 AND COALESCE(${c.of}, 0) > 0)::int` : `COALESCE(${c.of}, 0)`);

const NAMES = Object.keys(COMPONENTS) as (keyof OutcomeTotals)[];
const quoted = NAMES.map((n) => `"${n}"`);

/** The table (created by migration AddOutcomeSummary). */
export const SUMMARY_TABLE_SQL = `
  CREATE TABLE outcome_summary (
    grain smallint NOT NULL,
    la_code text, provider_id uuid, school_urn text, academic_year text, key_stage text, sen_status text,
    pupil_premium boolean, looked_after boolean, has_social_worker boolean,
    ${NAMES.map((n) => `"${n}" ${COMPONENTS[n].float ? 'numeric' : 'bigint'} NOT NULL DEFAULT 0`).join(',\n    ')},
    UNIQUE NULLS NOT DISTINCT (grain, ${SUMMARY_KEYS.join(', ')})
  )`;

/**
 * Adds (sign 1) or takes away (sign -1) the contributions of the started placements matching
 * `where` to every grain's rows, in one statement, rows in key order (so two writers lock them alike).
 */
function contributionSql(where: string, sign: 1 | -1) {
  const keyOf = (k: SummaryKey) => `CASE WHEN g.grain = ANY(ARRAY[${GRAINS.filter((g) => g.keys.includes(k)).map((g) => g.id).join(',')}]::int[]) THEN x.${k} END`;
  const keys = SUMMARY_KEYS.map((k) => `${keyOf(k)} AS ${k}`);
  const positions = SUMMARY_KEYS.map((_, i) => String(i + 2));
  return `
    INSERT INTO outcome_summary (grain, ${SUMMARY_KEYS.join(', ')}, ${quoted.join(', ')})
    SELECT g.grain, ${keys.join(', ')}, ${NAMES.map((n) => `${sign} * sum(${summed(COMPONENTS[n])})`).join(', ')}
    FROM outcome_placement x CROSS JOIN (VALUES ${GRAINS.map((g) => `(${g.id})`).join(', ')}) g(grain)
    WHERE x.started_on IS NOT NULL AND ${where}
    GROUP BY 1, ${positions.join(', ')} ORDER BY 1, ${positions.join(', ')}
    ON CONFLICT (grain, ${SUMMARY_KEYS.join(', ')}) DO UPDATE SET ${quoted.map((q) => `${q} = outcome_summary.${q} + EXCLUDED.${q}`).join(', ')}`;
}

/** Fills the summary from the placement rows (the migration, and the benchmark after its COPY). */
export async function rebuildSummary(db: { query: (sql: string, params?: unknown[]) => Promise<unknown> }): Promise<void> {
  await db.query(`DELETE FROM outcome_summary`);
  await db.query(contributionSql('true', 1), [EET_DESTINATIONS]);
}

/**
 * Runs a change to a pupil's placement rows (or one placement's) and keeps the summary in step, in
 * the same transaction: their contributions are taken away before and added back after. The rows
 * are locked first, so a concurrent change of the same rows (a record entered here while the
 * consumer applies its event) is taken away as it committed, not as an older snapshot saw it.
 * A placement the change may create is created first (it counts for nothing until it starts).
 */
export async function keepingSummary<T>(
  tx: EntityManager,
  rows: { pupilId: string } | { placementId: string },
  change: () => Promise<T>,
  ensure?: () => Promise<void>,
): Promise<T> {
  const [where, id] = 'pupilId' in rows ? ['x.pupil_id = $2', rows.pupilId] : ['x.placement_id = $2', rows.placementId];
  if (ensure) await ensure();
  await tx.query(`SELECT 1 FROM outcome_placement x WHERE ${where.replace('$2', '$1')} ORDER BY placement_id FOR UPDATE`, [id]);
  await tx.query(contributionSql(where, -1), [EET_DESTINATIONS, id]);
  const result = await change();
  await tx.query(contributionSql(where, 1), [EET_DESTINATIONS, id]);
  return result;
}
