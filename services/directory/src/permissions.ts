import { allowFields, permissionsFromTable } from '@ap/auth';
import { directoryAccess } from './access';

// Types whose access the field that returned them decided (Provider.contacts and approvalHistory
// check the caller in their resolvers; the Public* types carry only public fields).
const returned = [
  'Provider', 'Location', 'Contact', 'ApprovalChange', 'Offer', 'School', 'LocalAuthority',
  'ProviderEdge', 'ProviderConnection', 'PageInfo', 'PublicProvider', 'PublicOffer', 'LocalOfferEdge', 'LocalOfferConnection',
];

/** Role gates from the access table (src/access.ts); the use cases check each relation. */
export const permissions = permissionsFromTable('directory', directoryAccess, Object.fromEntries(returned.map((t) => [t, allowFields()])));
