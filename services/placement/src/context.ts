import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
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
    placementsByPupil: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Placement).find({ where: { pupilId: In([...ids]) }, order: { plannedAt: 'ASC' } });
      return ids.map((id) => rows.filter((p) => p.pupilId === id));
    }),
  };
}
