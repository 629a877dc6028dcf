import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { findForUpdate, inTransaction, isUuid } from '@ap/db';
import { assertRoleAllowed, requirePrincipal } from '@ap/auth';
import { placementAccess } from './access';
import { conflict, notFound } from '@ap/errors';
import { EventEnvelope, recordEvent, ReferralAcceptedV1 } from '@ap/events';
import { PlacementContext } from './context';
import { canListPlacement, canSeePlacement, canStartPlacement, checkCanStart } from './domain/placement';
import { Placement } from './entities';
import { placementPlanned, placementStarted } from './events/published';

// The placement service's use cases; each write commits with the event it records.

/**
 * An accepted referral becomes a planned placement (consumer of referral.accepted). The unique
 * referral id backs up the consumer's own de-duplication: one referral, one placement.
 */
export async function planPlacementForReferral(event: EventEnvelope<ReferralAcceptedV1>, tx: EntityManager): Promise<void> {
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
    if (!placement || !canStartPlacement(principal, placement)) {
      throw notFound('Placement', id);
    }
    const can = checkCanStart(placement.status);
    if (!can.ok) throw conflict(can.message);
    const startedAt = new Date();
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
