import { allowFields, buildPermissions, rules } from '@ap/auth';

const placementReaders = rules.hasRole('SCHOOL_USER', 'MIS_CLIENT', 'PROVIDER_USER', 'LA_ADMIN', 'LA_OFFICER');

/** Roles gate the operations; src/domain/placement.ts scopes each answer to the caller's organisation. */
export const permissions = buildPermissions({
  Query: { placement: placementReaders },
  Mutation: { startPlacement: rules.hasRole('PROVIDER_USER', 'LA_ADMIN', 'LA_OFFICER') },
  Placement: allowFields(),
  Pupil: allowFields({ placements: placementReaders }),
  Provider: allowFields(),
});
