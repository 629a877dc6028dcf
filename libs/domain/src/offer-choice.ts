/**
 * A direct referral goes to an open offer of the chosen provider, and a placement takes a place on
 * one (the directory publishes its offers; each service keeps what it heard). Null: never heard of.
 */
export function checkOpenOfferOf(offer: { providerId: string; open: boolean } | null, providerId: string): { ok: true } | { ok: false; message: string } {
  if (!offer) return { ok: false, message: 'The AP directory has no such offer (or has not published it yet): choose one of the provider’s offers' };
  if (offer.providerId !== providerId) return { ok: false, message: 'This offer belongs to another provider: choose one of this provider’s offers' };
  if (!offer.open) return { ok: false, message: 'This offer is closed in the AP directory: choose one of the provider’s open offers' };
  return { ok: true };
}

/** Places not taken on an offer: capacity less the places in use, never negative. */
export const freePlacesOf = (capacity: number, placesInUse: number): number => Math.max(0, capacity - placesInUse);
