import { randomUUID } from 'node:crypto';
import { requirePrincipal } from '@ap/auth';
import { findForUpdate, inTransaction, isUuid, translateDatabaseError } from '@ap/db';
import { conflict, invalidInput, notFound } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { now, sampleLaCalendar, today } from '@ap/domain';
import { ReferralContext } from './context';
import { canAcceptReferral, canSeePupil, canSeeReferral, referringSchool, registrationScope } from './domain/access';
import type { RegisterPupilInput, SubmitReferralInput } from './__generated__/resolvers-types';
import { checkCanAccept, checkPupilDetails, checkReferrableProvider, checkReferralForm } from './domain/referral';
import { DirectoryProvider, Pupil, Referral } from './entities';
import { pupilRegistered, referralAccepted, referralSubmitted } from './events/published';

/**
 * The referral service's use cases. Each write is one transaction together with the event it
 * records, so the state and the outbox never disagree.
 */

// Every LA uses the sample calendar until LAs can load their own term dates; built once.
const laCalendar = sampleLaCalendar();

export async function registerPupil(ctx: ReferralContext, input: RegisterPupilInput): Promise<Pupil> {
  const checked = checkPupilDetails(input, today());
  if (!checked.ok) throw invalidInput(checked.problems);
  const scope = registrationScope(requirePrincipal(ctx), checked.value.homeLaCode);
  if (!scope.ok) throw invalidInput(scope.problems);
  const pupil = Object.assign(new Pupil(), { id: randomUUID(), ...checked.value, ...scope.value });
  try {
    return await inTransaction(ctx.db, async (tx) => {
      await tx.getRepository(Pupil).insert(pupil);
      await recordEvent(tx, pupilRegistered(pupil));
      return pupil;
    });
  } catch (e) {
    translateDatabaseError(e, { pupil_upn_key: `A pupil with UPN ${pupil.upn} is already registered` });
  }
}

export async function submitReferral(ctx: ReferralContext, input: SubmitReferralInput): Promise<Referral> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(input.providerId)) throw invalidInput([{ field: 'providerId', message: 'providerId must be a provider id from the directory' }]);
  const known = await ctx.db.getRepository(DirectoryProvider).findOneBy({ id: input.providerId });
  const provider = checkReferrableProvider(input.providerId, known);
  if (!provider.ok) throw invalidInput(provider.problems);
  const pupil = isUuid(input.pupilId) ? await ctx.pupils.load(input.pupilId) : null;
  if (!pupil) throw invalidInput([{ field: 'pupilId', message: `Pupil ${input.pupilId} is not registered: register the pupil first` }]);
  const form = checkReferralForm(
    { reason: input.reason, firstDayOfExclusion: input.firstDayOfExclusion ?? null, parentalConsent: input.parentalConsent },
    today(),
    laCalendar,
  );
  if (!form.ok) throw invalidInput(form.problems);
  const school = referringSchool(principal, pupil, input.schoolUrn ?? null);
  if (!school.ok) throw invalidInput(school.problems);

  const referral = Object.assign(new Referral(), {
    id: randomUUID(),
    pupilId: pupil.id,
    schoolUrn: school.value,
    providerId: input.providerId,
    reason: form.value.reason,
    status: 'SUBMITTED' as const,
    firstDayOfExclusion: form.value.firstDayOfExclusion,
    day6Deadline: form.value.day6Deadline,
    parentalConsent: true,
    submittedBy: principal.userId,
  });
  return inTransaction(ctx.db, async (tx) => {
    await tx.getRepository(Referral).insert(referral);
    const saved = await tx.getRepository(Referral).findOneByOrFail({ id: referral.id });
    await recordEvent(tx, referralSubmitted(saved));
    return saved;
  });
}

export async function acceptReferral(ctx: ReferralContext, id: string): Promise<Referral> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const referral = await findForUpdate(tx, Referral, id);
    const pupil = referral ? await tx.getRepository(Pupil).findOneByOrFail({ id: referral.pupilId }) : null;
    if (!referral || !pupil || !canSeeReferral(principal, referral, pupil)) throw notFound('Referral', id);
    if (!canAcceptReferral(principal, referral, pupil)) throw notFound('Referral', id);
    const can = checkCanAccept(referral.status);
    if (!can.ok) throw conflict(can.message);

    referral.status = 'ACCEPTED';
    const acceptedAt = now();
    referral.acceptedAt = acceptedAt;
    referral.decidedBy = principal.userId;
    await tx.getRepository(Referral).save(referral);
    await recordEvent(tx, referralAccepted(referral, pupil, acceptedAt));
    return referral;
  });
}

/** A pupil the caller may see, else null: the answer is the same whether or not the pupil exists. */
export async function visiblePupil(ctx: ReferralContext, id: string): Promise<Pupil | null> {
  if (!isUuid(id)) return null;
  const pupil = await ctx.pupils.load(id);
  if (!pupil) return null;
  const referrals = await ctx.referralsByPupil.load(id);
  return canSeePupil(requirePrincipal(ctx), pupil, referrals) ? pupil : null;
}

export async function visibleReferral(ctx: ReferralContext, id: string): Promise<Referral | null> {
  if (!isUuid(id)) return null;
  const referral = await ctx.db.getRepository(Referral).findOneBy({ id });
  if (!referral) return null;
  const pupil = await ctx.pupils.load(referral.pupilId);
  return pupil && canSeeReferral(requirePrincipal(ctx), referral, pupil) ? referral : null;
}

export async function visibleReferralsOfPupil(ctx: ReferralContext, pupil: Pupil): Promise<Referral[]> {
  const referrals = await ctx.referralsByPupil.load(pupil.id);
  const principal = requirePrincipal(ctx);
  return referrals.filter((r) => canSeeReferral(principal, r, pupil));
}
