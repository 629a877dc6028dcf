import { newEvent, OutcomeAttainmentRecordedV1, OutcomeDestinationRecordedV1, OutcomeSuspensionRecordedV1 } from '@ap/events';

/**
 * What outcomes publishes: the records entered here, so that the read model can be rebuilt from
 * the topics alone (it consumes its own topic). Keyed by pupil, like the placements they qualify.
 */
const producer = 'outcomes';

export const attainmentRecorded = (payload: OutcomeAttainmentRecordedV1) => newEvent({ type: 'outcome.attainment_recorded', producer, key: payload.pupilId, payload });
export const destinationRecorded = (payload: OutcomeDestinationRecordedV1) => newEvent({ type: 'outcome.destination_recorded', producer, key: payload.pupilId, payload });
export const suspensionRecorded = (payload: OutcomeSuspensionRecordedV1) => newEvent({ type: 'outcome.suspension_recorded', producer, key: payload.pupilId, payload });
