import { EventEnvelope, newEvent, PupilRegisteredV1, ReferralAcceptedV1, ReferralSubmittedV1 } from '@ap/events';
import type { Pupil, Referral } from '../entities';

/**
 * The events the referral service publishes (contracts in schemas/events/). Keyed by pupil, so
 * one pupil's events stay in order; no names or UPN ever leave this service in an event.
 */
const producer = 'referral';

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
      providerId: referral.providerId,
      schoolUrn: referral.schoolUrn,
      reason: referral.reason,
      submittedAt: referral.submittedAt.toISOString(),
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
      providerId: referral.providerId,
      schoolUrn: referral.schoolUrn,
      reason: referral.reason,
      acceptedAt: acceptedAt.toISOString(),
      homeLaCode: pupil.homeLaCode,
    },
  });
