import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { In, IsNull } from 'typeorm';
import { now } from '@ap/domain';
import { createOnce, findForUpdate, inTransaction, isUuid } from '@ap/db';
import { mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { conflict, invalidInput, notFound } from '@ap/errors';
import { EventOf, recordEvent } from '@ap/events';
import { directoryAccess } from './access';
import type { DirectoryContext } from './context';
import { checkOfferDetails } from './domain/offer';
import { Offer, OfferPlace, Provider } from './entities';
import { offerChanged } from './events/published';
import { factsOf, maySeeProvider } from './providers';
import type { OfferInput } from './__generated__/resolvers-types';

/**
 * Whether the caller may change this provider's offers: its LA's admin always; the provider's own
 * user only while it has APPLIED (once approved, the LA owns what the directory says).
 */
function mayEditOffers(operation: string, principal: Principal, provider: Provider): boolean {
  if (!mayAccess(directoryAccess, operation, principal, factsOf(provider))) return false;
  return principal.org.type !== 'provider' || provider.approvalStatus === 'APPLIED';
}

function refuseEdit(principal: Principal, provider: Provider | null, what: string, id: string): void {
  // A provider editing its own approved offers is told why; anyone else learns nothing.
  if (provider && principal.org.type === 'provider' && principal.org.id === provider.id && provider.approvalStatus !== 'APPLIED') {
    throw conflict(`Your offers can be changed only while your application is open; the provider is ${provider.approvalStatus}: ask your LA to change them`);
  }
  throw notFound(what, id);
}

export async function addOffer(ctx: DirectoryContext, providerId: string, input: OfferInput): Promise<Offer> {
  const principal = requirePrincipal(ctx);
  const checked = checkOfferDetails(input);
  if (!checked.ok) throw invalidInput(checked.problems);
  if (!isUuid(providerId)) throw notFound('Provider', providerId);
  return createOnce(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'addOffer', input: { providerId, input } },
    {
      create: async (tx) => {
        const provider = await findForUpdate(tx, Provider, providerId);
        if (!provider || !mayEditOffers('Mutation.addOffer', principal, provider)) refuseEdit(principal, provider, 'Provider', providerId);
        if (provider!.approvalStatus === 'WITHDRAWN') throw conflict('A withdrawn provider cannot add offers');
        const offer = Object.assign(new Offer(), { id: randomUUID(), providerId, ...checked.value, placesInUse: 0, closedAt: null });
        await tx.getRepository(Offer).insert(offer);
        const saved = await tx.getRepository(Offer).findOneByOrFail({ id: offer.id });
        await recordEvent(tx, offerChanged(saved, provider!, now()));
        return saved;
      },
      idOf: (o) => o.id,
      replay: (id) => ctx.db.getRepository(Offer).findOneBy({ id }),
    },
  );
}

/** The offer and its provider, locked, if the caller may change it; NOT_FOUND otherwise. */
async function offerToChange(tx: EntityManager, principal: Principal, operation: string, id: string): Promise<{ offer: Offer; provider: Provider }> {
  if (!isUuid(id)) throw notFound('Offer', id);
  const offer = await findForUpdate(tx, Offer, id);
  const provider = offer ? await tx.getRepository(Provider).findOneBy({ id: offer.providerId }) : null;
  if (!offer || !provider || !mayEditOffers(operation, principal, provider)) refuseEdit(principal, provider, 'Offer', id);
  return { offer: offer!, provider: provider! };
}

export async function updateOffer(ctx: DirectoryContext, id: string, input: OfferInput): Promise<Offer> {
  const principal = requirePrincipal(ctx);
  const checked = checkOfferDetails(input);
  if (!checked.ok) throw invalidInput(checked.problems);
  return inTransaction(ctx.db, async (tx) => {
    const { offer, provider } = await offerToChange(tx, principal, 'Mutation.updateOffer', id);
    if (offer.closedAt) throw conflict('This offer is closed; add a new one instead');
    Object.assign(offer, checked.value);
    await tx.getRepository(Offer).save(offer);
    await recordEvent(tx, offerChanged(offer, provider, now()));
    return offer;
  });
}

export async function closeOffer(ctx: DirectoryContext, id: string): Promise<Offer> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const { offer, provider } = await offerToChange(tx, principal, 'Mutation.closeOffer', id);
    // Closing twice is harmless: the first close stands (and is published once).
    if (!offer.closedAt) {
      offer.closedAt = now();
      await tx.getRepository(Offer).save(offer);
      await recordEvent(tx, offerChanged(offer, provider, offer.closedAt));
    }
    return offer;
  });
}

/** Open offers of providers, for Provider.offers (the provider itself was already access-checked). */
export async function offersOf(ctx: DirectoryContext, providerId: string): Promise<Offer[]> {
  return ctx.db.getRepository(Offer).find({ where: { providerId, closedAt: IsNull() }, order: { name: 'ASC', id: 'ASC' } });
}

/** An offer entity other subgraphs reference: visible when its provider is. */
export async function findOffer(ctx: DirectoryContext, id: string): Promise<Offer | null> {
  if (!isUuid(id)) return null;
  const offer = await ctx.db.getRepository(Offer).findOneBy({ id });
  if (!offer) return null;
  const provider = await ctx.providers.load(offer.providerId);
  return provider && maySeeProvider(requirePrincipal(ctx), provider) ? offer : null;
}

export const offersByIds = (ctx: DirectoryContext, ids: string[]) => ctx.db.getRepository(Offer).findBy({ id: In(ids) });

// Places in use, from the placement service's events. Each placement holds at most one place
// (offer_place, keyed by placement): a redelivered or repeated event changes nothing.

export async function takePlace(event: EventOf<'placement.started'>, tx: EntityManager): Promise<void> {
  const { placementId, offerId } = event.payload;
  if (!offerId) return; // a placement not made against an offer takes no counted place
  const offer = await tx.getRepository(Offer).findOneBy({ id: offerId });
  if (!offer) return; // an offer this directory does not know (nothing to count)
  const inserted: unknown[] = await tx.query(
    `INSERT INTO offer_place (placement_id, offer_id) VALUES ($1, $2) ON CONFLICT (placement_id) DO NOTHING RETURNING placement_id`,
    [placementId, offerId],
  );
  if (inserted.length) await tx.query(`UPDATE offer SET places_in_use = places_in_use + 1 WHERE id = $1`, [offerId]);
}

async function releasePlace(placementId: string, offerId: string | null | undefined, tx: EntityManager): Promise<void> {
  // Arriving before its start (it should not: events are keyed by placement), it leaves a released
  // row behind so that the late start takes no place.
  if (offerId && (await tx.getRepository(Offer).existsBy({ id: offerId }))) {
    await tx.query(`INSERT INTO offer_place (placement_id, offer_id, released_at) VALUES ($1, $2, now()) ON CONFLICT (placement_id) DO NOTHING`, [placementId, offerId]);
  }
  await tx.query(
    `WITH released AS (UPDATE offer_place SET released_at = now() WHERE placement_id = $1 AND released_at IS NULL RETURNING offer_id)
     UPDATE offer SET places_in_use = greatest(places_in_use - 1, 0) FROM released WHERE offer.id = released.offer_id`,
    [placementId],
  );
}

export const placementEnded = (event: EventOf<'placement.ended'>, tx: EntityManager) => releasePlace(event.payload.placementId, event.payload.offerId, tx);
// A placement cancelled before it started never took a place; releasePlace finds none to give back.
export const placementCancelled = (event: EventOf<'placement.cancelled'>, tx: EntityManager) => releasePlace(event.payload.placementId, event.payload.offerId, tx);

export { OfferPlace };
