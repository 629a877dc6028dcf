import { EventEnvelope, newEvent, PupilRegisteredV1, ReferralAcceptedV1, ReferralDay6AtRiskV1, ReferralDeclinedV1, ReferralSubmittedV1, ReferralWithdrawnV1 } from '@ap/events';
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

export const pupilRegistered = (pupil: Pupil): EventEnvelope<PupilRegisteredV1> =>
  newEvent({ type: 'pupil.registered', producer, key: pupil.id, payload: { pupilId: pupil.id } });

export const referralSubmitted = (referral: Referral): EventEnvelope<ReferralSubmittedV1> =>
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
