import type { ConsumerDefinition } from '@ap/subgraph';
import { applyAuditCompleted } from '../providers';

/** The directory hears of every completed safeguarding audit and updates compliance. */
export const directoryConsumer = (): ConsumerDefinition => ({
  from: ['safeguarding-audit'],
  handlers: { 'audit.completed': applyAuditCompleted },
});
