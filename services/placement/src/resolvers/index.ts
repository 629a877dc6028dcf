import { today } from '@ap/domain';
import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { costToDate } from '../domain/rules';
import {
  calendarOf,
  cancelPlacement,
  createPlacement,
  DueReview,
  endPlacement,
  historyOf,
  recordProviderReviewPart,
  recordReview,
  requestPlacementReview,
  setPlacementReviewWeeks,
  reviewsDue,
  reviewsOf,
  startPlacement,
  updatePlacementPlan,
  visiblePlacement,
  visiblePlacementsOfPupil,
} from '../placements';
import { nonSchoolFlagsOf, placementOfReview } from './placement-fields';
import {
  absenceAlerts,
  acknowledgeAbsenceAlert,
  attendanceOf,
  behaviourIncidentsOf,
  placementOfMark,
  progressNotesOf,
  pushAttendance,
  recordAttendance,
  recordAttendanceRegister,
  recordBehaviourIncident,
  recordProgressNote,
} from '../attendance';

export const resolvers: CompleteResolvers = {
  Query: {
    placement: (_, { id }, ctx) => visiblePlacement(ctx, id),
    reviewsDue: (_, { first, after }, ctx) => reviewsDue(ctx, first ?? 50, after),
    absenceAlerts: (_, { date, includeAcknowledged }, ctx) => absenceAlerts(ctx, date, includeAcknowledged ?? false),
  },
  Mutation: {
    createPlacement: (_, { input }, ctx) => createPlacement(ctx, input),
    updatePlacementPlan: (_, { id, input }, ctx) => updatePlacementPlan(ctx, id, input),
    startPlacement: (_, { id, startDate, overrideReason }, ctx) => startPlacement(ctx, id, startDate, overrideReason),
    endPlacement: (_, { id, input }, ctx) => endPlacement(ctx, id, input),
    cancelPlacement: (_, { id, reason }, ctx) => cancelPlacement(ctx, id, reason),
    recordReview: (_, { placementId, input }, ctx) => recordReview(ctx, placementId, input),
    recordProviderReviewPart: (_, { reviewId, input }, ctx) => recordProviderReviewPart(ctx, reviewId, input),
    recordAttendance: (_, { input }, ctx) => recordAttendance(ctx, input),
    recordAttendanceRegister: (_, { input }, ctx) => recordAttendanceRegister(ctx, input),
    pushAttendance: (_, { input }, ctx) => pushAttendance(ctx, input),
    acknowledgeAbsenceAlert: (_, { id, note }, ctx) => acknowledgeAbsenceAlert(ctx, id, note),
    recordProgressNote: (_, { input }, ctx) => recordProgressNote(ctx, input),
    recordBehaviourIncident: (_, { input }, ctx) => recordBehaviourIncident(ctx, input),
    requestPlacementReview: (_, { placementId, requestedOn }, ctx) => requestPlacementReview(ctx, placementId, requestedOn),
    setPlacementReviewWeeks: (_, { laCode, schoolWeeks }, ctx) => setPlacementReviewWeeks(ctx, laCode, schoolWeeks),
  },
  Placement: {
    __resolveReference: (ref, ctx) => visiblePlacement(ctx, ref.id),
    pupil: (p) => ({ id: p.pupilId }),
    provider: (p) => ({ id: p.providerId }),
    offer: (p) => (p.offerId ? { id: p.offerId } : null),
    plannedAt: (p) => p.plannedAt.toISOString(),
    startedAt: (p) => p.startedAt?.toISOString() ?? null,
    commissioner: (p) => ({ schoolUrn: p.schoolUrn, laCode: p.commissionerLaCode }),
    timetable: (p) =>
      p.timetable ? { sessions: p.timetable, hoursPerWeek: p.hoursPerWeek ?? 0, fullTime: p.fullTime, sessionsPerWeek: p.sessionsPerWeek ?? 0 } : null,
    costToDate: (p) => costToDate(p.costPerDay, p.startDate, p.endDate ?? today(), calendarOf(p.homeLaCode)),
    reviews: (p, _args, ctx) => reviewsOf(ctx, p.id),
    flags: (p, _args, ctx) => nonSchoolFlagsOf(ctx, p),
    history: (p, _args, ctx) => historyOf(ctx, p.id),
    attendance: (p, { from, to }, ctx) => attendanceOf(ctx, p, from, to),
    progressNotes: (p, _args, ctx) => progressNotesOf(ctx, p),
    behaviourIncidents: (p, _args, ctx) => behaviourIncidentsOf(ctx, p),
  },
  AttendanceMark: {
    placement: (m, _args, ctx) => placementOfMark(ctx, m.placementId),
    recordedAt: (m) => m.recordedAt.toISOString(),
  },
  PlacementAttendance: {
    days: (a) => a.days,
    marks: (a) => a.marks,
  },
  AttendanceDay: {
    am: (d) => d.AM,
    pm: (d) => d.PM,
    derivedSessions: (d) => d.derived,
  },
  ProgressNote: {
    recordedAt: (n) => n.recordedAt.toISOString(),
  },
  BehaviourIncident: {
    occurredAt: (i) => i.occurredAt.toISOString(),
    recordedAt: (i) => i.recordedAt.toISOString(),
  },
  AbsenceAlert: {
    placement: (a, _args, ctx) => placementOfMark(ctx, a.placementId),
    raisedAt: (a) => a.raisedAt.toISOString(),
    acknowledgedAt: (a) => a.acknowledgedAt?.toISOString() ?? null,
  },
  Review: {
    placement: (r, _args, ctx) => (r as DueReview).placement ?? placementOfReview(ctx, r.placementId),
    overdue: (r) => r.heldOn === null && r.dueDate < today(),
    providerPart: (r) =>
      r.providerRecordedAt
        ? { progressSummary: r.providerProgressSummary, attendanceComment: r.providerAttendanceComment, view: r.providerView, recommendation: r.providerRecommendation, recordedAt: r.providerRecordedAt.toISOString() }
        : null,
  },
  PlacementHistoryEntry: {
    at: (h) => h.at.toISOString(),
  },
  Pupil: {
    __resolveReference: (ref) => ({ id: ref.id }),
    placements: (pupil, _args, ctx) => visiblePlacementsOfPupil(ctx, pupil.id),
  },
};
