import type { EntityManager } from 'typeorm';
import { isUuid } from '@ap/db';
import { requirePrincipal } from '@ap/auth';
import { invalidInput, notFound } from '@ap/errors';
import type { EventOf } from '@ap/events';
import { OutcomesContext } from './context';
import { canReadProviderOutcomes } from './domain/access';
import { DirectoryProvider, ProviderOutcome } from './entities';

/** Counts a started placement for its provider (consumer of placement.started). */
export async function countPlacementStarted(event: EventOf<'placement.started'>, tx: EntityManager): Promise<void> {
  await tx.query(
    `INSERT INTO provider_outcome (provider_id, placements_started) VALUES ($1, 1)
     ON CONFLICT (provider_id) DO UPDATE SET placements_started = provider_outcome.placements_started + 1, updated_at = now()`,
    [event.payload.providerId],
  );
}

/** Counts a placement that ended with the pupil back in mainstream school (consumer of placement.ended). */
export async function countPlacementEnded(event: EventOf<'placement.ended'>, tx: EntityManager): Promise<void> {
  if (event.payload.endReason !== 'REINTEGRATED_MAINSTREAM') return;
  await tx.query(
    `INSERT INTO provider_outcome (provider_id, placements_reintegrated) VALUES ($1, 1)
     ON CONFLICT (provider_id) DO UPDATE SET placements_reintegrated = provider_outcome.placements_reintegrated + 1, updated_at = now()`,
    [event.payload.providerId],
  );
}

export async function providerOutcomes(ctx: OutcomesContext, providerId: string): Promise<ProviderOutcome> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(providerId)) throw invalidInput([{ field: 'providerId', message: 'providerId must be a provider id from the directory' }]);
  const provider = await ctx.db.getRepository(DirectoryProvider).findOneBy({ id: providerId });
  // Another LA's provider and an unknown one answer alike, so neither is revealed.
  if (!canReadProviderOutcomes(principal, providerId, provider?.laCode ?? null)) throw notFound('Provider', providerId);
  const row = await ctx.db.getRepository(ProviderOutcome).findOneBy({ providerId });
  // A provider with no events yet has zero of everything, not an error.
  return row ?? Object.assign(new ProviderOutcome(), { providerId, placementsStarted: 0, placementsReintegrated: 0 });
}
