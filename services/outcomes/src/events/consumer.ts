import { directoryProviderHandlers } from '@ap/events';
import type { ConsumerDefinition } from '@ap/subgraph';
import { countPlacementStarted } from '../outcomes';

/** Placements give the figures; the directory's providers give each provider's LA, for access. */
export const outcomesConsumer = (): ConsumerDefinition => ({
  from: ['placement', 'directory'],
  handlers: { 'placement.started': countPlacementStarted, ...directoryProviderHandlers },
});
