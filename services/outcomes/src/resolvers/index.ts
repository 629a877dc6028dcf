import type { GraphQLResolverMap } from '@apollo/subgraph';
import { OutcomesContext } from '../context';
import { ProviderOutcome } from '../entities';
import { providerOutcomes } from '../outcomes';

export const resolvers: GraphQLResolverMap<OutcomesContext> = {
  Query: {
    providerOutcomes: (_: unknown, args: { providerId: string }, ctx: OutcomesContext) => providerOutcomes(ctx, args.providerId),
  },
  ProviderOutcomes: {
    provider: (o: ProviderOutcome) => ({ __typename: 'Provider', id: o.providerId }),
  },
};
