import { DirectoryOffer, DirectoryProvider, DirectorySchool } from '@ap/events';
import { Placement } from './placement';
import { PlacementHistory, PlacementReview } from './review';

export { Placement, PlacementHistory, PlacementReview };
export const entities = [Placement, PlacementReview, PlacementHistory, DirectoryProvider, DirectorySchool, DirectoryOffer];
