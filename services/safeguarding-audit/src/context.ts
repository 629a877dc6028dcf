import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
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
    auditsByProvider: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Audit).find({ where: { providerId: In([...ids]) }, order: { completedAt: 'DESC' } });
      return ids.map((id) => rows.filter((a) => a.providerId === id));
    }),
  };
}
