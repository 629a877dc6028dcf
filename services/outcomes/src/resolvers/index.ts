import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { apOutcomes, outcomeRows } from '../figures';
import { providerOutcomes } from '../outcomes';
import { recordAttainment, recordCafeReview, recordDestination, recordSuspension } from '../records';
import { cafeReviewList, censusApPlacements, schoolUsage, sendPathways } from '../reviews';

export const resolvers: CompleteResolvers = {
  Query: {
    providerOutcomes: (_, { providerId }, ctx) => providerOutcomes(ctx, providerId),
    apOutcomes: (_, { filter, groupBy }, ctx) => apOutcomes(ctx, filter, groupBy),
    outcomeRows: (_, { filter, first, after }, ctx) => outcomeRows(ctx, filter, first, after),
    cafeReviewList: (_, { laCode, asOf }, ctx) => cafeReviewList(ctx, laCode, asOf),
    schoolUsage: (_, { laCode, academicYear }, ctx) => schoolUsage(ctx, laCode, academicYear),
    sendPathways: (_, { laCode, academicYear }, ctx) => sendPathways(ctx, laCode, academicYear),
    censusApPlacements: (_, { urn, censusDate }, ctx) => censusApPlacements(ctx, urn, censusDate),
  },
  Mutation: {
    recordAttainment: (_, { input }, ctx) => recordAttainment(ctx, input),
    recordDestination: (_, { input }, ctx) => recordDestination(ctx, input),
    recordSuspension: (_, { input }, ctx) => recordSuspension(ctx, input),
    recordCafeReview: (_, { pupilId, decision, notes }, ctx) => recordCafeReview(ctx, pupilId, decision, notes),
  },
  ProviderOutcomes: {
    provider: (o) => ({ id: o.providerId }),
  },
};
