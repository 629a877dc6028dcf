import { DirectoryProvider } from '@ap/events';
import { Audit } from './audit';
import { AuditAction, AuditTemplate, MonitoringVisit, ProviderComplianceRecord } from './cycle';

export { Audit, AuditAction, AuditTemplate, DirectoryProvider, MonitoringVisit, ProviderComplianceRecord };
export type { FollowUp, VisitFinding, VisitType } from './cycle';
export { VISIT_TYPES } from './cycle';
export const entities = [Audit, AuditTemplate, AuditAction, MonitoringVisit, ProviderComplianceRecord, DirectoryProvider];
