import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { loaderOfMany } from '@ap/db';
import type { RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Placement } from './entities';

export interface PlacementContext extends RequestContext {
  db: DataSource;
  /** A pupil's placements, batched: one query for all the pupils of an _entities call. */
  placementsByPupil: DataLoader<string, Placement[]>;
}

export function placementContext(base: RequestContext, deps: ServiceDeps): PlacementContext {
  const db = deps.dataSource;
  return {
    ...base,
    db,
    placementsByPupil: loaderOfMany(db, Placement, 'pupilId', { plannedAt: 'ASC' }),
  };
}
