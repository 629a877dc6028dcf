import { allowFields, hasRole, permissionsFromTable, rolesAllowed } from '@ap/auth';
import { referralAccess } from './access';

/**
 * Role gates from the access table (src/access.ts); the use cases then scope every answer to the
 * caller's organisation (src/domain/access.ts).
 */
export const permissions = permissionsFromTable('referral', referralAccess, {
  // Pupil data is special-category: even when reached through another subgraph's entity,
  // only the roles that may read a pupil get any of its fields.
  // A MIS client registers pupils and gets back their ids, nothing more.
  Pupil: {
    '*': hasRole(...rolesAllowed(referralAccess['Query.pupil'])),
    id: hasRole(...rolesAllowed(referralAccess['Query.pupil']), ...rolesAllowed(referralAccess['Mutation.registerPupil'])),
  },
  Referral: allowFields(),
  Provider: allowFields(),
  Offer: allowFields(),
  Consent: allowFields(),
  ReferralStep: allowFields(),
  ReferralPage: allowFields(),
  PupilAccessRecord: allowFields(),
  PupilAccessPage: allowFields(),
  Day6WatchEntry: allowFields(),
  PupilUpsertResult: allowFields(),
  UpsertProblem: allowFields(),
  ReferralResponseSetting: allowFields(),
});
