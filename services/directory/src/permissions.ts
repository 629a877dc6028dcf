import { allowFields, buildPermissions, rules } from '@ap/auth';

/** The directory is the local offer: every signed-in user may search it; the LA curates it. */
export const permissions = buildPermissions({
  Query: {
    provider: rules.isAuthenticated,
    providers: rules.isAuthenticated,
  },
  Mutation: {
    registerProvider: rules.hasRole('LA_ADMIN', 'LA_OFFICER'),
    approveProvider: rules.hasRole('LA_ADMIN'),
  },
  Provider: allowFields(),
});
