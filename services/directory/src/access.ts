import type { AccessTable } from '@ap/auth';

/**
 * Who may do what in the directory: for each operation, each role's organisation relation
 * (libs/auth/src/access.ts explains them). The shield's role gates are built from this table and
 * the use cases check the relation with mayAccess(); gateway/test/e2e/access-walk.test.ts walks it.
 *
 * Interim rule for schools: a school token names only a URN, so the school's LA is not known yet;
 * a school sees APPROVED providers (of any LA) until the directory learns schools' LAs (issue 8).
 * Provider entities reached from other subgraphs (placement.provider, audit.provider …) follow the
 * row of Query.provider.
 */
// LA staff see their own LA's directory in full, and other LAs' providers only once APPROVED, as the
// public local offer shows them (so a pupil placed across a border still shows its provider).
const directoryReaders = {
  LA_ADMIN: 'providersLaOrApproved',
  LA_OFFICER: 'providersLaOrApproved',
  QA_OFFICER: 'providersLaOrApproved',
  // The directory holds no contact details yet; when it does, analysts do not get them (issue 8).
  ANALYST: 'providersLaOrApproved',
  SCHOOL_USER: 'approvedProvider',
  PROVIDER_USER: 'sameProvider',
  MIS_CLIENT: 'denied',
} as const;

export const directoryAccess: AccessTable = {
  'Query.provider': { roles: directoryReaders, refusal: 'NULL', note: "LA staff their LA's directory and others' approved providers; schools approved providers; a provider itself" },
  'Query.providers': { roles: directoryReaders, refusal: 'FILTERED', note: 'as Query.provider, one row per provider' },
  'Mutation.registerProvider': {
    roles: { LA_ADMIN: 'self', LA_OFFICER: 'self', QA_OFFICER: 'denied', ANALYST: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'FORBIDDEN',
    note: "into the caller's own LA directory",
  },
  'Mutation.approveProvider': {
    roles: { LA_ADMIN: 'providersLa', LA_OFFICER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'NOT_FOUND',
  },
};
