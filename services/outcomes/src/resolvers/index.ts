import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { providerOutcomes } from '../outcomes';

export const resolvers: CompleteResolvers = {
  Query: {
    providerOutcomes: (_, { providerId }, ctx) => providerOutcomes(ctx, providerId),
  },
  ProviderOutcomes: {
    provider: (o) => ({ id: o.providerId }),
  },
};
