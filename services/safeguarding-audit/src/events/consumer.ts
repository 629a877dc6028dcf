import { directoryProviderHandlers } from '@ap/events';
import type { ConsumerDefinition } from '@ap/subgraph';

/** The audit service follows the directory's providers, so that it knows each one's LA. */
export const safeguardingConsumer = (): ConsumerDefinition => ({
  from: ['directory'],
  handlers: { ...directoryProviderHandlers },
});
