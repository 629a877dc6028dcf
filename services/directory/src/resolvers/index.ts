import type { GraphQLResolverMap } from '@apollo/subgraph';
import { DirectoryContext } from '../context';
import { ApprovalStatus, ProviderDetails } from '../domain/provider';
import { Provider } from '../entities';
import { approveProvider, findProvider, listProviders, registerProvider } from '../providers';

export const resolvers: GraphQLResolverMap<DirectoryContext> = {
  Query: {
    provider: (_: unknown, args: { id: string }, ctx: DirectoryContext) => findProvider(ctx, args.id),
    providers: (_: unknown, args: { approvalStatus?: ApprovalStatus | null }, ctx: DirectoryContext) =>
      listProviders(ctx, args.approvalStatus),
  },
  Mutation: {
    registerProvider: (_: unknown, args: { input: ProviderDetails }, ctx: DirectoryContext) => registerProvider(ctx, args.input),
    approveProvider: (_: unknown, args: { id: string }, ctx: DirectoryContext) => approveProvider(ctx, args.id),
  },
  Provider: {
    __resolveReference: (ref: { id: string }, ctx: DirectoryContext) => findProvider(ctx, ref.id),
    approvedAt: (p: Provider) => p.approvedAt?.toISOString() ?? null,
  },
};
