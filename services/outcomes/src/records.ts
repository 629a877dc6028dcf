import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { requirePrincipal } from '@ap/auth';
import { inTransaction, isUuid } from '@ap/db';
import { isIsoDate } from '@ap/domain';
import { invalidInput, notFound } from '@ap/errors';
import { recordEvent } from '@ap/events';
import type { CafeDecision, RecordAttainmentInput, RecordDestinationInput, RecordSuspensionInput } from './__generated__/resolvers-types';
import { OutcomesContext } from './context';
import { mayTouch, PlacementFacts } from './domain/access';
import { attainmentRecorded, destinationRecorded, suspensionRecorded } from './events/published';
import { attainmentRecorded as applyAttainment, destinationRecorded as applyDestination, suspensionRecorded as applySuspension } from './read-model';

/**
 * The records entered in outcomes: attainment, post-16 destinations, suspensions (each also
 * published, and applied by the same handler the consumer runs, so a rebuild from the topics gives
 * the same read model), and the LA's CAFE reviews.
 */

/** Who a pupil is to the caller: the schools and providers of their placements, and their LA. Null when outcomes has never heard of them. */
async function pupilFacts(db: EntityManager | OutcomesContext['db'], pupilId: string): Promise<PlacementFacts | null> {
  const rows = (await db.query(
    `SELECT p.school_urn, p.provider_id, p.la_code, c.home_la_code
       FROM (SELECT $1::uuid AS pupil_id) k
       LEFT JOIN outcome_placement p ON p.pupil_id = k.pupil_id
       LEFT JOIN outcome_pupil c ON c.pupil_id = k.pupil_id`,
    [pupilId],
  )) as { school_urn: string | null; provider_id: string | null; la_code: string | null; home_la_code: string | null }[];
  const placements = rows.filter((r) => r.provider_id !== null);
  if (!placements.length && !rows.some((r) => r.home_la_code)) return null;
  return {
    schoolUrns: placements.map((r) => r.school_urn),
    providerIds: placements.map((r) => r.provider_id as string),
    pupilLaCode: rows.find((r) => r.home_la_code)?.home_la_code ?? placements.find((r) => r.la_code)?.la_code ?? null,
  };
}

function date(value: string, field: string): string {
  if (!isIsoDate(value)) throw invalidInput([{ field, message: `${field} must be a date written YYYY-MM-DD` }]);
  return value;
}

function uuid(value: string, field: string, what: string): string {
  if (!isUuid(value)) throw invalidInput([{ field, message: `${field} must be ${what}` }]);
  return value;
}

export async function recordAttainment(ctx: OutcomesContext, input: RecordAttainmentInput) {
  const p = requirePrincipal(ctx);
  const placementId = uuid(input.placementId, 'input.placementId', 'a placement id');
  const grade = input.grade.trim();
  if (!grade || grade.length > 20) throw invalidInput([{ field: 'input.grade', message: 'grade is 1 to 20 characters, e.g. 5, C, Pass' }]);
  const achievedOn = date(input.achievedOn, 'input.achievedOn');
  const [placement] = (await ctx.db.query(`SELECT pupil_id, school_urn, provider_id, la_code FROM outcome_placement WHERE placement_id = $1`, [placementId])) as {
    pupil_id: string;
    school_urn: string | null;
    provider_id: string;
    la_code: string | null;
  }[];
  // Another's placement and an unknown one answer alike.
  if (!placement || !mayTouch('Mutation.recordAttainment', p, { schoolUrns: [placement.school_urn], providerIds: [placement.provider_id], pupilLaCode: placement.la_code })) {
    throw notFound('Placement', placementId);
  }
  const payload = { attainmentId: randomUUID(), placementId, pupilId: placement.pupil_id, subject: input.subject, qualification: input.qualification, grade, achievedOn };
  const event = attainmentRecorded(payload);
  await inTransaction(ctx.db, async (tx) => {
    await applyAttainment(event, tx);
    await recordEvent(tx, event);
  });
  return { id: payload.attainmentId, ...payload };
}

export async function recordDestination(ctx: OutcomesContext, input: RecordDestinationInput) {
  const p = requirePrincipal(ctx);
  const pupilId = uuid(input.pupilId, 'input.pupilId', 'a pupil id');
  if (!/^\d{4}\/\d{2}$/.test(input.academicYear)) throw invalidInput([{ field: 'input.academicYear', message: 'academicYear is written 2025/26' }]);
  const recordedOn = date(input.recordedOn, 'input.recordedOn');
  const facts = await pupilFacts(ctx.db, pupilId);
  if (!facts || !mayTouch('Mutation.recordDestination', p, facts)) throw notFound('Pupil', pupilId);
  const payload = { destinationId: randomUUID(), pupilId, academicYear: input.academicYear, destination: input.destination, recordedOn };
  const event = destinationRecorded(payload);
  await inTransaction(ctx.db, async (tx) => {
    await applyDestination(event, tx);
    await recordEvent(tx, event);
  });
  return { id: payload.destinationId, ...payload };
}

export async function recordSuspension(ctx: OutcomesContext, input: RecordSuspensionInput) {
  const p = requirePrincipal(ctx);
  const pupilId = uuid(input.pupilId, 'input.pupilId', 'a pupil id');
  const startDate = date(input.startDate, 'input.startDate');
  // A suspension is at most 45 school days in a year (and counts in half days).
  if (!(input.days > 0 && input.days <= 45 && Number.isInteger(input.days * 2))) {
    throw invalidInput([{ field: 'input.days', message: 'days is from 0.5 to 45, in half days' }]);
  }
  const facts = await pupilFacts(ctx.db, pupilId);
  if (!facts || !mayTouch('Mutation.recordSuspension', p, facts)) throw notFound('Pupil', pupilId);
  const payload = { suspensionId: randomUUID(), pupilId, startDate, days: input.days };
  const event = suspensionRecorded(payload);
  await inTransaction(ctx.db, async (tx) => {
    await applySuspension(event, tx);
    await recordEvent(tx, event);
  });
  return { id: payload.suspensionId, ...payload };
}

export async function recordCafeReview(ctx: OutcomesContext, pupilId: string, decision: CafeDecision, notes: string) {
  const p = requirePrincipal(ctx);
  uuid(pupilId, 'pupilId', 'a pupil id');
  const text = notes.trim();
  if (!text || text.length > 4000) throw invalidInput([{ field: 'notes', message: 'notes say what the review found and decided (up to 4,000 characters)' }]);
  const facts = await pupilFacts(ctx.db, pupilId);
  if (!facts || !facts.pupilLaCode || !mayTouch('Mutation.recordCafeReview', p, facts)) throw notFound('Pupil', pupilId);
  const review = { id: randomUUID(), pupilId, decision, notes: text, reviewedBy: p.userId, reviewedAt: new Date().toISOString() };
  await ctx.db.query(`INSERT INTO cafe_review (id, pupil_id, la_code, decision, notes, reviewed_by, reviewed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    review.id,
    pupilId,
    facts.pupilLaCode,
    decision,
    text,
    review.reviewedBy,
    review.reviewedAt,
  ]);
  return review;
}
