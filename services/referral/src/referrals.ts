import { randomUUID } from 'node:crypto';
import { assertRoleAllowed, Principal, requirePrincipal } from '@ap/auth';
import type { EntityManager } from 'typeorm';
import { referralAccess } from './access';
import { createOnce, isUuid, violatedUniqueConstraint } from '@ap/db';
import { conflict, invalidInput } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { now, today } from '@ap/domain';
import { laCalendar, respondWithin, step } from './referral-flow';
import { respondByDate } from './domain/form';
import { ReferralContext } from './context';
import {
  canListReferral,
  pupilLa,
  canSeePupil,
  canSeeReferral,
  linkKnownPupil,
  PupilScope,
  referringSchool,
  registrationScope,
  unknownPupil,
} from './domain/access';
import type { RegisterPupilInput, SubmitReferralInput } from './__generated__/resolvers-types';
import {
  checkPupilCircumstances,
  checkPupilDetails,
  checkReferrableProvider,
  checkReferralForm,
  isOpenReferral,
  openReferralExists,
  PupilCircumstances,
  PupilDetails,
  UNREGISTRABLE_PUPIL,
} from './domain/referral';
import { DirectoryProvider, Pupil, Referral } from './entities';
import { pupilCohortChanged, pupilCohortChangedSince, pupilRegistered, referralSubmitted } from './events/published';

/**
 * The referral service's use cases. Each write is one transaction together with the event it
 * records, so the state and the outbox never disagree.
 */


/**
 * Registers a pupil, or links one already known by UPN: a pupil moves school, and the school it
 * joins registers it again. The answer is the same as for a fresh registration, and only a
 * caller that gives the pupil's names and date of birth too is linked (so it learns nothing it
 * did not know); any other caller gets one refusal that names no UPN, school or LA.
 */
export async function registerPupil(ctx: ReferralContext, input: RegisterPupilInput): Promise<Pupil> {
  const checked = checkPupilDetails(input, today());
  const circumstances = checkPupilCircumstances(input);
  // Every problem at once, as upsertPupils reports a row's.
  const problems = [...(checked.ok ? [] : checked.problems), ...(circumstances.ok ? [] : circumstances.problems)];
  if (!checked.ok || !circumstances.ok) throw invalidInput(problems);
  const principal = requirePrincipal(ctx);
  const scope = registrationScope(principal, checked.value.homeLaCode, input.school ?? null);
  if (!scope.ok) throw invalidInput(scope.problems);
  // Only the circumstances the caller gave change a pupil already known (a school re-registering a mover).
  const given = Object.fromEntries(CIRCUMSTANCES.filter((k) => input[k] !== undefined && input[k] !== null).map((k) => [k, circumstances.value[k]]));
  return createOnce(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'registerPupil', input },
    {
      create: (tx) => registerOrLink(tx, principal, checked.value, scope.value, circumstances.value, given),
      idOf: (pupil) => pupil.id,
      replay: (id) => ctx.db.getRepository(Pupil).findOneBy({ id }),
    },
  );
}

const CIRCUMSTANCES = ['senStatus', 'hasSocialWorker', 'pupilPremium', 'lookedAfter'] as const;

async function registerOrLink(
  tx: EntityManager,
  principal: Principal,
  details: PupilDetails,
  scope: PupilScope,
  circumstances: PupilCircumstances,
  given: Partial<PupilCircumstances>,
): Promise<Pupil> {
  const fresh = Object.assign(new Pupil(), { id: randomUUID(), ...details, ...scope, ...circumstances });
  // DO NOTHING on the UPN: a concurrent registration of the same UPN is then linked, not a 500.
  const inserted = await tx.createQueryBuilder().insert().into(Pupil).values(fresh).orIgnore().returning('id').execute();
  if (inserted.raw.length > 0) {
    await recordEvent(tx, pupilRegistered(fresh));
    const saved = await tx.getRepository(Pupil).findOneByOrFail({ id: fresh.id });
    await recordEvent(tx, pupilCohortChanged(saved, now()));
    return saved;
  }
  const known = await tx.getRepository(Pupil).findOne({ where: { upn: details.upn }, lock: { mode: 'for_no_key_update' } });
  const link = known ? linkKnownPupil(principal, known, details) : null;
  if (!known || !link) throw conflict(UNREGISTRABLE_PUPIL);
  const newCircumstances = Object.fromEntries(Object.entries(given).filter(([k, v]) => known[k as keyof PupilCircumstances] !== v));
  const moved = link.registeredBySchoolUrn !== known.registeredBySchoolUrn || link.homeLaCode !== known.homeLaCode;
  const changed = { ...link, ...newCircumstances };
  if (!moved && !Object.keys(newCircumstances).length) return known;
  await tx.getRepository(Pupil).update({ id: known.id }, changed);
  // Published when the cohort changed: a move can change its LA (the school's, when no home LA is known).
  const updated = await tx.getRepository(Pupil).findOneByOrFail({ id: known.id });
  const event = pupilCohortChangedSince(known, updated, now());
  if (event) await recordEvent(tx, event);
  return updated;
}

