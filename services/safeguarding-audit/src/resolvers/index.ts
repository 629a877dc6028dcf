import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { auditsOfProvider, completeAudit, findAudit } from '../audits';

export const resolvers: CompleteResolvers = {
  Query: {
    audit: (_, { id }, ctx) => findAudit(ctx, id),
  },
  Mutation: {
    completeAudit: (_, { input }, ctx) => completeAudit(ctx, input),
  },
  Audit: {
    __resolveReference: (ref, ctx) => findAudit(ctx, ref.id),
    provider: (a) => ({ id: a.providerId }),
    completedAt: (a) => a.completedAt.toISOString(),
  },
  Provider: {
    __resolveReference: (ref) => ({ id: ref.id }),
    audits: (p, _args, ctx) => auditsOfProvider(ctx, p.id),
  },
};
