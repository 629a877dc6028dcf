import type { ConsumerDefinition } from '@ap/subgraph';
import { countPlacementStarted } from '../outcomes';

export const outcomesConsumer = (): ConsumerDefinition => ({
  from: ['placement'],
  handlers: { 'placement.started': countPlacementStarted },
});
