import { directoryOfferHandlers, directoryProviderHandlers, directorySchoolHandlers } from '@ap/events';
import type { ConsumerDefinition } from '@ap/subgraph';
import { placementHandlers } from '../watch';

/**
 * The referral service follows the directory (a provider becomes referrable once approved, and
 * not while suspended or withdrawn; a direct referral goes to an open offer of the provider; a
 * school's LA makes its pupils that LA's) and the placements
 * made from its referrals.
 */
export const referralConsumer = (): ConsumerDefinition => ({
  from: ['directory', 'placement'],
  handlers: { ...directoryProviderHandlers, ...directorySchoolHandlers, ...directoryOfferHandlers, ...placementHandlers },
});
