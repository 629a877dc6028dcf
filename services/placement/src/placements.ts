import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { now } from '@ap/domain';
import { findForUpdate, inTransaction, isUuid } from '@ap/db';
import { requirePrincipal } from '@ap/auth';
import { conflict, notFound } from '@ap/errors';
import { EventOf, recordEvent } from '@ap/events';
import { PlacementContext } from './context';
import { canSeePlacement, canStartPlacement, checkCanStart } from './domain/placement';
import { Placement } from './entities';
import { placementPlanned, placementStarted } from './events/published';

// The placement service's use cases; each write commits with the event it records.

/**
 * An accepted referral becomes a planned placement (consumer of referral.accepted). The unique
 * referral id backs up the consumer's own de-duplication: one referral, one placement.
 */
export async function planPlacementForReferral(event: EventOf<'referral.accepted'>, tx: EntityManager): Promise<void> {
  const { referralId, pupilId, providerId, schoolUrn, homeLaCode } = event.payload;
  const placement = { id: randomUUID(), referralId, pupilId, providerId, schoolUrn, homeLaCode: homeLaCode ?? null, status: 'PLANNED' as const };
  const inserted = await tx
    .createQueryBuilder()
    .insert()
    .into(Placement)
    .values(placement)
    .orIgnore()
    .returning('id')
    .execute();
  if (inserted.raw.length === 0) return;
  await recordEvent(tx, placementPlanned(placement));
}

export async function startPlacement(ctx: PlacementContext, id: string): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await findForUpdate(tx, Placement, id);
    if (!placement || !canSeePlacement(principal, placement) || !canStartPlacement(principal, placement)) {
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
  if (!isUuid(id) || !ctx.principal) return null;
  const placement = await ctx.db.getRepository(Placement).findOneBy({ id });
  return placement && canSeePlacement(ctx.principal, placement) ? placement : null;
}

export async function visiblePlacementsOfPupil(ctx: PlacementContext, pupilId: string): Promise<Placement[]> {
  const principal = ctx.principal;
  if (!principal || !isUuid(pupilId)) return [];
  const placements = await ctx.placementsByPupil.load(pupilId);
  return placements.filter((p) => canSeePlacement(principal, p));
}
