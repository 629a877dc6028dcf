import { allowFields, permissionsFromTable } from '@ap/auth';
import { outcomesAccess } from './access';

/** Role gates from the access table (src/access.ts); src/domain/access.ts checks the provider's LA. */
export const permissions = permissionsFromTable('outcomes', outcomesAccess, {
  ProviderOutcomes: allowFields(),
  Provider: allowFields(),
});
