import { requirePrincipal } from '@ap/auth';
import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { freePlaces } from '../domain/offer';
import { addOffer, closeOffer, findOffer, offersOf, updateOffer } from '../offers';
import {
  approvalHistory,
  approveProvider,
  changeLifecycle,
  findProvider,
  listProviders,
  maySeeProviderDetail,
  registerProvider,
  updateProviderProfile,
} from '../providers';
import { importSchools, localAuthorityOf, registerSchool } from '../schools';
import { localOffer, searchProviders } from '../search';

const location = (p: { latitude: number | null; longitude: number | null }) =>
  p.latitude === null || p.longitude === null ? null : { latitude: p.latitude, longitude: p.longitude };

export const resolvers: CompleteResolvers = {
  Query: {
    provider: (_, { id }, ctx) => findProvider(ctx, id),
    providers: (_, { approvalStatus }, ctx) => listProviders(ctx, approvalStatus),
    searchProviders: (_, { filter, first, after }, ctx) => searchProviders(ctx, filter, first, after),
    localOffer: (_, { laCode, filter, first, after }, ctx) => localOffer(ctx, laCode, filter, first, after),
  },
  Mutation: {
    registerProvider: (_, { input }, ctx) => registerProvider(ctx, input),
    approveProvider: (_, { id }, ctx) => approveProvider(ctx, id),
    updateProviderProfile: (_, { id, input }, ctx) => updateProviderProfile(ctx, id, input),
    suspendProvider: (_, { id, reason }, ctx) => changeLifecycle(ctx, 'suspend', id, reason),
    withdrawProvider: (_, { id, reason }, ctx) => changeLifecycle(ctx, 'withdraw', id, reason),
    reinstateProvider: (_, { id, reason }, ctx) => changeLifecycle(ctx, 'reinstate', id, reason),
    addOffer: (_, { providerId, input }, ctx) => addOffer(ctx, providerId, input),
    updateOffer: (_, { id, input }, ctx) => updateOffer(ctx, id, input),
    closeOffer: (_, { id }, ctx) => closeOffer(ctx, id),
    registerSchool: (_, { input }, ctx) => registerSchool(ctx, input),
    importSchools: (_, { input }, ctx) => importSchools(ctx, input),
  },
  Provider: {
    __resolveReference: (ref, ctx) => findProvider(ctx, ref.id),
    approvedAt: (p) => p.approvedAt?.toISOString() ?? null,
    location,
    // Contacts and approval history: the provider's LA staff (not analysts) and the provider itself.
    contacts: (p, _, ctx) => (maySeeProviderDetail(requirePrincipal(ctx), p) ? p.contacts : []),
    approvalHistory: async (p, _, ctx) => (maySeeProviderDetail(requirePrincipal(ctx), p) ? approvalHistory(ctx, p.id) : []),
    offers: (p, _, ctx) => offersOf(ctx, p.id),
  },
  ApprovalChange: {
    from: (c) => c.fromStatus,
    to: (c) => c.toStatus,
    changedAt: (c) => c.changedAt.toISOString(),
  },
  Offer: {
    __resolveReference: (ref, ctx) => findOffer(ctx, ref.id),
    provider: async (o, _, ctx) => (await ctx.providers.load(o.providerId))!,
    freePlaces: (o) => freePlaces(o),
    closedAt: (o) => o.closedAt?.toISOString() ?? null,
  },
  PublicProvider: { location },
  PublicOffer: { freePlaces: (o) => freePlaces(o) },
  // Edges carry entities; the generated types want the mapping said out loud.
  ProviderEdge: { node: (e) => e.node, offers: (e) => e.offers },
  LocalOfferEdge: { node: (e) => e.node, offers: (e) => e.offers },
  ProviderConnection: { edges: (c) => c.edges },
  LocalOfferConnection: { edges: (c) => c.edges },
  School: { localAuthority: (s, _, ctx) => localAuthorityOf(ctx, s.laCode) },
};
