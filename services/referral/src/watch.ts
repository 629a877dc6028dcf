import { Principal, requirePrincipal } from '@ap/auth';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ap/db';
import { forbidden, invalidInput } from '@ap/errors';
import { EventOf, recordEvent } from '@ap/events';
import { today } from '@ap/domain';
import type { Logger } from '@ap/logger';
import { ReferralContext } from './context';
import { byUrgency, DAY6_AT_RISK_DAYS_LEFT, PlacementState, schoolDaysLeft } from './domain/form';
import { Pupil, Referral } from './entities';
import { referralDay6AtRisk } from './events/published';
import { decodeCursor, encodeCursor, pageSize } from './paging';
import { laCalendar } from './referral-flow';

/** The pupil's LA in SQL: home LA, else the LA of the school on roll. */
const PUPIL_LA = `COALESCE(p.home_la_code::text, ds.la_code)`;
const PUPIL_JOIN = `JOIN pupil p ON p.id = r.pupil_id LEFT JOIN directory_school ds ON ds.urn = p.registered_by_school_urn::text`;

/**
 * The referrals waiting for the caller's answer, oldest first: a provider's those sent to it, an
 * LA's those of its pupils (the panel's unassigned ones included). Keyset-paged on (submitted_at, id).
 */
export async function referralsAwaitingResponse(ctx: ReferralContext, first: number | null | undefined, after: string | null | undefined) {
  const p = requirePrincipal(ctx);
  const size = pageSize(first);
  const cursor = decodeCursor(after, 'after');
  const [at, id] = cursor ? cursor.split('|') : [null, null];
  if (cursor && (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id))) throw invalidInput([{ field: 'after', message: 'after must be an endCursor from an earlier page' }]);
  const qb = ctx.db.getRepository(Referral).createQueryBuilder('r').where(`r.status IN ('SUBMITTED', 'UNDER_REVIEW')`);
  if (p.org.type === 'provider' && p.role === 'PROVIDER_USER') qb.andWhere('r.provider_id = :org', { org: p.org.id });
  else if (p.org.type === 'la' && (p.role === 'LA_ADMIN' || p.role === 'LA_OFFICER')) {
    qb.innerJoin(Pupil, 'p', 'p.id = r.pupil_id')
      .leftJoin('directory_school', 'ds', 'ds.urn = p.registered_by_school_urn::text')
      .andWhere(`${PUPIL_LA} = :org`, { org: p.org.id });
  } else return { nodes: [], endCursor: null, hasNextPage: false };
  if (at && id) qb.andWhere('(r.submitted_at, r.id) > (:at, :id)', { at, id });
  const rows = await qb.orderBy('r.submitted_at', 'ASC').addOrderBy('r.id', 'ASC').limit(size + 1).getMany();
  const nodes = rows.slice(0, size);
  const last = nodes[nodes.length - 1];
  const hasNextPage = rows.length > size;
  return { nodes, hasNextPage, endCursor: hasNextPage && last?.submittedAt ? encodeCursor(`${last.submittedAt.toISOString()}|${last.id}`) : null };
}

interface WatchRow {
  referral_id: string;
  pupil_id: string;
  day6_deadline: string;
  status: string;
  placement_status: PlacementState | null;
  submitted_at: Date | null;
}

/**
 * Every permanently excluded pupil of the LA whose full-time provision has not started: per pupil
 * its referral nearest to a placement (planned first, then the latest), with the school days left
 * before day 6 on the LA's calendar; most urgent first.
 */
export async function day6Watchlist(ctx: ReferralContext, laCode: string) {
  const p: Principal = requirePrincipal(ctx);
  if (p.org.type !== 'la' || p.org.id !== laCode) throw forbidden('An LA officer sees only their own LA’s day-6 watchlist: laCode must be your LA');
  const rows: WatchRow[] = await ctx.db.query(
    `SELECT r.id AS referral_id, r.pupil_id, to_char(r.day6_deadline, 'YYYY-MM-DD') AS day6_deadline, r.status, r.placement_status, r.submitted_at
       FROM referral r ${PUPIL_JOIN}
      WHERE r.reason = 'PERMANENT_EXCLUSION' AND r.day6_deadline IS NOT NULL AND r.status <> 'DRAFT'
        AND ${PUPIL_LA} = $1
        AND NOT EXISTS (SELECT 1 FROM referral s WHERE s.pupil_id = r.pupil_id AND s.placement_status = 'STARTED')`,
    [laCode],
  );
  const byPupil = new Map<string, WatchRow[]>();
  for (const r of rows) byPupil.set(r.pupil_id, [...(byPupil.get(r.pupil_id) ?? []), r]);
  const day = today();
  const entries = [...byPupil.values()].map((rs) => {
    const planned = rs.some((r) => r.placement_status === 'PLANNED');
    const chosen = [...rs].sort(
      (a, b) =>
        Number(b.placement_status === 'PLANNED') - Number(a.placement_status === 'PLANNED') ||
        (b.submitted_at?.getTime() ?? 0) - (a.submitted_at?.getTime() ?? 0),
    )[0];
    return {
      pupilId: chosen.pupil_id,
      referralId: chosen.referral_id,
      day6Deadline: chosen.day6_deadline,
      schoolDaysLeft: schoolDaysLeft(day, chosen.day6_deadline, laCalendar),
      placementPlanned: planned,
      placementStarted: false,
    };
  });
  entries.sort(byUrgency);
  const [pupils, referrals] = await Promise.all([
    Promise.all(entries.map((e) => ctx.pupils.load(e.pupilId))),
    entries.length ? ctx.db.getRepository(Referral).findBy(entries.map((e) => ({ id: e.referralId }))) : Promise.resolve([]),
  ]);
  const referralById = new Map(referrals.map((r) => [r.id, r]));
  return entries.map((e, i) => ({ ...e, pupil: pupils[i] as Pupil, referral: referralById.get(e.referralId) as Referral }));
}

