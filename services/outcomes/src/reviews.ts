import { requirePrincipal } from '@ap/auth';
import { isIsoDate, openOnCensusDay } from '@ap/domain';
import { forbidden, invalidInput } from '@ap/errors';
import type { CafeDecision } from './__generated__/resolvers-types';
import { OutcomesContext } from './context';
import { mayTouch, outcomeScope } from './domain/access';
import { CafeFacts, cafeReasons } from './domain/cafe';
import { PathwayCount, pathwayEdges } from './domain/pathways';
import { academicYearBounds, schoolUsageFigures } from './domain/usage';
import { englishDate } from './read-model';

/** The LA's reviews and questions: CAFE, schools' use of AP, SEND pathways, and the schools' census module. */

function laCodeArg(laCode: string): string {
  if (!/^\d{3}$/.test(laCode)) throw invalidInput([{ field: 'laCode', message: 'laCode is the LA’s 3-digit code, e.g. 865' }]);
  return laCode;
}

function yearArg(academicYear: string) {
  const bounds = academicYearBounds(academicYear);
  if (!bounds) throw invalidInput([{ field: 'academicYear', message: 'academicYear is written 2025/26' }]);
  return bounds;
}

export async function cafeReviewList(ctx: OutcomesContext, laCode: string, asOf: string | null | undefined) {
  const p = requirePrincipal(ctx);
  laCodeArg(laCode);
  if (asOf != null && !isIsoDate(asOf)) throw invalidInput([{ field: 'asOf', message: 'asOf must be a date written YYYY-MM-DD' }]);
  if (!mayTouch('Query.cafeReviewList', p, { schoolUrns: [], providerIds: [], pupilLaCode: laCode })) {
    throw forbidden(`You may review the children of your own LA only, not LA ${laCode}`);
  }
  const today = asOf ?? englishDate(new Date().toISOString());
  const placements = (await ctx.db.query(
    `SELECT pupil_id, placement_id, full_time, started_on::text, last_mark_on::text FROM outcome_placement
      WHERE la_code = $1 AND status = 'ACTIVE' AND started_on <= $2`,
    [laCode, today],
  )) as { pupil_id: string; placement_id: string; full_time: boolean | null; started_on: string; last_mark_on: string | null }[];
  // Permanent exclusions with no placement started since the referral (day 6 is judged by cafeReasons).
  const exclusions = (await ctx.db.query(
    `SELECT r.pupil_id, r.day6_deadline::text FROM outcome_referral r
      WHERE r.home_la_code = $1 AND r.reason = 'PERMANENT_EXCLUSION' AND r.day6_deadline IS NOT NULL AND r.withdrawn_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM outcome_placement p WHERE p.pupil_id = r.pupil_id AND p.started_on IS NOT NULL
                          AND p.started_on >= (COALESCE(r.submitted_at, r.accepted_at) AT TIME ZONE 'Europe/London')::date)`,
    [laCode],
  )) as { pupil_id: string; day6_deadline: string }[];
  const pupils = new Map<string, CafeFacts & { placementIds: string[] }>();
  const of = (id: string) => {
    let f = pupils.get(id);
    if (!f) pupils.set(id, (f = { activePlacements: [], unmetDay6Deadlines: [], placementIds: [] }));
    return f;
  };
  for (const r of placements) {
    of(r.pupil_id).activePlacements.push({ fullTime: r.full_time, startedOn: r.started_on, lastMarkOn: r.last_mark_on });
    of(r.pupil_id).placementIds.push(r.placement_id);
  }
  for (const r of exclusions) of(r.pupil_id).unmetDay6Deadlines.push(r.day6_deadline);
  const listed = [...pupils.entries()].map(([pupilId, facts]) => ({ pupilId, reasons: cafeReasons(facts, today), placementIds: facts.placementIds })).filter((c) => c.reasons.length);
  if (!listed.length) return [];
  const reviews = (await ctx.db.query(
    `SELECT DISTINCT ON (pupil_id) id, pupil_id AS "pupilId", decision, notes, reviewed_by AS "reviewedBy", reviewed_at AS "reviewedAt"
       FROM cafe_review WHERE pupil_id = ANY($1::uuid[]) AND la_code = $2 ORDER BY pupil_id, reviewed_at DESC`,
    [listed.map((c) => c.pupilId), laCode],
  )) as { id: string; pupilId: string; decision: CafeDecision; notes: string; reviewedBy: string; reviewedAt: Date }[];
  const last = new Map(reviews.map((r) => [r.pupilId, { ...r, reviewedAt: r.reviewedAt.toISOString() }]));
  return listed.sort((a, b) => b.reasons.length - a.reasons.length || a.pupilId.localeCompare(b.pupilId)).map((c) => ({ ...c, lastReview: last.get(c.pupilId) ?? null }));
}

