import { EventEnvelope, newEvent, OfferChangedV1, ProviderApprovedV1, ProviderRegisteredV1, SchoolRegisteredV1 } from '@ap/events';
import type { Offer, Provider, School } from '../entities';

/** The events the directory publishes (contracts in schemas/events/), keyed by provider. */
const producer = 'directory';

export const providerRegistered = (provider: Provider): EventEnvelope<ProviderRegisteredV1> =>
  newEvent({
    type: 'provider.registered',
    producer,
    key: provider.id,
    payload: { providerId: provider.id, name: provider.name, registrationType: provider.registrationType, laCode: provider.laCode },
  });

export const providerApproved = (provider: Provider, approvedAt: Date): EventEnvelope<ProviderApprovedV1> =>
  newEvent({ type: 'provider.approved', producer, key: provider.id, payload: { providerId: provider.id, approvedAt: approvedAt.toISOString() } });

/** provider.suspended / provider.withdrawn / provider.reinstated, keyed by provider so they stay in order. */
export function providerLifecycle(action: 'suspend' | 'withdraw' | 'reinstate', provider: Provider, reason: string, at: Date): EventEnvelope {
  const base = { providerId: provider.id, laCode: provider.laCode, reason };
  const when = at.toISOString();
  switch (action) {
    case 'suspend':
      return newEvent({ type: 'provider.suspended', producer, key: provider.id, payload: { ...base, suspendedAt: when } });
    case 'withdraw':
      return newEvent({ type: 'provider.withdrawn', producer, key: provider.id, payload: { ...base, withdrawnAt: when } });
    case 'reinstate':
      return newEvent({ type: 'provider.reinstated', producer, key: provider.id, payload: { ...base, reinstatedAt: when } });
  }
}

export const schoolRegistered = (school: School): EventEnvelope<SchoolRegisteredV1> =>
  newEvent({ type: 'school.registered', producer, key: school.urn, payload: { urn: school.urn, name: school.name, phase: school.phase, laCode: school.laCode } });

/** offer.changed: the offer as it now is (added, changed or closed), keyed by offer; the newest effectiveAt wins. */
export const offerChanged = (offer: Offer, provider: Provider, at: Date): EventEnvelope<OfferChangedV1> =>
  newEvent({
    type: 'offer.changed',
    producer,
    key: offer.id,
    payload: {
      offerId: offer.id,
      providerId: offer.providerId,
      laCode: provider.laCode,
      open: offer.closedAt === null,
      capacity: offer.capacity,
      keyStages: offer.keyStages,
      pricePerDay: Number(offer.pricePerDay),
      effectiveAt: at.toISOString(),
    },
  });
