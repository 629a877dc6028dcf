import type { GraphQLResolverMap } from '@apollo/subgraph';
import { auditsOfProvider, completeAudit, findAudit } from '../audits';
import { SafeguardingContext } from '../context';
import { Rating } from '../domain/audit';
import { Audit } from '../entities';

export const resolvers: GraphQLResolverMap<SafeguardingContext> = {
  Query: {
    audit: (_: unknown, args: { id: string }, ctx: SafeguardingContext) => findAudit(ctx, args.id),
  },
  Mutation: {
    completeAudit: (_: unknown, args: { input: { providerId: string; rating: Rating; summary?: string | null } }, ctx: SafeguardingContext) =>
      completeAudit(ctx, args.input),
  },
  Audit: {
    __resolveReference: (ref: { id: string }, ctx: SafeguardingContext) => findAudit(ctx, ref.id),
    provider: (a: Audit) => ({ __typename: 'Provider', id: a.providerId }),
    completedAt: (a: Audit) => a.completedAt.toISOString(),
  },
  Provider: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    audits: (p: { id: string }, _args: unknown, ctx: SafeguardingContext) => auditsOfProvider(ctx, p.id),
  },
};
