import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import type { RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Provider } from './entities';

export interface DirectoryContext extends RequestContext {
  db: DataSource;
  /** Batches provider look-ups: one query per _entities call, whatever the number of keys. */
  providers: DataLoader<string, Provider | null>;
}

export function directoryContext(base: RequestContext, deps: ServiceDeps): DirectoryContext {
  const db = deps.dataSource;
  return {
    ...base,
    db,
    providers: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Provider).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((p) => [p.id, p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
