import type { GraphQLResolverMap } from '@apollo/subgraph';
import { PlacementContext } from '../context';
import { Placement } from '../entities';
import { startPlacement, visiblePlacement, visiblePlacementsOfPupil } from '../placements';

export const resolvers: GraphQLResolverMap<PlacementContext> = {
  Query: {
    placement: (_: unknown, args: { id: string }, ctx: PlacementContext) => visiblePlacement(ctx, args.id),
  },
  Mutation: {
    startPlacement: (_: unknown, args: { id: string }, ctx: PlacementContext) => startPlacement(ctx, args.id),
  },
  Placement: {
    __resolveReference: (ref: { id: string }, ctx: PlacementContext) => visiblePlacement(ctx, ref.id),
    pupil: (p: Placement) => ({ __typename: 'Pupil', id: p.pupilId }),
    provider: (p: Placement) => ({ __typename: 'Provider', id: p.providerId }),
    plannedAt: (p: Placement) => p.plannedAt.toISOString(),
    startedAt: (p: Placement) => p.startedAt?.toISOString() ?? null,
  },
  Pupil: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    placements: (pupil: { id: string }, _args: unknown, ctx: PlacementContext) => visiblePlacementsOfPupil(ctx, pupil.id),
  },
};
