import { isDeepStrictEqual } from 'node:util';
import { academicYearLabel, keyStage, yearGroup } from '@ap/domain';
import { EventEnvelope, newEvent, PupilCohortChangedV1, PupilCohortV1, PupilRegisteredV1, ReferralAcceptedV1, ReferralDay6AtRiskV1, ReferralDeclinedV1, ReferralSubmittedV1, ReferralWithdrawnV1 } from '@ap/events';
import type { Pupil, Referral } from '../entities';

/**
 * The events the referral service publishes (contracts in schemas/events/). Keyed by pupil, so
 * one pupil's events stay in order; no names or UPN ever leave this service in an event.
 */
const producer = 'referral';

/** Only a referral with a provider is submitted to or accepted by one: the callers make sure. */
function providerOf(r: Referral): string {
  if (!r.providerId) throw new Error(`Referral ${r.id} has no provider yet: it cannot be published as submitted or accepted`);
  return r.providerId;
}
function reasonOf(r: Referral): string {
  if (!r.reason) throw new Error(`Referral ${r.id} has no reason: a draft is never published`);
  return r.reason;
}

/** The cohort facts outcomes reports by (no names, UPN or date of birth: the year group stands in for it). */
export function pupilCohort(pupil: Pupil, on: Date): PupilCohortV1 {
  const day = on.toISOString().slice(0, 10);
  let year: number | null = null;
  try {
    year = yearGroup(pupil.dateOfBirth, day);
  } catch {
    // Outside school age on that day: the cohort has no year group rather than no event.
    year = null;
  }
  return {
    homeLaCode: pupil.homeLaCode ?? pupil.schoolLaCode ?? null,
    senStatus: pupil.senStatus as PupilCohortV1['senStatus'],
    pupilPremium: pupil.pupilPremium,
    lookedAfter: pupil.lookedAfter,
    hasSocialWorker: pupil.hasSocialWorker,
    yearGroup: year,
    keyStage: year === null ? null : keyStage(year),
    academicYear: academicYearLabel(day),
  };
}

/** The referral form's facts outcomes measures against (day 6, attendance at referral) and the pupil's cohort. */
const outcomeFacts = (referral: Referral, pupil: Pupil, on: Date) => ({
  cohort: pupilCohort(pupil, on),
  day6Deadline: referral.day6Deadline ?? null,
  currentAttendancePercent: referral.currentAttendancePercent ?? null,
});

export const pupilRegistered = (pupil: Pupil): EventEnvelope<PupilRegisteredV1> =>
  newEvent({ type: 'pupil.registered', producer, key: pupil.id, payload: { pupilId: pupil.id } });

/** A pupil's cohort facts as set (on registration) or changed, so outcomes has them without a referral. */
export const pupilCohortChanged = (pupil: Pupil, on: Date): EventEnvelope<PupilCohortChangedV1> =>
  newEvent({ type: 'pupil.cohort_changed', producer, key: pupil.id, payload: { pupilId: pupil.id, cohort: pupilCohort(pupil, on) } });

/** pupil.cohort_changed for the pupil as written, unless its cohort is what it was before (`before` undefined: a new pupil). */
export function pupilCohortChangedSince(before: Pupil | undefined, after: Pupil, on: Date): EventEnvelope<PupilCohortChangedV1> | undefined {
  const event = pupilCohortChanged(after, on);
  return before && isDeepStrictEqual(pupilCohort(before, on), event.payload.cohort) ? undefined : event;
}

export const referralSubmitted = (referral: Referral, pupil: Pupil): EventEnvelope<ReferralSubmittedV1> =>
  newEvent({
    type: 'referral.submitted',
    producer,
    key: referral.pupilId,
    payload: {
      referralId: referral.id,
      pupilId: referral.pupilId,
      providerId: providerOf(referral),
      schoolUrn: referral.schoolUrn,
      reason: reasonOf(referral),
      submittedAt: (referral.submittedAt ?? referral.createdAt).toISOString(),
      ...outcomeFacts(referral, pupil, referral.submittedAt ?? referral.createdAt),
    },
  });

export const referralAccepted = (referral: Referral, pupil: Pupil, acceptedAt: Date): EventEnvelope<ReferralAcceptedV1> =>
  newEvent({
    type: 'referral.accepted',
    producer,
    key: pupil.id,
    payload: {
      referralId: referral.id,
      pupilId: pupil.id,
      providerId: providerOf(referral),
      schoolUrn: referral.schoolUrn,
      reason: reasonOf(referral),
      acceptedAt: acceptedAt.toISOString(),
      homeLaCode: pupil.homeLaCode,
      // The placement service needs it for MIS attendance writeback (see the contract's description).
      upn: pupil.upn,
      ...outcomeFacts(referral, pupil, acceptedAt),
      offerId: referral.offerId ?? null,
    },
  });

export const referralDeclined = (referral: Referral, declinedAt: Date): EventEnvelope<ReferralDeclinedV1> =>
  newEvent({
    type: 'referral.declined',
    producer,
    key: referral.pupilId,
    payload: {
      referralId: referral.id,
      pupilId: referral.pupilId,
      providerId: referral.providerId,
      schoolUrn: referral.schoolUrn,
      reasonCode: referral.declineReasonCode ?? 'OTHER',
      declinedAt: declinedAt.toISOString(),
    },
  });

export const referralWithdrawn = (referral: Referral, withdrawnAt: Date): EventEnvelope<ReferralWithdrawnV1> =>
  newEvent({
    type: 'referral.withdrawn',
    producer,
    key: referral.pupilId,
    payload: { referralId: referral.id, pupilId: referral.pupilId, providerId: referral.providerId, schoolUrn: referral.schoolUrn, withdrawnAt: withdrawnAt.toISOString() },
  });

export const referralDay6AtRisk = (
  referral: { id: string; pupilId: string; day6Deadline: string },
  laCode: string | null,
  schoolDaysLeft: number,
): EventEnvelope<ReferralDay6AtRiskV1> =>
  newEvent({
    type: 'referral.day6_at_risk',
    producer,
    key: referral.pupilId,
    payload: { referralId: referral.id, pupilId: referral.pupilId, laCode, day6Deadline: referral.day6Deadline, schoolDaysLeft },
  });