/**
 * The scheduled day-6 check: publishes referral.day6_at_risk once for each permanent-exclusion
 * referral in its last two school days (or later) while the pupil has no accepted placement.
 * Claiming the referral (day6_alerted_at) and recording the event are one transaction, and the
 * claim holds only if nobody claimed first, so two runs at once publish once.
 */
export async function checkDay6AtRisk(db: DataSource, logger?: Logger): Promise<number> {
  const candidates: { id: string; pupil_id: string; day6_deadline: string; la_code: string | null }[] = await db.query(
    `SELECT r.id, r.pupil_id, to_char(r.day6_deadline, 'YYYY-MM-DD') AS day6_deadline, ${PUPIL_LA} AS la_code
       FROM referral r ${PUPIL_JOIN}
      WHERE r.reason = 'PERMANENT_EXCLUSION' AND r.day6_deadline IS NOT NULL AND r.day6_alerted_at IS NULL
        AND r.status IN ('SUBMITTED', 'UNDER_REVIEW', 'DECLINED')
        AND NOT EXISTS (SELECT 1 FROM referral s WHERE s.pupil_id = r.pupil_id AND s.status = 'ACCEPTED'
                         AND (s.placement_status IS NULL OR s.placement_status NOT IN ('ENDED', 'CANCELLED')))`,
  );
  const day = today();
  let published = 0;
  for (const c of candidates) {
    let left: number;
    try {
      left = schoolDaysLeft(day, c.day6_deadline, laCalendar);
    } catch (err) {
      logger?.warn({ err, referralId: c.id }, 'day-6 check: the LA calendar does not cover this referral');
      continue;
    }
    if (left > DAY6_AT_RISK_DAYS_LEFT) continue;
    const claimed = await inTransaction(db, async (tx: EntityManager) => {
      const rows: unknown[] = await tx.query(`UPDATE referral SET day6_alerted_at = now() WHERE id = $1 AND day6_alerted_at IS NULL RETURNING id`, [c.id]);
      // pg returns [rows, count] for UPDATE … RETURNING through TypeORM's query.
      const got = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
      if (got === 0) return false;
      await recordEvent(tx, referralDay6AtRisk({ id: c.id, pupilId: c.pupil_id, day6Deadline: c.day6_deadline }, c.la_code, left));
      return true;
    });
    if (claimed) published += 1;
  }
  return published;
}

/** Placement events, by referral: a later state never goes back to an earlier one (redelivery, reordering). */
const RANK: Record<PlacementState, number> = { PLANNED: 1, STARTED: 2, ENDED: 3, CANCELLED: 3 };

async function placementState(tx: EntityManager, referralId: string | null | undefined, placementId: string, state: PlacementState): Promise<void> {
  if (!referralId) return;
  const lower = Object.entries(RANK).filter(([, r]) => r < RANK[state]).map(([s]) => s);
  await tx.query(
    `UPDATE referral SET placement_id = $2, placement_status = $3, updated_at = now()
      WHERE id = $1 AND (placement_status IS NULL OR placement_status = ANY($4::text[]))`,
    [referralId, placementId, state, lower],
  );
}

/**
 * The referral service follows the placements made from its referrals: the day-6 watchlist shows
 * planned and started ones, and a placement that ended or was cancelled releases the pupil (the
 * one-accepted-referral rule then lets another provider accept).
 */
export const placementHandlers = {
  'placement.planned': (e: EventOf<'placement.planned'>, tx: EntityManager) => placementState(tx, e.payload.referralId, e.payload.placementId, 'PLANNED'),
  'placement.started': (e: EventOf<'placement.started'>, tx: EntityManager) => placementState(tx, e.payload.referralId, e.payload.placementId, 'STARTED'),
  'placement.ended': (e: EventOf<'placement.ended'>, tx: EntityManager) => placementState(tx, e.payload.referralId, e.payload.placementId, 'ENDED'),
  'placement.cancelled': (e: EventOf<'placement.cancelled'>, tx: EntityManager) => placementState(tx, e.payload.referralId, e.payload.placementId, 'CANCELLED'),
};
