import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { loaderById, loaderOfMany } from '@ap/db';
import type { RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Audit, AuditAction, AuditTemplate, DirectoryProvider, MonitoringVisit, ProviderComplianceRecord } from './entities';

import { In } from 'typeorm';

export interface SafeguardingContext extends RequestContext {
  db: DataSource;
  /** A provider's audits, batched across providers in one query. */
  auditsByProvider: DataLoader<string, Audit[]>;
  /** The providers this service knows from the directory's events (their LA), batched. */
  directoryProviders: DataLoader<string, DirectoryProvider | null>;
  templates: DataLoader<string, AuditTemplate | null>;
  actionsByAudit: DataLoader<string, AuditAction[]>;
  visitsByProvider: DataLoader<string, MonitoringVisit[]>;
  complianceByProvider: DataLoader<string, ProviderComplianceRecord | null>;
}

export function safeguardingContext(base: RequestContext, deps: ServiceDeps): SafeguardingContext {
  const db = deps.dataSource;
  return {
    ...base,
    db,
    // Scheduled audits (not completed yet) first, then completed ones newest first.
    auditsByProvider: loaderOfMany(db, Audit, 'providerId', { completedAt: { direction: 'DESC', nulls: 'FIRST' }, scheduledAt: 'DESC' }),
    directoryProviders: loaderById(db, DirectoryProvider),
    templates: loaderById(db, AuditTemplate),
    actionsByAudit: loaderOfMany(db, AuditAction, 'auditId', { dueDate: 'ASC', createdAt: 'ASC' }),
    visitsByProvider: loaderOfMany(db, MonitoringVisit, 'providerId', { visitedOn: 'DESC', recordedAt: 'DESC' }),
    complianceByProvider: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.getRepository(ProviderComplianceRecord).findBy({ providerId: In([...ids]) });
      const byId = new Map(rows.map((r) => [r.providerId, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
