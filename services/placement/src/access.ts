import type { AccessTable } from '@ap/auth';

/**
 * Who may do what with placements: for each operation, each role's organisation relation
 * (libs/auth/src/access.ts explains them). The shield's role gates are built from this table and
 * src/domain/placement.ts checks the relations with mayAccess(); gateway/test/e2e/access-walk.test.ts
 * walks it. QA officers will see placements of providers they audit, without pupil names (issue 10);
 * until then they, analysts and MIS clients see none.
 */
const placementWork = {
  SCHOOL_USER: 'sameSchool',
  PROVIDER_USER: 'sameProvider',
  LA_ADMIN: 'pupilsLa',
  LA_OFFICER: 'pupilsLa',
  QA_OFFICER: 'denied',
  ANALYST: 'denied',
  MIS_CLIENT: 'denied',
} as const;

export const placementAccess: AccessTable = {
  'Query.placement': { roles: placementWork, refusal: 'NULL', note: 'the commissioning school, the provider, the pupil’s LA' },
  'Pupil.placements': { roles: placementWork, refusal: 'FILTERED', note: 'the same rule as Query.placement, for each placement' },
  'Mutation.startPlacement': {
    roles: { PROVIDER_USER: 'sameProvider', LA_ADMIN: 'pupilsLa', LA_OFFICER: 'pupilsLa', SCHOOL_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'NOT_FOUND',
  },
};
