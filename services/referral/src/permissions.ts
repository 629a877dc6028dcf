import { allowFields, buildPermissions, rules } from '@ap/auth';

/**
 * Roles decide which operations a caller may attempt; the use cases then scope every answer to
 * the caller's organisation (src/domain/access.ts).
 */
const pupilReaders = rules.hasRole('SCHOOL_USER', 'MIS_CLIENT', 'PROVIDER_USER', 'LA_ADMIN', 'LA_OFFICER');

export const permissions = buildPermissions({
  Query: {
    pupil: pupilReaders,
    referral: rules.hasRole('SCHOOL_USER', 'PROVIDER_USER', 'LA_ADMIN', 'LA_OFFICER'),
  },
  Mutation: {
    registerPupil: rules.hasRole('SCHOOL_USER', 'MIS_CLIENT', 'LA_ADMIN', 'LA_OFFICER'),
    submitReferral: rules.hasRole('SCHOOL_USER', 'LA_ADMIN', 'LA_OFFICER'),
    acceptReferral: rules.hasRole('PROVIDER_USER', 'LA_ADMIN', 'LA_OFFICER'),
  },
  // Pupil data is special-category: even when reached through another subgraph's entity,
  // only the roles that work with individual pupils may read it.
  Pupil: { '*': pupilReaders },
  Referral: allowFields(),
  Provider: allowFields(),
});
