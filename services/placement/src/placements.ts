import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import type { Logger } from '@ap/logger';
import { now } from '@ap/domain';
import { findForUpdate, inTransaction, isUuid } from '@ap/db';
import { assertRoleAllowed, requirePrincipal } from '@ap/auth';
import { placementAccess } from './access';
import { conflict, notFound } from '@ap/errors';
import { EventOf, recordEvent } from '@ap/events';
import { PlacementContext } from './context';
import { canListPlacement, canSeePlacement, canStartPlacement, checkCanStart, OPEN_PLACEMENT_STATUSES, secondPlacementRefusal } from './domain/placement';
import { Placement } from './entities';
import { placementPlanned, placementStarted } from './events/published';

// The placement service's use cases; each write commits with the event it records.

/**
 * An accepted referral becomes a planned placement (consumer of referral.accepted). The unique
 * referral id backs up the consumer's own de-duplication: one referral, one placement.
 *
 * One open placement per pupil is decided at the source (acceptReferral refuses a second
 * acceptance) and held here by the index placement_one_open_per_pupil. An event that would break
 * it anyway (accepted before that rule, or a race the source missed) is neither dropped, retried
 * nor dead-lettered: it is kept in refused_placement with the placement it collided with, and
 * logged, for the LA to resolve. The event counts as applied, so the consumer moves on.
 */
export async function planPlacementForReferral(event: EventOf<'referral.accepted'>, tx: EntityManager, logger?: Logger): Promise<void> {
  const { referralId, pupilId, providerId, schoolUrn, homeLaCode } = event.payload;
  const placement = { id: randomUUID(), referralId, pupilId, providerId, schoolUrn, homeLaCode: homeLaCode ?? null, status: 'PLANNED' as const };
  // DO NOTHING on any unique index: the referral id (a repeat) or the pupil's open placement.
  const inserted = await tx
    .createQueryBuilder()
    .insert()
    .into(Placement)
    .values(placement)
    .orIgnore()
    .returning('id')
    .execute();
  if (inserted.raw.length > 0) {
    await recordEvent(tx, placementPlanned(placement));
    return;
  }
  if (await tx.getRepository(Placement).existsBy({ referralId })) return;
  const open = await tx.getRepository(Placement).findOneByOrFail({ pupilId, status: In([...OPEN_PLACEMENT_STATUSES]) });
  const reason = secondPlacementRefusal(open);
  await tx.query(
    `INSERT INTO refused_placement (referral_id, pupil_id, provider_id, school_urn, home_la_code, open_placement_id, event_id, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (referral_id) DO NOTHING`,
    [referralId, pupilId, providerId, schoolUrn, homeLaCode ?? null, open.id, event.id, reason],
  );
  logger?.warn({ referralId, pupilId, openPlacementId: open.id, eventId: event.id }, `accepted referral not placed: ${reason}`);
}

export async function startPlacement(ctx: PlacementContext, id: string): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await findForUpdate(tx, Placement, id);
    if (!placement || !canStartPlacement(principal, placement)) {
      throw notFound('Placement', id);
    }
    const can = checkCanStart(placement.status);
    if (!can.ok) throw conflict(can.message);
    const startedAt = now();
    placement.status = 'ACTIVE';
    placement.startedAt = startedAt;
    await tx.getRepository(Placement).save(placement);
    await recordEvent(tx, placementStarted(placement, startedAt));
    return placement;
  });
}

export async function visiblePlacement(ctx: PlacementContext, id: string): Promise<Placement | null> {
  const principal = requirePrincipal(ctx);
  // A role that may never read a placement is told so, also when the gateway resolves the entity.
  assertRoleAllowed(placementAccess, 'Query.placement', principal);
  if (!isUuid(id)) return null;
  const placement = await ctx.db.getRepository(Placement).findOneBy({ id });
  return placement && canSeePlacement(principal, placement) ? placement : null;
}

export async function visiblePlacementsOfPupil(ctx: PlacementContext, pupilId: string): Promise<Placement[]> {
  const principal = ctx.principal;
  if (!principal || !isUuid(pupilId)) return [];
  const placements = await ctx.placementsByPupil.load(pupilId);
  return placements.filter((p) => canListPlacement(principal, p));
}
