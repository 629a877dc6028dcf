import { DirectoryOffer, DirectoryProvider, DirectorySchool } from '@ap/events';
import { AbsenceAlert, AttendanceMark, BehaviourIncident, ProgressNote } from './attendance';
import { Placement } from './placement';
import { PlacementHistory, PlacementReview } from './review';

export { AbsenceAlert, AttendanceMark, BehaviourIncident, Placement, PlacementHistory, PlacementReview, ProgressNote };
export const entities = [Placement, PlacementReview, PlacementHistory, AttendanceMark, AbsenceAlert, ProgressNote, BehaviourIncident, DirectoryProvider, DirectorySchool, DirectoryOffer];
