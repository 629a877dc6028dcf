import { DataSource } from 'typeorm';
import type { RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';

export interface OutcomesContext extends RequestContext {
  db: DataSource;
}

export function outcomesContext(base: RequestContext, deps: ServiceDeps): OutcomesContext {
  return { ...base, db: deps.dataSource };
}
