import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { loaderOfMany, PupilReadLog } from '@ap/db';
import { pupilReaderOf, type RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Placement } from './entities';

export interface PlacementContext extends RequestContext {
  db: DataSource;
  /** A pupil's placements, batched: one query for all the pupils of an _entities call. */
  placementsByPupil: DataLoader<string, Placement[]>;
  /** Reads of a pupil's attendance, progress notes and behaviour incidents, written to pupil_access_log. */
  pupilReads: PupilReadLog;
}

export function placementContext(base: RequestContext, deps: ServiceDeps): PlacementContext {
  const db = deps.dataSource;
  return {
    ...base,
    db,
    placementsByPupil: loaderOfMany(db, Placement, 'pupilId', { plannedAt: 'ASC' }),
    pupilReads: new PupilReadLog(db, pupilReaderOf(base)),
  };
}
