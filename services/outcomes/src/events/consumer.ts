import { directoryProviderHandlers } from '@ap/events';
import type { ConsumerDefinition } from '@ap/subgraph';
import { countPlacementEnded, countPlacementStarted } from '../outcomes';

/** Placements give the figures; the directory's providers give each provider's LA, for access. */
export const outcomesConsumer = (): ConsumerDefinition => ({
  from: ['placement', 'directory'],
  handlers: { 'placement.started': countPlacementStarted, 'placement.ended': countPlacementEnded, ...directoryProviderHandlers },
});
