import type { AccessTable } from '@ap/auth';

/**
 * Who may do what with safeguarding audits: for each operation, each role's organisation relation
 * (libs/auth/src/access.ts explains them). The shield's role gates are built from this table and
 * src/audits.ts checks the relations with mayAccess() against the provider's LA, which this service
 * learns from the directory's events; gateway/test/e2e/access-walk.test.ts walks it. Schools see a
 * provider's compliance in the directory, not its audits.
 */
const auditReaders = {
  QA_OFFICER: 'providersLa',
  LA_ADMIN: 'providersLa',
  LA_OFFICER: 'providersLa',
  PROVIDER_USER: 'sameProvider',
  SCHOOL_USER: 'denied',
  ANALYST: 'denied',
  MIS_CLIENT: 'denied',
} as const;

export const safeguardingAccess: AccessTable = {
  'Query.audit': { roles: auditReaders, refusal: 'NULL', note: 'QA and LA staff of the provider’s LA; the provider its own' },
  'Provider.audits': { roles: auditReaders, refusal: 'FILTERED', note: 'the same rule as Query.audit' },
  'Mutation.completeAudit': {
    roles: { QA_OFFICER: 'providersLa', LA_ADMIN: 'providersLa', LA_OFFICER: 'denied', PROVIDER_USER: 'denied', SCHOOL_USER: 'denied', ANALYST: 'denied', MIS_CLIENT: 'denied' },
    refusal: 'NOT_FOUND',
    note: 'an unknown provider and another LA’s provider answer alike: NOT_FOUND, nothing written',
  },
};
