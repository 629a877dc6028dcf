import { allowFields, permissionsFromTable } from '@ap/auth';
import { safeguardingAccess } from './access';

/** Role gates from the access table (src/access.ts); src/audits.ts checks the provider's LA. */
export const permissions = permissionsFromTable('safeguarding-audit', safeguardingAccess, {
  Audit: allowFields(),
  Provider: allowFields(),
});
