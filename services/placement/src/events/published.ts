import { EventEnvelope, newEvent, PlacementPlannedV1, PlacementStartedV1 } from '@ap/events';
import type { Placement } from '../entities';

/** The events the placement service publishes (contracts in schemas/events/), keyed by pupil. */
const producer = 'placement';

export const placementPlanned = (placement: Pick<Placement, 'id' | 'referralId' | 'pupilId' | 'providerId'>): EventEnvelope<PlacementPlannedV1> =>
  newEvent({
    type: 'placement.planned',
    producer,
    key: placement.pupilId,
    payload: { placementId: placement.id, referralId: placement.referralId, pupilId: placement.pupilId, providerId: placement.providerId },
  });

export const placementStarted = (placement: Placement, startedAt: Date): EventEnvelope<PlacementStartedV1> =>
  newEvent({
    type: 'placement.started',
    producer,
    key: placement.pupilId,
    payload: {
      placementId: placement.id,
      referralId: placement.referralId,
      pupilId: placement.pupilId,
      providerId: placement.providerId,
      startedAt: startedAt.toISOString(),
    },
  });
