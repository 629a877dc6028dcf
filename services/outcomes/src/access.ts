import type { AccessTable } from '@ap/auth';

/**
 * Who may read outcomes: for each operation, each role's organisation relation (libs/auth/src/access.ts
 * explains them). The shield's role gates are built from this table and src/domain/access.ts checks
 * the relation against the provider's LA, which this service learns from the directory's events;
 * gateway/test/e2e/access-walk.test.ts walks it. Outcomes are aggregates without pupils.
 */
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
};
