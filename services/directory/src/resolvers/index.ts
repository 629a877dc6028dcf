import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { approveProvider, findProvider, listProviders, registerProvider } from '../providers';

export const resolvers: CompleteResolvers = {
  Query: {
    provider: (_, { id }, ctx) => findProvider(ctx, id),
    providers: (_, { approvalStatus }, ctx) => listProviders(ctx, approvalStatus),
  },
  Mutation: {
    registerProvider: (_, { input }, ctx) => registerProvider(ctx, input),
    approveProvider: (_, { id }, ctx) => approveProvider(ctx, id),
  },
  Provider: {
    __resolveReference: (ref, ctx) => findProvider(ctx, ref.id),
    approvedAt: (p) => p.approvedAt?.toISOString() ?? null,
  },
};
