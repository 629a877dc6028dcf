import { directoryProviderHandlers } from '@ap/events';
import type { ConsumerDefinition } from '@ap/subgraph';

/** The referral service follows the directory: a provider becomes referrable once approved. */
export const referralConsumer = (): ConsumerDefinition => ({
  from: ['directory'],
  handlers: { ...directoryProviderHandlers },
});
