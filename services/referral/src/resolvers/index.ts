import { keyStage, nationalCurriculumYear, today } from '@ap/domain';
import { isOverdue } from '../domain/form';
import { pupilLa } from '../domain/access';
import { pupilAccessLog, upsertPupils } from '../pupils';
import { acceptReferral, assignProvider, declineReferral, formOf, reviewReferral, saveReferralDraft, setReferralResponseDays, submitReferralDraft, withdrawReferral } from '../referral-flow';
import { day6Watchlist, referralsAwaitingResponse } from '../watch';
import type { CompleteResolvers, PupilResolvers } from '../__generated__/resolvers-types';
import { Pupil } from '../entities';
import { IDENTIFYING_FIELDS, IdentifyingField } from '../pupil-reads';
import { registerPupil, submitReferral, visiblePupil, visibleReferral, visibleReferralsOfPupil } from '../referrals';

/** An identifying field's resolver: the read is recorded before the value is returned. */
function identifying(field: IdentifyingField): NonNullable<PupilResolvers[IdentifyingField]> {
  return async (pupil: Pupil, _args, ctx) => {
    await ctx.pupilReads.record(pupil.id, field);
    return pupil[field];
  };
}

const identifyingFields = Object.fromEntries(IDENTIFYING_FIELDS.map((f) => [f, identifying(f)])) as Pick<PupilResolvers, IdentifyingField>;

/** Null once a pupil has aged past Year 13: the record stays, the year group does not. */
function schoolYear(p: Pupil): number | null {
  const year = nationalCurriculumYear(p.dateOfBirth, today());
  return year >= 0 && year <= 13 ? year : null;
}

export const resolvers: CompleteResolvers = {
  Query: {
    pupil: (_, { id }, ctx) => visiblePupil(ctx, id),
    referral: (_, { id }, ctx) => visibleReferral(ctx, id),
    pupilAccessLog: (_, { pupilId, first, after }, ctx) => pupilAccessLog(ctx, pupilId, first, after),
    referralsAwaitingResponse: (_, { first, after }, ctx) => referralsAwaitingResponse(ctx, first, after),
    day6Watchlist: (_, { laCode }, ctx) => day6Watchlist(ctx, laCode),
  },
  Mutation: {
    registerPupil: (_, { input }, ctx) => registerPupil(ctx, input),
    submitReferral: (_, { input }, ctx) => submitReferral(ctx, input),
    upsertPupils: (_, { input }, ctx) => upsertPupils(ctx, input),
    saveReferralDraft: (_, { input }, ctx) => saveReferralDraft(ctx, input),
    submitReferralDraft: (_, { id }, ctx) => submitReferralDraft(ctx, id),
    reviewReferral: (_, { id }, ctx) => reviewReferral(ctx, id),
    acceptReferral: (_, { id, input }, ctx) => acceptReferral(ctx, id, input),
    declineReferral: (_, { id, reason }, ctx) => declineReferral(ctx, id, reason),
    withdrawReferral: (_, { id, reason }, ctx) => withdrawReferral(ctx, id, reason),
    assignProvider: (_, { id, providerId, offerId }, ctx) => assignProvider(ctx, id, providerId, offerId),
    setReferralResponseDays: (_, { laCode, schoolDays }, ctx) => setReferralResponseDays(ctx, laCode, schoolDays),
  },
  Pupil: {
    __resolveReference: (ref, ctx) => visiblePupil(ctx, ref.id),
    ...identifyingFields,
    yearGroup: (p) => schoolYear(p),
    keyStage: (p) => {
      const year = schoolYear(p);
      return year === null ? null : keyStage(year);
    },
    referrals: (p, _args, ctx) => visibleReferralsOfPupil(ctx, p),
    school: (p) => p.registeredBySchoolUrn,
    laCode: (p) => pupilLa(p),
  },
  Referral: {
    __resolveReference: (ref, ctx) => visibleReferral(ctx, ref.id),
    pupil: async (r, _args, ctx) => {
      const pupil = await ctx.pupils.load(r.pupilId);
      // A referral is only ever made for a registered pupil, and pupils are never deleted.
      if (!pupil) throw new Error(`Referral ${r.id} names pupil ${r.pupilId}, who is not in the referral database`);
      return pupil;
    },
    provider: (r) => (r.providerId ? { id: r.providerId } : null),
    offer: (r) => (r.offerId ? { id: r.offerId } : null),
    consent: (r) => formOf(r).consent,
    createdAt: (r) => r.createdAt.toISOString(),
    submittedAt: (r) => r.submittedAt?.toISOString() ?? null,
    acceptedAt: (r) => r.acceptedAt?.toISOString() ?? null,
    overdue: (r) => isOverdue(r.respondBy, r.status, today()),
    placementStatus: (r) => r.placementStatus ?? 'NONE',
    history: (r) => r.history,
  },
  PupilAccessRecord: {
    readAt: (a) => a.readAt.toISOString(),
  },
};
