import type { EntityManager } from 'typeorm';
import { academicYearLabel } from '@ap/domain';
import type { EventOf, PupilCohortV1 } from '@ap/events';
import { replacesDay, sessionChange } from './domain/session-totals';
import { countPlacementEnded, countPlacementStarted } from './outcomes';
import { keepingSummary } from './summary';

/**
 * The consumers that build the read model (migration CreateOutcomeReadModel). Each handler writes
 * what its event says, then refreshes the pupil's placement rows from the other tables, so the
 * result does not depend on the order in which the referral, placement and outcomes topics
 * arrive: a rebuild from the topics from the beginning gives the same rows.
 */

/** The calendar date in England of an instant (events carry UTC times). */
export function englishDate(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** Marks the read model changed (in the change's transaction), so cached figures are not used again (figures.ts). */
export async function readModelChanged(tx: EntityManager): Promise<void> {
  await tx.query(`UPDATE outcome_read_model_version SET version = version + 1 WHERE id = 1`);
}

/**
 * Copies into each of the pupil's placement rows its cohort, its referral's facts, its LA (the
 * pupil's home LA, else the placement's, else the commissioning school's or the provider's), and
 * what was entered here: English and maths, the latest destination, suspensions during it.
 */
export async function refreshPupilPlacements(tx: EntityManager, pupilId: string): Promise<void> {
  // Lock the rows first, so the UPDATE below reads (in a new snapshot) whatever a concurrent change of
  // the same pupil committed — a record entered here and its event applied by the consumer, say;
  // otherwise its subqueries would read the older snapshot and write back the state before it.
  await tx.query(`SELECT 1 FROM outcome_placement WHERE pupil_id = $1 ORDER BY placement_id FOR UPDATE`, [pupilId]);
  await tx.query(
    `UPDATE outcome_placement p SET
       (sen_status, pupil_premium, looked_after, has_social_worker, year_group, key_stage) =
         (SELECT c.sen_status, c.pupil_premium, c.looked_after, c.has_social_worker, c.year_group, c.key_stage FROM outcome_pupil c WHERE c.pupil_id = p.pupil_id),
       (referral_reason, day6_deadline, accepted_on, attendance_at_referral) =
         (SELECT r.reason, r.day6_deadline, (r.accepted_at AT TIME ZONE 'Europe/London')::date, r.attendance_at_referral FROM outcome_referral r WHERE r.referral_id = p.referral_id),
       la_code = COALESCE(
         (SELECT c.home_la_code FROM outcome_pupil c WHERE c.pupil_id = p.pupil_id),
         p.home_la_code,
         p.commissioner_la_code,
         (SELECT s.la_code FROM directory_school s WHERE s.urn = p.school_urn),
         (SELECT d.la_code FROM directory_provider d WHERE d.id = p.provider_id)),
       english_achieved = EXISTS (SELECT 1 FROM outcome_attainment a WHERE a.placement_id = p.placement_id AND a.subject = 'ENGLISH'),
       maths_achieved = EXISTS (SELECT 1 FROM outcome_attainment a WHERE a.placement_id = p.placement_id AND a.subject = 'MATHS'),
       destination = (SELECT d.destination FROM outcome_destination d WHERE d.pupil_id = p.pupil_id ORDER BY d.academic_year DESC LIMIT 1),
       suspensions = (SELECT count(*) FROM outcome_suspension s
                       WHERE s.pupil_id = p.pupil_id AND p.started_on IS NOT NULL AND s.start_date >= p.started_on
                         AND (p.ended_on IS NULL OR s.start_date <= p.ended_on)),
       pupil_placements = GREATEST(1, (SELECT count(*) FROM outcome_placement q WHERE q.pupil_id = p.pupil_id AND q.started_on IS NOT NULL))
     WHERE p.pupil_id = $1`,
    [pupilId],
  );
  await readModelChanged(tx);
}

type ReferralEvent = EventOf<'referral.submitted'> | EventOf<'referral.accepted'>;

/** referral.submitted and referral.accepted: the referral's facts, and the pupil's cohort (the newest wins). */
export async function referralSeen(event: ReferralEvent, tx: EntityManager): Promise<void> {
  await keepingSummary(tx, { pupilId: event.payload.pupilId }, () => applyReferral(event, tx));
}

async function applyReferral(event: ReferralEvent, tx: EntityManager): Promise<void> {
  const r = event.payload;
  const accepted = event.type === 'referral.accepted' ? (r as EventOf<'referral.accepted'>['payload']) : null;
  const submittedAt = accepted ? null : (r as EventOf<'referral.submitted'>['payload']).submittedAt;
  const homeLa = r.cohort?.homeLaCode ?? accepted?.homeLaCode ?? null;
  await tx.query(
    `INSERT INTO outcome_referral (referral_id, pupil_id, provider_id, school_urn, reason, sen_status, home_la_code, day6_deadline, attendance_at_referral, academic_year, submitted_at, accepted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (referral_id) DO UPDATE SET
       provider_id = COALESCE(EXCLUDED.provider_id, outcome_referral.provider_id),
       reason = EXCLUDED.reason,
       sen_status = COALESCE(outcome_referral.sen_status, EXCLUDED.sen_status),
       home_la_code = COALESCE(EXCLUDED.home_la_code, outcome_referral.home_la_code),
       day6_deadline = COALESCE(EXCLUDED.day6_deadline, outcome_referral.day6_deadline),
       attendance_at_referral = COALESCE(outcome_referral.attendance_at_referral, EXCLUDED.attendance_at_referral),
       academic_year = COALESCE(outcome_referral.academic_year, EXCLUDED.academic_year),
       submitted_at = COALESCE(outcome_referral.submitted_at, EXCLUDED.submitted_at),
       accepted_at = COALESCE(EXCLUDED.accepted_at, outcome_referral.accepted_at)`,
    [
      r.referralId,
      r.pupilId,
      r.providerId,
      r.schoolUrn,
      r.reason,
      r.cohort?.senStatus ?? null,
      homeLa,
      r.day6Deadline ?? null,
      r.currentAttendancePercent ?? null,
      academicYearLabel(englishDate(submittedAt ?? accepted!.acceptedAt)),
      submittedAt,
      accepted?.acceptedAt ?? null,
    ],
  );
  if (r.cohort) await cohortSeen(tx, r.pupilId, { ...r.cohort, homeLaCode: homeLa }, event.occurredAt);
  await refreshPupilPlacements(tx, r.pupilId);
}

/** The pupil's cohort facts as of `at`: a newer set replaces them, an older one is ignored. */
async function cohortSeen(tx: EntityManager, pupilId: string, c: PupilCohortV1, at: string): Promise<void> {
  await tx.query(
    `INSERT INTO outcome_pupil (pupil_id, home_la_code, sen_status, pupil_premium, looked_after, has_social_worker, year_group, key_stage, facts_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (pupil_id) DO UPDATE SET
       home_la_code = EXCLUDED.home_la_code, sen_status = EXCLUDED.sen_status, pupil_premium = EXCLUDED.pupil_premium,
       looked_after = EXCLUDED.looked_after, has_social_worker = EXCLUDED.has_social_worker, year_group = EXCLUDED.year_group,
       key_stage = EXCLUDED.key_stage, facts_at = EXCLUDED.facts_at
     WHERE outcome_pupil.facts_at <= EXCLUDED.facts_at`,
    [pupilId, c.homeLaCode ?? null, c.senStatus, c.pupilPremium, c.lookedAfter, c.hasSocialWorker, c.yearGroup ?? null, c.keyStage ?? null, at],
  );
}

/** pupil.cohort_changed: the pupil registry's cohort facts, so a pupil placed without a referral is reported by them too. */
export async function pupilCohortChanged(event: EventOf<'pupil.cohort_changed'>, tx: EntityManager): Promise<void> {
  const { pupilId, cohort } = event.payload;
  await keepingSummary(tx, { pupilId }, async () => {
    await cohortSeen(tx, pupilId, cohort, event.occurredAt);
    await refreshPupilPlacements(tx, pupilId);
  });
}

export async function referralDeclined(event: EventOf<'referral.declined'>, tx: EntityManager): Promise<void> {
  await tx.query(`UPDATE outcome_referral SET declined_at = $2 WHERE referral_id = $1`, [event.payload.referralId, event.payload.declinedAt]);
}

export async function referralWithdrawn(event: EventOf<'referral.withdrawn'>, tx: EntityManager): Promise<void> {
  await tx.query(`UPDATE outcome_referral SET withdrawn_at = $2 WHERE referral_id = $1`, [event.payload.referralId, event.payload.withdrawnAt]);
}

/** A placement row for an event that may come before placement.started (same pupil, same partition, but to be safe). */
async function ensurePlacement(tx: EntityManager, p: { placementId: string; pupilId: string; providerId: string; schoolUrn?: string | null }): Promise<void> {
  await tx.query(
    `INSERT INTO outcome_placement (placement_id, pupil_id, provider_id, school_urn) VALUES ($1, $2, $3, $4) ON CONFLICT (placement_id) DO NOTHING`,
    [p.placementId, p.pupilId, p.providerId, p.schoolUrn ?? null],
  );
}

export async function placementStarted(event: EventOf<'placement.started'>, tx: EntityManager): Promise<void> {
  const p = event.payload;
  await keepingSummary(tx, { pupilId: p.pupilId }, () => startPlacement(event, tx), () => ensurePlacement(tx, p));
}

async function startPlacement(event: EventOf<'placement.started'>, tx: EntityManager): Promise<void> {
  const p = event.payload;
  const startedOn = p.startDate ?? englishDate(p.startedAt);
  await tx.query(
    `UPDATE outcome_placement SET
       referral_id = $2, school_urn = COALESCE($3, school_urn), offer_id = COALESCE($4, offer_id), placement_type = $5, full_time = $6,
       sessions_per_week = $7, cost_per_day = $8, home_la_code = $9, commissioner_la_code = $10, started_on = $11, academic_year = $12,
       status = CASE WHEN status IN ('ENDED', 'CANCELLED') THEN status ELSE 'ACTIVE' END
     WHERE placement_id = $1`,
    [
      p.placementId,
      p.referralId,
      p.schoolUrn ?? null,
      p.offerId ?? null,
      p.placementType ?? null,
      p.fullTime ?? null,
      p.sessionsPerWeek ?? null,
      p.costPerDay ?? null,
      p.homeLaCode ?? null,
      p.commissionerLaCode ?? null,
      startedOn,
      academicYearLabel(startedOn),
    ],
  );
  await countPlacementStarted(event, tx);
  await refreshPupilPlacements(tx, p.pupilId);
}

export async function placementEnded(event: EventOf<'placement.ended'>, tx: EntityManager): Promise<void> {
  const p = event.payload;
  await keepingSummary(
    tx,
    { pupilId: p.pupilId },
    async () => {
      await tx.query(`UPDATE outcome_placement SET status = 'ENDED', ended_on = $2, end_reason = $3 WHERE placement_id = $1`, [p.placementId, p.endedOn, p.endReason]);
      await countPlacementEnded(event, tx);
      await refreshPupilPlacements(tx, p.pupilId);
    },
    () => ensurePlacement(tx, p),
  );
}

export async function placementCancelled(event: EventOf<'placement.cancelled'>, tx: EntityManager): Promise<void> {
  const p = event.payload;
  await keepingSummary(
    tx,
    { pupilId: p.pupilId },
    async () => {
      await tx.query(`UPDATE outcome_placement SET status = 'CANCELLED', cancelled_on = $2 WHERE placement_id = $1`, [p.placementId, englishDate(p.cancelledAt)]);
      await refreshPupilPlacements(tx, p.pupilId);
    },
    () => ensurePlacement(tx, p),
  );
}

export async function placementReviewRecorded(event: EventOf<'placement.review_recorded'>, tx: EntityManager): Promise<void> {
  const p = event.payload;
  await ensurePlacement(tx, p);
  await tx.query(`UPDATE outcome_placement SET reviews = reviews + 1, last_review_on = GREATEST(last_review_on, $2::date) WHERE placement_id = $1`, [p.placementId, p.heldOn]);
  await readModelChanged(tx);
}

/**
 * One placement's day as session totals; a newer asOf replaces the day, an older one is ignored.
 * The change against what was counted before goes into the month's and the placement's totals,
 * so the dashboards never read the day table.
 */
export async function attendanceDaySummarised(event: EventOf<'attendance.day_summarised'>, tx: EntityManager): Promise<void> {
  const a = event.payload;
  await keepingSummary(tx, { placementId: a.placementId }, () => countAttendanceDay(tx, a.placementId, a, a.asOf), () => ensurePlacement(tx, a));
}

/** The days one write changed for one placement (the producer's form since days_summarised): each day as attendance.day_summarised's. */
export async function attendanceDaysSummarised(event: EventOf<'attendance.days_summarised'>, tx: EntityManager): Promise<void> {
  const a = event.payload;
  await keepingSummary(
    tx,
    { placementId: a.placementId },
    async () => {
      for (const day of a.days) await countAttendanceDay(tx, a.placementId, day, a.asOf);
    },
    () => ensurePlacement(tx, a),
  );
}

type DayTotals = Pick<EventOf<'attendance.day_summarised'>['payload'], 'date' | 'possibleSessions' | 'attendedSessions' | 'authorisedAbsenceSessions' | 'unauthorisedAbsenceSessions'>;

async function countAttendanceDay(tx: EntityManager, placementId: string, d: DayTotals, asOf: string): Promise<void> {
  const a = { placementId, asOf, ...d };
  const [before] = (await tx.query(
    `SELECT possible, attended, authorised, unauthorised, as_of FROM outcome_attendance_day WHERE placement_id = $1 AND date = $2 FOR UPDATE`,
    [a.placementId, a.date],
  )) as { possible: number; attended: number; authorised: number; unauthorised: number; as_of: Date }[];
  if (!replacesDay(before?.as_of ?? null, new Date(a.asOf))) return;
  const next = { possible: a.possibleSessions, attended: a.attendedSessions, authorised: a.authorisedAbsenceSessions, unauthorised: a.unauthorisedAbsenceSessions };
  const delta = sessionChange(before ?? null, next);
  await tx.query(
    `INSERT INTO outcome_attendance_day (placement_id, date, possible, attended, authorised, unauthorised, as_of) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (placement_id, date) DO UPDATE SET possible = EXCLUDED.possible, attended = EXCLUDED.attended,
       authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, as_of = EXCLUDED.as_of`,
    [a.placementId, a.date, next.possible, next.attended, next.authorised, next.unauthorised, a.asOf],
  );
  await tx.query(
    `INSERT INTO outcome_attendance_month (placement_id, month, possible, attended, authorised, unauthorised)
     VALUES ($1, date_trunc('month', $2::date)::date, $3, $4, $5, $6)
     ON CONFLICT (placement_id, month) DO UPDATE SET possible = outcome_attendance_month.possible + EXCLUDED.possible,
       attended = outcome_attendance_month.attended + EXCLUDED.attended, authorised = outcome_attendance_month.authorised + EXCLUDED.authorised,
       unauthorised = outcome_attendance_month.unauthorised + EXCLUDED.unauthorised`,
    [a.placementId, a.date, delta.possible, delta.attended, delta.authorised, delta.unauthorised],
  );
  await tx.query(
    `UPDATE outcome_placement SET possible_sessions = possible_sessions + $2, attended_sessions = attended_sessions + $3,
       authorised_sessions = authorised_sessions + $4, unauthorised_sessions = unauthorised_sessions + $5,
       last_mark_on = CASE WHEN $7 THEN GREATEST(last_mark_on, $6::date) ELSE last_mark_on END
     WHERE placement_id = $1`,
    [a.placementId, delta.possible, delta.attended, delta.authorised, delta.unauthorised, a.date, next.possible > 0],
  );
  await readModelChanged(tx);
}

export async function attainmentRecorded(event: EventOf<'outcome.attainment_recorded'>, tx: EntityManager): Promise<void> {
  const a = event.payload;
  await tx.query(
    `INSERT INTO outcome_attainment (attainment_id, placement_id, pupil_id, subject, qualification, grade, achieved_on) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (attainment_id) DO NOTHING`,
    [a.attainmentId, a.placementId, a.pupilId, a.subject, a.qualification, a.grade, a.achievedOn],
  );
  await keepingSummary(tx, { pupilId: a.pupilId }, () => refreshPupilPlacements(tx, a.pupilId));
}

export async function destinationRecorded(event: EventOf<'outcome.destination_recorded'>, tx: EntityManager): Promise<void> {
  const d = event.payload;
  await tx.query(
    `INSERT INTO outcome_destination (pupil_id, academic_year, destination_id, destination, recorded_on) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (pupil_id, academic_year) DO UPDATE SET destination_id = EXCLUDED.destination_id, destination = EXCLUDED.destination, recorded_on = EXCLUDED.recorded_on
     WHERE outcome_destination.destination_id <> EXCLUDED.destination_id AND outcome_destination.recorded_on <= EXCLUDED.recorded_on`,
    [d.pupilId, d.academicYear, d.destinationId, d.destination, d.recordedOn],
  );
  await keepingSummary(tx, { pupilId: d.pupilId }, () => refreshPupilPlacements(tx, d.pupilId));
}

export async function suspensionRecorded(event: EventOf<'outcome.suspension_recorded'>, tx: EntityManager): Promise<void> {
  const s = event.payload;
  await tx.query(`INSERT INTO outcome_suspension (suspension_id, pupil_id, start_date, days) VALUES ($1, $2, $3, $4) ON CONFLICT (suspension_id) DO NOTHING`, [
    s.suspensionId,
    s.pupilId,
    s.startDate,
    s.days,
  ]);
  await keepingSummary(tx, { pupilId: s.pupilId }, () => refreshPupilPlacements(tx, s.pupilId));
}
