import { randomUUID } from 'node:crypto';
import { Principal, requirePrincipal } from '@ap/auth';
import { inTransaction, isUuid } from '@ap/db';
import { invalidInput, InputProblem, notFound } from '@ap/errors';
import { recordEvents } from '@ap/events';
import { now, today } from '@ap/domain';
import { In } from 'typeorm';
import { ReferralContext } from './context';
import { canReadAccessLog, linkKnownPupil } from './domain/access';
import { checkPupilCircumstances, checkPupilDetails, UNREGISTRABLE_PUPIL } from './domain/referral';
import { planUpsert, UpsertRow, UPSERT_MAX_ROWS } from './domain/upsert';
import { Pupil, PupilAccess } from './entities';
import { pupilCohortChangedSince, pupilRegistered } from './events/published';
import type { PupilUpsertInput } from './__generated__/resolvers-types';
import { decodeCursor, encodeCursor, pageSize } from './paging';

export interface UpsertAnswer {
  index: number;
  upn: string;
  outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED';
  pupilId: string | null;
  problems: InputProblem[];
}

const COLUMNS = ['id', 'upn', 'given_name', 'family_name', 'date_of_birth', 'home_la_code', 'registered_by_school_urn', 'sen_status', 'has_social_worker', 'pupil_premium', 'looked_after'] as const;
const TYPES = ['uuid', 'text', 'text', 'text', 'date', 'text', 'text', 'text', 'bool', 'bool', 'bool'];

/**
 * A school's MIS pushes its roll: up to 1,000 pupils, idempotent by UPN. Each row is checked on
 * its own (a bad row is rejected with its problems, the others go on); the known pupils are read
 * and locked in one query, the new ones inserted in one statement and the changed ones updated in
 * one statement, all in one transaction, so either every accepted row is written or none.
 */
export async function upsertPupils(ctx: ReferralContext, input: PupilUpsertInput[]): Promise<UpsertAnswer[]> {
  const p = requirePrincipal(ctx);
  if (p.org.type !== 'school') throw invalidInput([{ field: 'input', message: 'Only a school (or its MIS) pushes its pupils' }]);
  if (input.length > UPSERT_MAX_ROWS) throw invalidInput([{ field: 'input', message: `At most ${UPSERT_MAX_ROWS} pupils a call: send the rest in another call` }]);
  const day = today();
  const rows: UpsertRow[] = input.map((row, index) => {
    const details = checkPupilDetails(row, day);
    const circumstances = checkPupilCircumstances(row);
    const problems = [...(details.ok ? [] : details.problems), ...(circumstances.ok ? [] : circumstances.problems)];
    if (!details.ok || !circumstances.ok) return { index, upn: row.upn, problems };
    return { index, upn: details.value.upn, details: details.value, circumstances: circumstances.value, problems: [] };
  });
  return inTransaction(ctx.db, async (tx) => {
    const upns = rows.filter((r) => r.details).map((r) => r.upn);
    const known = upns.length
      ? await tx.getRepository(Pupil).createQueryBuilder('p').setLock('pessimistic_write').where('p.upn IN (:...upns)', { upns }).getMany()
      : [];
    const plan = planUpsert(rows, known, (k, given) => linkKnownPupil(p, k, given), p.org.id, randomUUID, UNREGISTRABLE_PUPIL);
    if (plan.inserts.length) {
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO pupil (${COLUMNS.join(', ')})
         SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
         ON CONFLICT (upn) DO NOTHING RETURNING id`,
        COLUMNS.map((_, i) => plan.inserts.map((r) => r[i])),
      );
      const written = new Set(inserted.map((r) => r.id));
      for (const answer of plan.answers) {
        // A UPN another request registered between our read and our insert: this row is not written.
        if (answer.outcome === 'CREATED' && !written.has(answer.pupilId as string)) {
          Object.assign(answer, { outcome: 'REJECTED', pupilId: null, problems: [{ field: 'upn', message: 'This pupil was registered by another request at the same moment: send the row again' }] });
        }
      }
      await recordEvents(tx, [...written].map((id) => pupilRegistered({ id } as Pupil)));
    }
    if (plan.updates.length) {
      await tx.query(
        `UPDATE pupil SET registered_by_school_urn = u.school, sen_status = u.sen, has_social_worker = u.sw, pupil_premium = u.pp, looked_after = u.la, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::bool[]) AS u(id, school, sen, sw, pp, la)
         WHERE pupil.id = u.id`,
        [0, 1, 2, 3, 4, 5].map((i) => plan.updates.map((r) => r[i])),
      );
    }
    // The cohort facts of every pupil created, or updated with a different cohort, for outcomes.
    const ids = plan.answers.filter((a) => (a.outcome === 'CREATED' || a.outcome === 'UPDATED') && a.pupilId).map((a) => a.pupilId as string);
    if (ids.length) {
      const at = now();
      const before = new Map(known.map((k) => [k.id, k]));
      const written = await tx.getRepository(Pupil).findBy({ id: In(ids) });
      await recordEvents(tx, written.flatMap((pupil) => pupilCohortChangedSince(before.get(pupil.id), pupil, at) ?? []));
    }
    return plan.answers;
  });
}

/** Who read this pupil's identifying fields, newest first; for the pupil's LA admin only. */
export async function pupilAccessLog(ctx: ReferralContext, pupilId: string, first: number | null | undefined, after: string | null | undefined) {
  const p: Principal = requirePrincipal(ctx);
  const pupil = isUuid(pupilId) ? await ctx.pupils.load(pupilId) : null;
  if (!pupil || !canReadAccessLog(p, pupil)) throw notFound('Pupil', pupilId);
  const size = pageSize(first);
  const cursor = decodeCursor(after, 'after');
  if (cursor !== null && !/^\d{1,18}$/.test(cursor)) throw invalidInput([{ field: 'after', message: 'after must be an endCursor from an earlier page' }]);
  const qb = ctx.db.getRepository(PupilAccess).createQueryBuilder('a').where('a.pupil_id = :pupilId', { pupilId });
  if (cursor) qb.andWhere('a.id < :id', { id: cursor });
  const rows = await qb.orderBy('a.id', 'DESC').limit(size + 1).getMany();
  const nodes = rows.slice(0, size);
  const hasNextPage = rows.length > size;
  return { nodes, hasNextPage, endCursor: hasNextPage ? encodeCursor(nodes[nodes.length - 1].id) : null };
}

