import { AuditCompletedV1, EventEnvelope, newEvent } from '@ap/events';
import type { Audit } from '../entities';

/** The events the safeguarding-audit service publishes (contracts in schemas/events/), keyed by provider. */
const producer = 'safeguarding-audit';

export const auditCompleted = (audit: Audit): EventEnvelope<AuditCompletedV1> =>
  newEvent({
    type: 'audit.completed',
    producer,
    key: audit.providerId,
    payload: {
      auditId: audit.id,
      providerId: audit.providerId,
      rating: audit.rating,
      compliance: audit.compliance,
      completedAt: audit.completedAt.toISOString(),
    },
  });
