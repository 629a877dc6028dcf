import { AttendanceAbsenceUnexplainedV1, AttendanceDaysSummarisedV1, EventEnvelope, newEvent, PlacementPlannedV1 } from '@ap/events';
import type { Placement } from '../entities';
import type { RegistrationAnswer, ReviewDecision } from '../domain/rules';

/** The events the placement service publishes (contracts in schemas/events/), keyed by pupil (registration by provider). */
const producer = 'placement';

/** Only for placements planned from an accepted referral (the contract's meaning). */
export const placementPlanned = (placement: Pick<Placement, 'id' | 'pupilId' | 'providerId'> & { referralId: string }): EventEnvelope<PlacementPlannedV1> =>
  newEvent({
    type: 'placement.planned',
    producer,
    key: placement.pupilId,
    payload: { placementId: placement.id, referralId: placement.referralId, pupilId: placement.pupilId, providerId: placement.providerId },
  });

export const placementStarted = (placement: Placement, startedAt: Date) =>
  newEvent({
    type: 'placement.started',
    producer,
    key: placement.pupilId,
    payload: {
      placementId: placement.id,
      // The contract requires a referral id; a directly commissioned placement has none, so its own id stands in.
      referralId: placement.referralId ?? placement.id,
      pupilId: placement.pupilId,
      providerId: placement.providerId,
      startedAt: startedAt.toISOString(),
      offerId: placement.offerId,
      schoolUrn: placement.schoolUrn,
      // For outcomes: what kind of placement, on what timetable and cost, for whose pupil.
      placementType: placement.type,
      startDate: placement.startDate ?? startedAt.toISOString().slice(0, 10),
      fullTime: placement.fullTime,
      sessionsPerWeek: placement.sessionsPerWeek,
      costPerDay: placement.costPerDay,
      homeLaCode: placement.homeLaCode,
      commissionerLaCode: placement.commissionerLaCode,
    },
  });

export const placementEnded = (placement: Placement) =>
  newEvent({
    type: 'placement.ended',
    producer,
    key: placement.pupilId,
    payload: {
      placementId: placement.id,
      referralId: placement.referralId,
      pupilId: placement.pupilId,
      providerId: placement.providerId,
      offerId: placement.offerId,
      schoolUrn: placement.schoolUrn,
      endedOn: placement.endDate as string,
      endReason: placement.endReason as NonNullable<Placement['endReason']>,
      destinationUrn: placement.destinationUrn,
    },
  });

export const placementCancelled = (placement: Placement, wasActive: boolean, cancelledAt: Date) =>
  newEvent({
    type: 'placement.cancelled',
    producer,
    key: placement.pupilId,
    payload: {
      placementId: placement.id,
      referralId: placement.referralId,
      pupilId: placement.pupilId,
      providerId: placement.providerId,
      offerId: placement.offerId,
      schoolUrn: placement.schoolUrn,
      reason: placement.cancelReason ?? '',
      wasActive,
      cancelledAt: cancelledAt.toISOString(),
    },
  });

export const placementReviewRecorded = (placement: Placement, review: { id: string; heldOn: string; decision: ReviewDecision }, nextReviewDue: string | null) =>
  newEvent({
    type: 'placement.review_recorded',
    producer,
    key: placement.pupilId,
    payload: {
      placementId: placement.id,
      reviewId: review.id,
      pupilId: placement.pupilId,
      providerId: placement.providerId,
      heldOn: review.heldOn,
      decision: review.decision,
      nextReviewDue,
    },
  });

export const providerRegistrationRequired = (providerId: string, answer: RegistrationAnswer, at: Date) =>
  newEvent({
    type: 'provider.registration_required',
    producer,
    key: providerId,
    payload: { providerId, required: answer.required, fullTimePupils: answer.fullTimePupils, lookedAfterOrEhcpPupils: answer.lookedAfterOrEhcpPupils, reason: answer.reason, effectiveAt: at.toISOString() },
  });

/** A placement's school day as session totals: one per placement and day a write changed (never per mark). Keyed by pupil, as the placement's other events. */
/** The days one write changed for one placement, in one event (attendance.day_summarised, one a day, is still consumed for older events). */
export const daysSummarised = (payload: AttendanceDaysSummarisedV1) => newEvent({ type: 'attendance.days_summarised', producer, key: payload.pupilId, payload });

/** The same-day safeguarding signal, once per alert. */
export const absenceUnexplained = (payload: AttendanceAbsenceUnexplainedV1) => newEvent({ type: 'attendance.absence_unexplained', producer, key: payload.pupilId, payload });
