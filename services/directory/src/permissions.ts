import { allowFields, permissionsFromTable } from '@ap/auth';
import { directoryAccess } from './access';

/** Role gates from the access table (src/access.ts); the use cases check each relation. */
export const permissions = permissionsFromTable('directory', directoryAccess, {
  Provider: allowFields(),
});
