import { keyStage, nationalCurriculumYear, today } from '@ap/domain';
import type { CompleteResolvers, PupilResolvers } from '../__generated__/resolvers-types';
import { Pupil } from '../entities';
import { IDENTIFYING_FIELDS, IdentifyingField } from '../pupil-reads';
import { acceptReferral, registerPupil, submitReferral, visiblePupil, visibleReferral, visibleReferralsOfPupil } from '../referrals';

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
  },
  Mutation: {
    registerPupil: (_, { input }, ctx) => registerPupil(ctx, input),
    submitReferral: (_, { input }, ctx) => submitReferral(ctx, input),
    acceptReferral: (_, { id }, ctx) => acceptReferral(ctx, id),
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
  },
  Referral: {
    __resolveReference: (ref, ctx) => visibleReferral(ctx, ref.id),
    pupil: async (r, _args, ctx) => {
      const pupil = await ctx.pupils.load(r.pupilId);
      // A referral is only ever made for a registered pupil, and pupils are never deleted.
      if (!pupil) throw new Error(`Referral ${r.id} names pupil ${r.pupilId}, who is not in the referral database`);
      return pupil;
    },
    provider: (r) => ({ id: r.providerId }),
    submittedAt: (r) => r.submittedAt.toISOString(),
    acceptedAt: (r) => r.acceptedAt?.toISOString() ?? null,
  },
};
