import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { startPlacement, visiblePlacement, visiblePlacementsOfPupil } from '../placements';

export const resolvers: CompleteResolvers = {
  Query: {
    placement: (_, { id }, ctx) => visiblePlacement(ctx, id),
  },
  Mutation: {
    startPlacement: (_, { id }, ctx) => startPlacement(ctx, id),
  },
  Placement: {
    __resolveReference: (ref, ctx) => visiblePlacement(ctx, ref.id),
    pupil: (p) => ({ id: p.pupilId }),
    provider: (p) => ({ id: p.providerId }),
    plannedAt: (p) => p.plannedAt.toISOString(),
    startedAt: (p) => p.startedAt?.toISOString() ?? null,
  },
  Pupil: {
    __resolveReference: (ref) => ({ id: ref.id }),
    placements: (pupil, _args, ctx) => visiblePlacementsOfPupil(ctx, pupil.id),
  },
};
