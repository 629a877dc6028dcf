import { allowFields, permissionsFromTable } from '@ap/auth';
import { placementAccess } from './access';

/** Role gates from the access table (src/access.ts); src/domain/placement.ts scopes each answer. */
export const permissions = permissionsFromTable('placement', placementAccess, {
  Placement: allowFields(),
  Pupil: allowFields(),
  Provider: allowFields(),
  Offer: allowFields(),
  Review: allowFields(),
  ProviderReviewPart: allowFields(),
  PlacementReviewSetting: allowFields(),
  ReviewsDuePage: allowFields(),
  Timetable: allowFields(),
  TimetableSession: allowFields(),
  Commissioner: allowFields(),
  ReintegrationPlan: allowFields(),
  PlacementHistoryEntry: allowFields(),
  AttendanceMark: allowFields(),
  AttendanceSummary: allowFields(),
  AttendanceDay: allowFields(),
  SessionRef: allowFields(),
  PlacementAttendance: allowFields(),
  ProgressNote: allowFields(),
  BehaviourIncident: allowFields(),
  AbsenceAlert: allowFields(),
  AttendancePushResult: allowFields(),
  RejectedMark: allowFields(),
  MarkProblem: allowFields(),
});
