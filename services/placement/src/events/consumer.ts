import type { ConsumerDefinition } from '@ap/subgraph';
import { planPlacementForReferral } from '../placements';

/** Every accepted referral becomes a planned placement. */
export const placementConsumer = (): ConsumerDefinition => ({
  from: ['referral'],
  handlers: { 'referral.accepted': planPlacementForReferral },
});
