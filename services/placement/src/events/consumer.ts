import type { EntityManager } from 'typeorm';
import { directoryOfferHandlers, directoryProviderHandlers, directorySchoolHandlers, EventOf, providerComplianceHandlers } from '@ap/events';
import type { ConsumerDefinition, ServiceDeps } from '@ap/subgraph';
import { planPlacementForReferral, reassessRegistration } from '../placements';

/** The provider's registration type decides whether the registration rule applies to it. */
async function providerRegistered(event: EventOf<'provider.registered'>, tx: EntityManager): Promise<void> {
  await directoryProviderHandlers['provider.registered'](event, tx);
  await tx.query(
    `INSERT INTO provider_registration (provider_id, registration_type) VALUES ($1, $2)
     ON CONFLICT (provider_id) DO UPDATE SET registration_type = EXCLUDED.registration_type, updated_at = now()`,
    [event.payload.providerId, event.payload.registrationType],
  );
  await reassessRegistration(tx, event.payload.providerId);
}

/**
 * Until the audit service publishes provider.compliance_changed, an audit's outcome is the
 * provider's compliance from its completion: the same shared handler applies it, so a later
 * compliance_changed (or an older audit arriving late) is ordered by its time.
 */
async function auditCompleted(event: EventOf<'audit.completed'>, tx: EntityManager): Promise<void> {
  const { providerId, compliance, completedAt } = event.payload;
  await providerComplianceHandlers['provider.compliance_changed'](
    { ...event, type: 'provider.compliance_changed', payload: { providerId, compliance, reason: `audit ${event.payload.auditId}`, effectiveAt: completedAt } },
    tx,
  );
}

/**
 * Accepted referrals become planned placements, unless the pupil already has a full-time one
 * open; providers' status and compliance come from the directory's and audit's events (the shared
 * directory read model), schools' LAs and offers' capacity from the directory.
 */
export const placementConsumer = (deps: ServiceDeps): ConsumerDefinition => ({
  from: ['referral', 'directory', 'safeguarding-audit'],
  handlers: {
    'referral.accepted': (event, tx) => planPlacementForReferral(event, tx, deps.logger),
    ...directoryProviderHandlers,
    'provider.registered': providerRegistered,
    ...directorySchoolHandlers,
    ...directoryOfferHandlers,
    ...providerComplianceHandlers,
    'audit.completed': auditCompleted,
  },
});
