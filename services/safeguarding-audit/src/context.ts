import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { loaderById, loaderOfMany } from '@ap/db';
import type { RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Audit, DirectoryProvider } from './entities';

export interface SafeguardingContext extends RequestContext {
  db: DataSource;
  /** A provider's audits, batched across providers in one query. */
  auditsByProvider: DataLoader<string, Audit[]>;
  /** The providers this service knows from the directory's events (their LA), batched. */
  directoryProviders: DataLoader<string, DirectoryProvider | null>;
}

export function safeguardingContext(base: RequestContext, deps: ServiceDeps): SafeguardingContext {
  const db = deps.dataSource;
  return {
    ...base,
    db,
    auditsByProvider: loaderOfMany(db, Audit, 'providerId', { completedAt: 'DESC' }),
    directoryProviders: loaderById(db, DirectoryProvider),
  };
}
