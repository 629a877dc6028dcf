import type { AccessTable } from '@ap/auth';

/**
 * Who may do what with pupils and referrals: for each operation, each role's organisation relation
 * (libs/auth/src/access.ts explains them). The shield's role gates are built from this table and
 * src/domain/access.ts checks the relations with mayAccess(); gateway/test/e2e/access-walk.test.ts
 * walks it. A MIS client pushes pupils (and, later, attendance): it registers, and reads nothing.
 * QA officers and analysts work with providers and aggregates, never with an individual pupil.
 */
const pupilWork = {
  SCHOOL_USER: 'sameSchool',
  PROVIDER_USER: 'sameProvider',
  LA_ADMIN: 'pupilsLa',
  LA_OFFICER: 'pupilsLa',
  QA_OFFICER: 'denied',
  ANALYST: 'denied',
  MIS_CLIENT: 'denied',
} as const;

export const referralAccess: AccessTable = {
  'Query.pupil': { roles: pupilWork, refusal: 'NULL', note: 'a school its registered or referred pupils, a provider those referred to it, an LA its home pupils' },
  'Query.referral': { roles: pupilWork, refusal: 'NULL', note: 'the referring school, the provider referred to, the pupil’s LA' },
  'Pupil.referrals': { roles: pupilWork, refusal: 'FILTERED', note: 'the same rule as Query.referral, for each referral' },
  'Mutation.registerPupil': {
    roles: { SCHOOL_USER: 'self', MIS_CLIENT: 'self', LA_ADMIN: 'pupilsLa', LA_OFFICER: 'pupilsLa', PROVIDER_USER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'BAD_USER_INPUT',
    note: 'a school for itself; an LA only a pupil whose homeLaCode is its own',
  },
  'Mutation.submitReferral': {
    roles: { SCHOOL_USER: 'sameSchool', LA_ADMIN: 'pupilsLa', LA_OFFICER: 'pupilsLa', MIS_CLIENT: 'denied', PROVIDER_USER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'BAD_USER_INPUT',
    note: 'a pupil the school registered, or of the LA; another’s pupil answers as an unknown pupil',
  },
  'Mutation.acceptReferral': {
    roles: { PROVIDER_USER: 'sameProvider', LA_ADMIN: 'pupilsLa', LA_OFFICER: 'pupilsLa', SCHOOL_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'NOT_FOUND',
  },
};
