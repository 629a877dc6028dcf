import { directoryProviderHandlers, EventOf } from '@ap/events';
import type { EntityManager } from 'typeorm';
import type { ConsumerDefinition } from '@ap/subgraph';
import { rememberProvider } from '../compliance';

/** The audit service follows the directory's providers, so that it knows each one's LA, and since when. */
export const safeguardingConsumer = (): ConsumerDefinition => ({
  from: ['directory'],
  handlers: {
    ...directoryProviderHandlers,
    'provider.registered': async (event: EventOf<'provider.registered'>, tx: EntityManager) => {
      await directoryProviderHandlers['provider.registered'](event, tx);
      await rememberProvider(tx, event.payload.providerId, event.occurredAt.slice(0, 10));
    },
  },
});
