import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { loaderById, loaderOfMany, PupilReadLog } from '@ap/db';
import { pupilReaderOf, type RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Pupil, Referral } from './entities';

export interface ReferralContext extends RequestContext {
  db: DataSource;
  /** Batches pupil look-ups, so the gateway's _entities call costs one query for any number of keys. */
  pupils: DataLoader<string, Pupil | null>;
  referralsByPupil: DataLoader<string, Referral[]>;
  pupilReads: PupilReadLog;
}

export function referralContext(base: RequestContext, deps: ServiceDeps): ReferralContext {
  const db = deps.dataSource;
  return {
    ...base,
    db,
    pupils: loaderById(db, Pupil),
    referralsByPupil: loaderOfMany(db, Referral, 'pupilId', { submittedAt: 'ASC' }),
    pupilReads: new PupilReadLog(db, pupilReaderOf(base)),
  };
}
