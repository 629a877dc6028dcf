import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { loaderOfMany } from '@ap/db';
import type { RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Audit } from './entities';

export interface SafeguardingContext extends RequestContext {
  db: DataSource;
  /** A provider's audits, batched across providers in one query. */
  auditsByProvider: DataLoader<string, Audit[]>;
}

export function safeguardingContext(base: RequestContext, deps: ServiceDeps): SafeguardingContext {
  const db = deps.dataSource;
  return {
    ...base,
    db,
    auditsByProvider: loaderOfMany(db, Audit, 'providerId', { completedAt: 'DESC' }),
  };
}
