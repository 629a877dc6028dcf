import { allowFields, permissionsFromTable } from '@ap/auth';
import { safeguardingAccess } from './access';

/** Role gates from the access table (src/access.ts); the use cases check the provider's LA. */
export const permissions = permissionsFromTable('safeguarding-audit', safeguardingAccess, {
  Audit: allowFields(),
  AuditTemplate: allowFields(),
  AuditSection: allowFields(),
  AuditStandard: allowFields(),
  AuditAnswer: allowFields(),
  StandardRating: allowFields(),
  AuditAction: allowFields(),
  MonitoringVisit: allowFields(),
  VisitFinding: allowFields(),
  FollowUp: allowFields(),
  SafeguardingCompliance: allowFields(),
  RatingCount: allowFields(),
  Provider: allowFields(),
});
