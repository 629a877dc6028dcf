import { PUPIL_CASEWORK, type AccessTable } from '@ap/auth';

/**
 * Who may do what with placements: for each operation, each role's organisation relation
 * (libs/auth/src/access.ts explains them). The shield's role gates are built from this table and
 * src/domain/placement.ts checks the relations with mayAccess(); gateway/test/e2e/access-walk.test.ts
 * walks it. QA officers see placements of providers in their LA (a placement holds no pupil
 * names: those stay in the referral service, which QA officers cannot read); analysts and MIS
 * clients see none.
 */
const placementWork = PUPIL_CASEWORK;

/** The commissioning school and the LA manage a placement. */
const commissioners = { ...placementWork, PROVIDER_USER: 'denied' } as const;

const nobody = { SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', LA_ADMIN: 'denied', LA_OFFICER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' } as const;

/** What happens at the provider (attendance, progress, behaviour) is recorded by the provider. */
const providerOnly = { ...nobody, PROVIDER_USER: 'sameProvider' } as const;

/** Absence alerts go to those who commissioned the placement: the school and the pupil's LA. */
const alertReaders = commissioners;

export const placementAccess: AccessTable = {
  'Query.placement': {
    roles: { ...placementWork, QA_OFFICER: 'providersLa' },
    refusal: 'NULL',
    note: 'the commissioning school, the provider, the pupil’s LA; a QA officer its LA’s providers’ placements',
  },
  'Pupil.placements': { roles: placementWork, refusal: 'FILTERED', note: 'the same rule as Query.placement, for each placement' },
  'Query.reviewsDue': { roles: placementWork, refusal: 'FILTERED', note: 'reviews of the placements the caller manages or provides' },
  'Mutation.createPlacement': {
    roles: { ...commissioners, SCHOOL_USER: 'self', LA_ADMIN: 'self', LA_OFFICER: 'self' },
    refusal: 'FORBIDDEN',
    note: 'a school commissions for itself, an LA for itself',
  },
  'Mutation.startPlacement': {
    roles: { PROVIDER_USER: 'sameProvider', LA_ADMIN: 'pupilsLa', LA_OFFICER: 'pupilsLa', SCHOOL_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'NOT_FOUND',
  },
  'Mutation.updatePlacementPlan': { roles: commissioners, refusal: 'NOT_FOUND' },
  'Mutation.endPlacement': { roles: commissioners, refusal: 'NOT_FOUND' },
  'Mutation.cancelPlacement': { roles: commissioners, refusal: 'NOT_FOUND' },
  'Mutation.recordReview': { roles: commissioners, refusal: 'NOT_FOUND' },
  'Mutation.requestPlacementReview': { roles: commissioners, refusal: 'NOT_FOUND', note: 'a parent’s request for a review of an off-site direction, recorded by the school or the LA' },
  'Mutation.setPlacementReviewWeeks': {
    roles: { LA_ADMIN: 'self', LA_OFFICER: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'FORBIDDEN',
    note: 'laCode must be the caller’s own LA',
  },
  'Mutation.recordProviderReviewPart': {
    roles: { PROVIDER_USER: 'sameProvider', LA_ADMIN: 'denied', LA_OFFICER: 'denied', SCHOOL_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'NOT_FOUND',
    note: 'the provider of the placement; the school and LA read it on the review',
  },
  // Issue 11: the provider records; the school and the LA read; a MIS client pushes its school's marks.
  'Mutation.recordAttendance': { roles: providerOnly, refusal: 'NOT_FOUND', note: 'the placement’s provider' },
  'Mutation.recordAttendanceRegister': { roles: providerOnly, refusal: 'NOT_FOUND', note: 'the provider, for its own placements' },
  'Mutation.recordProgressNote': { roles: providerOnly, refusal: 'NOT_FOUND' },
  'Mutation.recordBehaviourIncident': { roles: providerOnly, refusal: 'NOT_FOUND' },
  'Mutation.pushAttendance': {
    roles: { ...nobody, MIS_CLIENT: 'self' },
    refusal: 'BAD_USER_INPUT',
    note: 'a school’s MIS, for its own pupils: a UPN of another school’s pupil is rejected as unknown',
  },
  'Placement.attendance': { roles: placementWork, refusal: 'NULL', note: 'pupil records: the school, the provider, the pupil’s LA (not QA officers)' },
  'Placement.progressNotes': { roles: placementWork, refusal: 'NULL' },
  'Placement.behaviourIncidents': { roles: placementWork, refusal: 'NULL' },
  'Query.absenceAlerts': { roles: alertReaders, refusal: 'FILTERED', note: 'the commissioning school and the pupil’s LA; not the provider' },
  'Mutation.acknowledgeAbsenceAlert': { roles: alertReaders, refusal: 'NOT_FOUND' },
};
