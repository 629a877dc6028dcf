import type { EntityManager } from 'typeorm';
import type { EventOf } from '@ap/events';

/**
 * What the referral service learns from the directory's events: a provider becomes referrable
 * once approved. The directory keys its events by provider, so registration arrives before approval.
 */

/** A provider the directory has registered (consumer of provider.registered). */
export async function learnProviderRegistered(event: EventOf<'provider.registered'>, tx: EntityManager): Promise<void> {
  await tx.query(`INSERT INTO directory_provider (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, [event.payload.providerId]);
}

/** A provider the directory has approved, and so one a school may refer to (consumer of provider.approved). */
export async function learnProviderApproved(event: EventOf<'provider.approved'>, tx: EntityManager): Promise<void> {
  await tx.query(
    `INSERT INTO directory_provider (id, approved) VALUES ($1, true)
     ON CONFLICT (id) DO UPDATE SET approved = true, updated_at = now()`,
    [event.payload.providerId],
  );
}
