import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import type { Principal, RequestContext } from '@ap/auth';
import type { ServiceDeps } from '@ap/subgraph';
import { Pupil, Referral } from './entities';
import { PupilReadLog } from './pupil-reads';

export interface ReferralContext extends RequestContext {
  db: DataSource;
  /** The caller; resolvers behind the shield only run for an authenticated principal. */
  principal: Principal | null;
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
    pupils: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Pupil).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((p) => [p.id, p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    referralsByPupil: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Referral).find({ where: { pupilId: In([...ids]) }, order: { submittedAt: 'ASC' } });
      return ids.map((id) => rows.filter((r) => r.pupilId === id));
    }),
    pupilReads: new PupilReadLog(db, base),
  };
}
