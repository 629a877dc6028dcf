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
// A QA officer reads its own LA's providers only (the ones it audits), not other LAs'.
const directoryReaders = {
  LA_ADMIN: 'providersLaOrApproved',
  LA_OFFICER: 'providersLaOrApproved',
  QA_OFFICER: 'providersLa',
  // Analysts read providers and offers but no contacts (Provider.contacts answers [] to them).
  ANALYST: 'providersLaOrApproved',
  SCHOOL_USER: 'approvedProvider',
  PROVIDER_USER: 'sameProvider',
  MIS_CLIENT: 'denied',
} as const;

const laAdminOfProvider = {
  LA_ADMIN: 'providersLa', LA_OFFICER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied',
} as const;
// The provider's own user edits only while APPLIED (the use case says CONFLICT otherwise).
const providerEditors = { ...laAdminOfProvider, PROVIDER_USER: 'sameProvider' } as const;

export const directoryAccess: AccessTable = {
  'Query.provider': { roles: directoryReaders, refusal: 'NULL', note: "LA admins and officers their LA's directory and others' approved providers; QA officers their LA's; schools approved providers; a provider itself" },
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
  'Query.searchProviders': {
    roles: directoryReaders,
    refusal: 'FILTERED',
    note: "as Query.providers, other LAs' providers as their local offer shows them; a school its LA's approved providers once the directory knows the school",
  },
  'Query.localOffer': {
    roles: { LA_ADMIN: 'any', LA_OFFICER: 'any', QA_OFFICER: 'any', ANALYST: 'any', SCHOOL_USER: 'any', PROVIDER_USER: 'any', MIS_CLIENT: 'any' },
    refusal: 'FILTERED',
    note: 'also without a token (the gateway lets this one operation through, rate-limited per IP)',
    public: true,
  },
  'Mutation.updateProviderProfile': { roles: providerEditors, refusal: 'NOT_FOUND', note: 'the provider itself while APPLIED' },
  'Mutation.suspendProvider': { roles: laAdminOfProvider, refusal: 'NOT_FOUND' },
  'Mutation.withdrawProvider': { roles: laAdminOfProvider, refusal: 'NOT_FOUND' },
  'Mutation.reinstateProvider': { roles: laAdminOfProvider, refusal: 'NOT_FOUND' },
  'Mutation.addOffer': { roles: providerEditors, refusal: 'NOT_FOUND', note: 'the provider itself while APPLIED' },
  'Mutation.updateOffer': { roles: providerEditors, refusal: 'NOT_FOUND', note: 'the provider itself while APPLIED' },
  'Mutation.closeOffer': { roles: providerEditors, refusal: 'NOT_FOUND', note: 'the provider itself while APPLIED' },
  'Mutation.registerSchool': {
    roles: { LA_ADMIN: 'self', LA_OFFICER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'BAD_USER_INPUT',
    note: "a school of the caller's own LA",
  },
  'Mutation.importSchools': {
    roles: { LA_ADMIN: 'self', LA_OFFICER: 'denied', QA_OFFICER: 'denied', ANALYST: 'denied', SCHOOL_USER: 'denied', PROVIDER_USER: 'denied', MIS_CLIENT: 'self' },
    refusal: 'BAD_USER_INPUT',
    note: "an LA admin its own LA's schools; a MIS client any LA's (it only imports)",
  },
};

/** Operations that answer without a token (the gateway lets an anonymous request through only when it asks for these alone). */
export const directoryPublicOperations = ['Query.localOffer'] as const;
