import type { Resolvers } from '../__generated__/resolvers-types';
import { providerOutcomes } from '../outcomes';

export const resolvers: Resolvers = {
  Query: {
    providerOutcomes: (_, { providerId }, ctx) => providerOutcomes(ctx, providerId),
  },
  ProviderOutcomes: {
    provider: (o) => ({ id: o.providerId }),
  },
};
