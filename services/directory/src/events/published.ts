import { EventEnvelope, newEvent, ProviderApprovedV1, ProviderRegisteredV1 } from '@ap/events';
import type { Provider } from '../entities';

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
