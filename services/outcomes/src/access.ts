import { AccessRow, AccessTable, PUPIL_CASEWORK } from '@ap/auth';

/**
 * Who may read outcomes: for each operation, each role's organisation relation (libs/auth/src/access.ts
 * explains them). The shield's role gates are built from this table and src/domain/access.ts checks
 * the relation against the provider's LA, which this service learns from the directory's events;
 * gateway/test/e2e/access-walk.test.ts walks it. Lists are scoped by the relation (outcomeScope in
 * src/domain/access.ts): an LA's pupils, a school's or a provider's placements, nothing else.
 */

/** LA staff and analysts see their LA's pupils' figures; a school its own, a provider its own. */
const FIGURES: AccessRow['roles'] = {
  ANALYST: 'pupilsLa',
  LA_ADMIN: 'pupilsLa',
  LA_OFFICER: 'pupilsLa',
  QA_OFFICER: 'pupilsLa',
  SCHOOL_USER: 'sameSchool',
  PROVIDER_USER: 'sameProvider',
  MIS_CLIENT: 'denied',
};

/** Who enters a pupil's records: the school, the provider and the pupil's LA. */
const RECORDS: AccessRow['roles'] = PUPIL_CASEWORK;

/** The LA's own reviews and questions (analysts see the aggregates). */
const LA_ONLY: AccessRow['roles'] = {
  ANALYST: 'denied',
  LA_ADMIN: 'pupilsLa',
  LA_OFFICER: 'pupilsLa',
  QA_OFFICER: 'denied',
  SCHOOL_USER: 'denied',
  PROVIDER_USER: 'denied',
  MIS_CLIENT: 'denied',
};
export const outcomesAccess: AccessTable = {
  'Query.providerOutcomes': {
    roles: {
      ANALYST: 'providersLa',
      LA_ADMIN: 'providersLa',
      LA_OFFICER: 'providersLa',
      QA_OFFICER: 'providersLa',
      PROVIDER_USER: 'sameProvider',
      SCHOOL_USER: 'denied',
      MIS_CLIENT: 'denied',
    },
    refusal: 'NOT_FOUND',
    note: 'another LA’s provider and an unknown provider answer alike',
  },
  'Query.apOutcomes': {
    roles: FIGURES,
    refusal: 'FILTERED',
    note: 'aggregates of the caller’s own placements only: a filter naming another LA, school or provider finds nothing',
  },
  'Query.outcomeRows': {
    roles: { ...FIGURES, QA_OFFICER: 'denied' },
    refusal: 'FILTERED',
    note: 'one row per placement; pseudonymised for ANALYST (a per-LA keyed hash, year group only)',
  },
  'Query.cafeReviewList': { roles: LA_ONLY, refusal: 'FORBIDDEN', note: 'an LA’s own children absent from education' },
  'Mutation.recordCafeReview': { roles: LA_ONLY, refusal: 'NOT_FOUND', note: 'another LA’s pupil and an unknown one answer alike' },
  'Query.schoolUsage': {
    roles: { ...LA_ONLY, ANALYST: 'pupilsLa', SCHOOL_USER: 'sameSchool' },
    refusal: 'FILTERED',
    note: 'a school sees its own row only',
  },
  'Query.sendPathways': { roles: { ...LA_ONLY, ANALYST: 'pupilsLa' }, refusal: 'FILTERED', note: 'counts only' },
  'Query.censusApPlacements': {
    roles: { ...LA_ONLY, LA_ADMIN: 'denied', LA_OFFICER: 'denied', SCHOOL_USER: 'sameSchool', MIS_CLIENT: 'sameSchool' },
    refusal: 'FORBIDDEN',
    note: 'the school’s own census return; the UPN comes from the referral service, which logs the read',
  },
  'Mutation.recordAttainment': { roles: RECORDS, refusal: 'NOT_FOUND', note: 'against a placement the caller works with' },
  'Mutation.recordDestination': { roles: RECORDS, refusal: 'NOT_FOUND', note: 'a pupil with a placement the caller works with' },
  'Mutation.recordSuspension': {
    roles: { ...RECORDS, PROVIDER_USER: 'denied' },
    refusal: 'NOT_FOUND',
    note: 'schools report suspensions (and the pupil’s LA)',
  },
};