export async function submitReferral(ctx: ReferralContext, input: SubmitReferralInput): Promise<Referral> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(input.providerId)) throw invalidInput([{ field: 'providerId', message: 'providerId must be a provider id from the directory' }]);
  const known = await ctx.db.getRepository(DirectoryProvider).findOneBy({ id: input.providerId });
  const provider = checkReferrableProvider(input.providerId, known);
  if (!provider.ok) throw invalidInput(provider.problems);
  const pupil = isUuid(input.pupilId) ? await ctx.pupils.load(input.pupilId) : null;
  if (!pupil) throw invalidInput([unknownPupil(input.pupilId)]);
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
    route: 'DIRECT' as const,
    firstDayOfExclusion: form.value.firstDayOfExclusion,
    day6Deadline: form.value.day6Deadline,
    parentalConsent: true,
    // The one-step form's consent covers the data-sharing agreement too (its description says so).
    dataSharingAgreed: true,
    submittedBy: principal.userId,
    createdAt: now(),
    submittedAt: now(),
    history: [step(principal, 'SUBMITTED', now())],
  });
  try {
    return await createOnce(
      ctx.db,
      { key: ctx.idempotencyKey, caller: principal, operation: 'submitReferral', input },
      {
        create: async (tx) => {
          referral.respondBy = respondByDate(today(), await respondWithin(tx, pupilLa(pupil)), laCalendar);
          await tx.getRepository(Referral).insert(referral);
          const saved = await tx.getRepository(Referral).findOneByOrFail({ id: referral.id });
          await recordEvent(tx, referralSubmitted(saved, pupil));
          return saved;
        },
        idOf: (saved) => saved.id,
        replay: (id) => ctx.db.getRepository(Referral).findOneBy({ id }),
      },
    );
  } catch (e) {
    if (violatedUniqueConstraint(e) !== 'referral_one_open_per_pupil_provider') throw e;
    throw conflict(openReferralExists(await visibleOpenReferral(ctx, pupil, input.providerId)));
  }
}

/** The open referral of this pupil to this provider, if the caller may see it. */
async function visibleOpenReferral(ctx: ReferralContext, pupil: Pupil, providerId: string): Promise<Referral | null> {
  const open = (await ctx.db.getRepository(Referral).findBy({ pupilId: pupil.id, providerId })).find((r) => isOpenReferral(r.status));
  return open && canSeeReferral(requirePrincipal(ctx), open, pupil) ? open : null;
}

/** A pupil the caller may see, else null: the answer is the same whether or not the pupil exists. */
export async function visiblePupil(ctx: ReferralContext, id: string): Promise<Pupil | null> {
  // A role that may never read a pupil is told so, also when the gateway resolves a Pupil entity.
  assertRoleAllowed(referralAccess, 'Query.pupil', requirePrincipal(ctx));
  if (!isUuid(id)) return null;
  const pupil = await ctx.pupils.load(id);
  if (!pupil) return null;
  const referrals = await ctx.referralsByPupil.load(id);
  return canSeePupil(requirePrincipal(ctx), pupil, referrals) ? pupil : null;
}

export async function visibleReferral(ctx: ReferralContext, id: string): Promise<Referral | null> {
  assertRoleAllowed(referralAccess, 'Query.referral', requirePrincipal(ctx));
  if (!isUuid(id)) return null;
  const referral = await ctx.db.getRepository(Referral).findOneBy({ id });
  if (!referral) return null;
  const pupil = await ctx.pupils.load(referral.pupilId);
  return pupil && canSeeReferral(requirePrincipal(ctx), referral, pupil) ? referral : null;
}

export async function visibleReferralsOfPupil(ctx: ReferralContext, pupil: Pupil): Promise<Referral[]> {
  const referrals = await ctx.referralsByPupil.load(pupil.id);
  const principal = requirePrincipal(ctx);
  return referrals.filter((r) => canListReferral(principal, r, pupil));
}
