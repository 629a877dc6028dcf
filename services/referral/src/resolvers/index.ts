import type { GraphQLResolverMap } from '@apollo/subgraph';
import { keyStage, nationalCurriculumYear, today } from '@ap/domain';
import { ReferralContext } from '../context';
import { Pupil, Referral } from '../entities';
import { IDENTIFYING_FIELDS } from '../pupil-reads';
import {
  acceptReferral,
  registerPupil,
  submitReferral,
  visiblePupil,
  visibleReferral,
  visibleReferralsOfPupil,
} from '../referrals';

/** An identifying field's resolver: the read is recorded before the value is returned. */
function identifying(field: keyof Pupil & string) {
  return async (pupil: Pupil, _args: unknown, ctx: ReferralContext) => {
    await ctx.pupilReads.record(pupil.id, field);
    return pupil[field];
  };
}

/** Null once a pupil has aged past Year 13: the record stays, the year group does not. */
function schoolYear(p: Pupil): number | null {
  const year = nationalCurriculumYear(p.dateOfBirth, today());
  return year >= 0 && year <= 13 ? year : null;
}

const isoDateTime = (d: Date | null) => (d ? d.toISOString() : null);

export const resolvers: GraphQLResolverMap<ReferralContext> = {
  Query: {
    pupil: (_: unknown, args: { id: string }, ctx: ReferralContext) => visiblePupil(ctx, args.id),
    referral: (_: unknown, args: { id: string }, ctx: ReferralContext) => visibleReferral(ctx, args.id),
  },
  Mutation: {
    registerPupil: (_: unknown, args: { input: Parameters<typeof registerPupil>[1] }, ctx: ReferralContext) =>
      registerPupil(ctx, args.input),
    submitReferral: (_: unknown, args: { input: Parameters<typeof submitReferral>[1] }, ctx: ReferralContext) =>
      submitReferral(ctx, args.input),
    acceptReferral: (_: unknown, args: { id: string }, ctx: ReferralContext) => acceptReferral(ctx, args.id),
  },
  Pupil: {
    __resolveReference: (ref: { id: string }, ctx: ReferralContext) => visiblePupil(ctx, ref.id),
    ...Object.fromEntries([...IDENTIFYING_FIELDS].map((f) => [f, identifying(f as keyof Pupil & string)])),
    yearGroup: (p: Pupil) => schoolYear(p),
    keyStage: (p: Pupil) => {
      const year = schoolYear(p);
      return year === null ? null : keyStage(year);
    },
    referrals: (p: Pupil, _args: unknown, ctx: ReferralContext) => visibleReferralsOfPupil(ctx, p),
  },
  Referral: {
    __resolveReference: (ref: { id: string }, ctx: ReferralContext) => visibleReferral(ctx, ref.id),
    pupil: (r: Referral, _args: unknown, ctx: ReferralContext) => ctx.pupils.load(r.pupilId),
    provider: (r: Referral) => ({ __typename: 'Provider', id: r.providerId }),
    submittedAt: (r: Referral) => isoDateTime(r.submittedAt),
    acceptedAt: (r: Referral) => isoDateTime(r.acceptedAt),
  },
};