export async function schoolUsage(ctx: OutcomesContext, laCode: string, academicYear: string) {
  const p = requirePrincipal(ctx);
  laCodeArg(laCode);
  const { from, to } = yearArg(academicYear);
  const scope = outcomeScope('Query.schoolUsage', p);
  // Another LA's schools, and another school's row, are left out (FILTERED).
  if (!scope || ('laCode' in scope && scope.laCode !== laCode) || 'providerId' in scope) return [];
  const school = 'schoolUrn' in scope ? scope.schoolUrn : null;
  const rows = (await ctx.db.query(
    `SELECT p.school_urn AS "schoolUrn", count(*)::int AS placements,
            COALESCE(sum(m.attended), 0)::int AS "attendedSessions",
            COALESCE(sum(m.attended * p.cost_per_day), 0)::float8 AS "sessionsTimesCost"
       FROM outcome_placement p
       LEFT JOIN LATERAL (SELECT sum(a.attended) AS attended FROM outcome_attendance_month a
                           WHERE a.placement_id = p.placement_id AND a.month BETWEEN $2 AND $3) m ON true
      WHERE p.la_code = $1 AND p.school_urn IS NOT NULL AND p.started_on IS NOT NULL AND p.started_on <= $3
        AND COALESCE(p.ended_on, p.cancelled_on, $2) >= $2 AND ($4::text IS NULL OR p.school_urn = $4)
      GROUP BY p.school_urn ORDER BY p.school_urn`,
    [laCode, from, to, school],
  )) as { schoolUrn: string; placements: number; attendedSessions: number; sessionsTimesCost: number }[];
  return rows.map((r) => ({ schoolUrn: r.schoolUrn, placements: r.placements, ...schoolUsageFigures(r.attendedSessions, r.sessionsTimesCost) }));
}

export async function sendPathways(ctx: OutcomesContext, laCode: string, academicYear: string) {
  const p = requirePrincipal(ctx);
  laCodeArg(laCode);
  yearArg(academicYear);
  const scope = outcomeScope('Query.sendPathways', p);
  if (!scope || !('laCode' in scope) || scope.laCode !== laCode) return [];
  const counts = (await ctx.db.query(
    `SELECT r.sen_status AS "senStatus", r.reason, r.declined_at IS NOT NULL AS declined, r.withdrawn_at IS NOT NULL AS withdrawn,
            p.placement_type AS "placementType", p.placement_id IS NOT NULL AS placed, p.status, p.end_reason AS "endReason", count(*)::int AS count
       FROM outcome_referral r
       LEFT JOIN outcome_placement p ON p.referral_id = r.referral_id AND p.started_on IS NOT NULL
      WHERE r.home_la_code = $1 AND r.academic_year = $2
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    [laCode, academicYear],
  )) as PathwayCount[];
  return pathwayEdges(counts);
}

export async function censusApPlacements(ctx: OutcomesContext, urn: string, censusDate: string) {
  const p = requirePrincipal(ctx);
  if (!/^\d{6}$/.test(urn)) throw invalidInput([{ field: 'urn', message: 'urn is the school’s 6-digit URN' }]);
  if (!isIsoDate(censusDate)) throw invalidInput([{ field: 'censusDate', message: 'censusDate must be a date written YYYY-MM-DD' }]);
  if (!mayTouch('Query.censusApPlacements', p, { schoolUrns: [urn], providerIds: [], pupilLaCode: null })) {
    throw forbidden(`A school makes its own census return only, not school ${urn}'s`);
  }
  const rows = (await ctx.db.query(
    `SELECT pupil_id, provider_id, started_on::text, COALESCE(ended_on, cancelled_on)::text AS left_on, full_time, sessions_per_week, placement_type
       FROM outcome_placement WHERE school_urn = $1 AND started_on IS NOT NULL AND started_on <= $2 ORDER BY started_on, seq`,
    [urn, censusDate],
  )) as { pupil_id: string; provider_id: string; started_on: string; left_on: string | null; full_time: boolean | null; sessions_per_week: number | null; placement_type: string | null }[];
  return rows
    .filter((r) => openOnCensusDay(r.started_on, r.left_on, censusDate))
    .map((r) => ({
      pupil: { id: r.pupil_id },
      provider: { id: r.provider_id },
      entryDate: r.started_on,
      leavingDate: r.left_on,
      fullTime: r.full_time,
      sessionsPerWeek: r.sessions_per_week,
      placementType: r.placement_type,
    }));
}
