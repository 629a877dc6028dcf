import { allowFields, buildPermissions, rules } from '@ap/auth';

/** Aggregates only; src/domain/access.ts narrows a provider to its own figures. */
export const permissions = buildPermissions({
  Query: { providerOutcomes: rules.hasRole('ANALYST', 'LA_ADMIN', 'LA_OFFICER', 'QA_OFFICER', 'PROVIDER_USER') },
  ProviderOutcomes: allowFields(),
  Provider: allowFields(),
});
