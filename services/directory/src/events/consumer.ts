import type { ConsumerDefinition } from '@ap/subgraph';
import { placementCancelled, placementEnded, takePlace } from '../offers';
import { applyAuditCompleted, applyComplianceChanged, applyRegistrationRequired } from '../providers';

/**
 * The directory hears of safeguarding results (compliance: provider.compliance_changed is the
 * audit service's authoritative word, EXPIRED included; audit.completed is still applied for audit
 * services that do not publish it yet — both keep the newest by effective time) and of placements
 * taking and giving back places on offers, and of whether a provider must register as an
 * independent school (provider.registration_required, newest by effective time).
 */
export const directoryConsumer = (): ConsumerDefinition => ({
  from: ['safeguarding-audit', 'placement'],
  handlers: {
    'audit.completed': applyAuditCompleted,
    'provider.compliance_changed': applyComplianceChanged,
    'placement.started': takePlace,
    'placement.ended': placementEnded,
    'placement.cancelled': placementCancelled,
    'provider.registration_required': applyRegistrationRequired,
  },
});
