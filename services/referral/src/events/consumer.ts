import type { ConsumerDefinition } from '@ap/subgraph';
import { learnProviderApproved, learnProviderRegistered } from '../directory-providers';

/** The referral service follows the directory: a provider becomes referrable once approved. */
export const referralConsumer = (): ConsumerDefinition => ({
  from: ['directory'],
  handlers: { 'provider.registered': learnProviderRegistered, 'provider.approved': learnProviderApproved },
});
