import { PUPIL_CASEWORK, type AccessTable } from '@ap/auth';

/**
 * Who may do what with pupils and referrals: for each operation, each role's organisation relation
 * (libs/auth/src/access.ts explains them). The shield's role gates are built from this table and
 * src/domain/access.ts checks the relations with mayAccess(); gateway/test/e2e/access-walk.test.ts
 * walks it. A MIS client pushes pupils (and, later, attendance): it registers, and reads nothing.
 * QA officers and analysts work with providers and aggregates, never with an individual pupil.
 */
const pupilWork = PUPIL_CASEWORK;

/** Who answers a referral: the provider it was sent to, or the LA panel of the pupil's LA. */
const answering = {
  PROVIDER_USER: 'sameProvider',
  LA_ADMIN: 'pupilsLa',
  LA_OFFICER: 'pupilsLa',
  SCHOOL_USER: 'denied',
  MIS_CLIENT: 'denied',
  QA_OFFICER: 'denied',
  ANALYST: 'denied',
} as const;

/** Who makes a referral: the school, or the pupil's LA on its behalf. */
const referring = {
  SCHOOL_USER: 'sameSchool',
  LA_ADMIN: 'pupilsLa',
  LA_OFFICER: 'pupilsLa',
  PROVIDER_USER: 'denied',
  MIS_CLIENT: 'denied',
  QA_OFFICER: 'denied',
  ANALYST: 'denied',
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
    roles: referring,
    refusal: 'BAD_USER_INPUT',
    note: 'a pupil the school registered, or of the LA; another’s pupil answers as an unknown pupil',
  },
  'Mutation.acceptReferral': { roles: answering, refusal: 'NOT_FOUND' },
  'Mutation.reviewReferral': { roles: answering, refusal: 'NOT_FOUND', note: 'the provider referred to, or the pupil’s LA panel' },
  'Mutation.declineReferral': { roles: answering, refusal: 'NOT_FOUND', note: 'the provider referred to, or the pupil’s LA panel' },
  'Mutation.saveReferralDraft': { roles: referring, refusal: 'BAD_USER_INPUT', note: 'the referring school, or the pupil’s LA on its behalf' },
  'Mutation.submitReferralDraft': { roles: referring, refusal: 'NOT_FOUND', note: 'the referring school, or the pupil’s LA' },
  'Mutation.withdrawReferral': { roles: referring, refusal: 'NOT_FOUND', note: 'the referring school, or the pupil’s LA' },
  'Mutation.assignProvider': {
    roles: { LA_ADMIN: 'pupilsLa', LA_OFFICER: 'pupilsLa', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'NOT_FOUND',
    note: 'the LA panel of the pupil’s LA, for an LA_PANEL referral',
  },
  'Mutation.upsertPupils': {
    roles: { MIS_CLIENT: 'self', SCHOOL_USER: 'self', LA_ADMIN: 'denied', LA_OFFICER: 'denied', PROVIDER_USER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'BAD_USER_INPUT',
    note: 'a school’s MIS pushes its own roll; a known UPN is linked only with matching names and date of birth',
  },
  'Query.referralsAwaitingResponse': {
    roles: { PROVIDER_USER: 'sameProvider', LA_ADMIN: 'pupilsLa', LA_OFFICER: 'pupilsLa', SCHOOL_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'FILTERED',
    note: 'a provider those sent to it; an LA its pupils’ (the panel’s included)',
  },
  'Query.day6Watchlist': {
    roles: { LA_ADMIN: 'self', LA_OFFICER: 'self', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'FORBIDDEN',
    note: 'laCode must be the caller’s own LA',
  },
  'Mutation.setReferralResponseDays': {
    roles: { LA_ADMIN: 'self', LA_OFFICER: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'FORBIDDEN',
    note: 'laCode must be the caller’s own LA',
  },
  'Query.pupilAccessLog': {
    roles: { LA_ADMIN: 'pupilsLa', LA_OFFICER: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied' },
    refusal: 'NOT_FOUND',
    note: 'the data-protection question, for the pupil’s LA admin only',
  },
};
