import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { loaderById } from '@ap/db';
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
    providers: loaderById(db, Provider),
  };
}
