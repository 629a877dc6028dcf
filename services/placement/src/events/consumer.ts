import type { ConsumerDefinition, ServiceDeps } from '@ap/subgraph';
import { planPlacementForReferral } from '../placements';

/** Every accepted referral becomes a planned placement, unless the pupil already has one open. */
export const placementConsumer = (deps: ServiceDeps): ConsumerDefinition => ({
  from: ['referral'],
  handlers: { 'referral.accepted': (event, tx) => planPlacementForReferral(event, tx, deps.logger) },
});
