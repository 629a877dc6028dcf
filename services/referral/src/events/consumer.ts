import type { EntityManager } from 'typeorm';
import type { EventEnvelope, ProviderApprovedV1, ProviderRegisteredV1 } from '@ap/events';
import type { ConsumerDefinition } from '@ap/subgraph';

/**
 * The referral service follows the directory: a provider becomes referrable once approved.
 * The directory keys its events by provider, so registration arrives before approval.
 */
async function providerRegistered(event: EventEnvelope<ProviderRegisteredV1>, tx: EntityManager): Promise<void> {
  await tx.query(`INSERT INTO directory_provider (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, [event.payload.providerId]);
}

async function providerApproved(event: EventEnvelope<ProviderApprovedV1>, tx: EntityManager): Promise<void> {
  await tx.query(
    `INSERT INTO directory_provider (id, approved) VALUES ($1, true)
     ON CONFLICT (id) DO UPDATE SET approved = true, updated_at = now()`,
    [event.payload.providerId],
  );
}

export const referralConsumer = (): ConsumerDefinition => ({
  from: ['directory'],
  handlers: { 'provider.registered': providerRegistered, 'provider.approved': providerApproved },
});
