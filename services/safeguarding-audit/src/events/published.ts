import { AuditCompletedV1, EventEnvelope, newEvent, ProviderComplianceChangedV1 } from '@ap/events';
import type { Audit, ProviderComplianceRecord } from '../entities';

/** The events the safeguarding-audit service publishes (contracts in schemas/events/), keyed by provider. */
const producer = 'safeguarding-audit';

/** Still published for every completed (or re-rated) audit, so the directory keeps working until it reads compliance_changed. */
export const auditCompleted = (audit: Audit): EventEnvelope<AuditCompletedV1> =>
  newEvent({
    type: 'audit.completed',
    producer,
    key: audit.providerId,
    payload: {
      auditId: audit.id,
      providerId: audit.providerId,
      rating: audit.rating!,
      compliance: audit.compliance!,
      completedAt: audit.completedAt!.toISOString(),
    },
  });

/** A change of a provider's derived compliance (only on a change); effectiveAt orders them. */
export const complianceChanged = (record: ProviderComplianceRecord): EventEnvelope<ProviderComplianceChangedV1> =>
  newEvent({
    type: 'provider.compliance_changed',
    producer,
    key: record.providerId,
    payload: {
      providerId: record.providerId,
      compliance: record.compliance,
      reason: record.reason,
      effectiveAt: record.effectiveAt!.toISOString(),
      lastAuditCompletedAt: record.lastAuditCompletedAt?.toISOString() ?? null,
    },
  });
