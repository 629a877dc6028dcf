import { randomUUID } from 'node:crypto';
import { formatOrganisation, mayAccess, Principal, requirePrincipal } from '@ap/auth';
import type { EntityManager } from 'typeorm';
import { findForUpdate, inTransaction, isUuid, violatedUniqueConstraint } from '@ap/db';
import { conflict, forbidden, invalidInput, notFound } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { checkOpenOfferOf, day6Date, now, sampleLaCalendar, today } from '@ap/domain';
import { referralAccess } from './access';
import { ReferralContext } from './context';
import { mayActOnReferral, pupilLa, referringSchool, unknownPupil } from './domain/access';
import {
  applyFormChange,
  checkAgreedStartDate,
  checkDeclineReason,
  checkMove,
  checkResponseDays,
  checkSubmittable,
  checkWithdrawReason,
  DEFAULT_RESPOND_WITHIN_SCHOOL_DAYS,
  EMPTY_FORM,
  FormChange,
  FormSections,
  holdsPlacement,
  ReferralMove,
  respondByDate,
  statusAfter,
} from './domain/form';
import { checkPupilFreeForPlacement, checkReferrableProvider, openReferralExists, ReferralStatus } from './domain/referral';
import { DirectoryOffer, DirectoryProvider, Pupil, Referral } from './entities';
import { referralAccepted, referralDeclined, referralSubmitted, referralWithdrawn } from './events/published';
import type { AcceptReferralInput, DeclineReasonInput, ReferralDraftInput } from './__generated__/resolvers-types';

/**
 * The single form's flow: drafts, submission, review, the provider's (or panel's) answer and
 * withdrawal. Each step is one transaction with its history entry and its event.
 */

// Every LA uses the sample calendar until LAs can load their own term dates; built once.
export const laCalendar = sampleLaCalendar();

/** The history entry of a step: who (user, role, organisation) and when. */
export function step(p: Principal, status: ReferralStatus, at: Date, note: string | null = null) {
  return { status, at: at.toISOString(), by: p.userId, role: p.role, organisation: formatOrganisation(p.org), note };
}

export const formOf = (r: Referral): FormSections => ({
  route: r.route,
  providerId: r.providerId,
  offerId: r.offerId,
  reason: r.reason,
  firstDayOfExclusion: r.firstDayOfExclusion,
  needsAndStrengths: r.needsAndStrengths,
  risks: r.risks,
  riskLevel: r.riskLevel,
  interventionsTried: r.interventionsTried,
  currentAttendancePercent: r.currentAttendancePercent,
  outcomesWanted: r.outcomesWanted,
  proposedStartDate: r.proposedStartDate,
  hoursWanted: r.hoursWanted,
  pupilVoice: r.pupilVoice,
  parentVoice: r.parentVoice,
  consent: { parentalConsent: r.parentalConsent, givenBy: r.consentGivenBy, givenOn: r.consentGivenOn, dataSharingAgreed: r.dataSharingAgreed },
});

function storeForm(r: Referral, f: FormSections): void {
  const { consent, ...rest } = f;
  Object.assign(r, rest, {
    parentalConsent: consent.parentalConsent,
    consentGivenBy: consent.givenBy,
    consentGivenOn: consent.givenOn,
    dataSharingAgreed: consent.dataSharingAgreed,
  });
}

/** The sections the caller gave, as a change (GraphQL leaves absent fields out; null clears). */
function changeOf(input: ReferralDraftInput): FormChange {
  const change: Record<string, unknown> = {};
  const keys = [
    'route', 'providerId', 'offerId', 'reason', 'firstDayOfExclusion', 'needsAndStrengths', 'risks', 'riskLevel', 'interventionsTried',
    'currentAttendancePercent', 'outcomesWanted', 'proposedStartDate', 'hoursWanted', 'pupilVoice', 'parentVoice', 'consent',
  ] as const;
  for (const k of keys) if (input[k] !== undefined) change[k] = input[k];
  return change as FormChange;
}

/** N school days an LA gives providers to answer; the default where the LA set none. */
export async function respondWithin(tx: EntityManager, laCode: string | null): Promise<number> {
  if (!laCode) return DEFAULT_RESPOND_WITHIN_SCHOOL_DAYS;
  const rows: { n: number }[] = await tx.query(`SELECT respond_within_school_days AS n FROM la_referral_setting WHERE la_code = $1`, [laCode]);
  return rows[0]?.n ?? DEFAULT_RESPOND_WITHIN_SCHOOL_DAYS;
}

/** The LA admin sets N for its own LA (referrals sent from now on are answered within it). */
export async function setReferralResponseDays(ctx: ReferralContext, laCode: string, schoolDays: number): Promise<{ laCode: string; schoolDays: number }> {
  const p = requirePrincipal(ctx);
  if (p.org.type !== 'la' || p.org.id !== laCode || !mayAccess(referralAccess, 'Mutation.setReferralResponseDays', p, {})) {
    throw forbidden('An LA admin sets the response time of their own LA only: laCode must be your LA');
  }
  const n = checkResponseDays(schoolDays);
  if (!n.ok) throw invalidInput(n.problems);
  await ctx.db.query(
    `INSERT INTO la_referral_setting (la_code, respond_within_school_days) VALUES ($1, $2)
     ON CONFLICT (la_code) DO UPDATE SET respond_within_school_days = EXCLUDED.respond_within_school_days`,
    [laCode, n.value],
  );
  return { laCode, schoolDays: n.value };
}

/** The provider a referral may go to: known to the directory and APPROVED (a suspended one is named so). */
async function checkProvider(tx: EntityManager, providerId: string, field = 'providerId'): Promise<void> {
  if (!isUuid(providerId)) throw invalidInput([{ field, message: `${field} must be a provider id from the directory` }]);
  const known = await tx.getRepository(DirectoryProvider).findOneBy({ id: providerId });
  const ok = checkReferrableProvider(providerId, known, field);
  if (!ok.ok) throw invalidInput(ok.problems);
}

/**
 * A direct referral's (or the panel's) offer: one the directory published, of that provider, and
 * open. Problems name the field `offerId`.
 */
async function checkOffer(tx: EntityManager, providerId: string, offerId: string, field = 'offerId'): Promise<void> {
  const offer = isUuid(offerId) ? await tx.getRepository(DirectoryOffer).findOneBy({ id: offerId }) : null;
  const ok = checkOpenOfferOf(offer, providerId);
  if (!ok.ok) throw invalidInput([{ field, message: ok.message }]);
}

/** Locks the referral and its pupil, and checks the caller's relation; else NOT_FOUND (the referral's existence is not revealed). */
async function lockVisible(tx: EntityManager, p: Principal, id: string, operation: string): Promise<{ referral: Referral; pupil: Pupil }> {
  const referral = isUuid(id) ? await findForUpdate(tx, Referral, id) : null;
  const pupil = referral ? await tx.getRepository(Pupil).findOne({ where: { id: referral.pupilId }, lock: { mode: 'for_no_key_update' } }) : null;
  if (!referral || !pupil || !mayActOnReferral(p, operation, referral, pupil)) throw notFound('Referral', id);
  return { referral, pupil };
}

function mustMove(referral: Referral, move: ReferralMove): void {
  const ok = checkMove(referral.status, move);
  if (!ok.ok) throw conflict(ok.message);
}

async function saveOpen(tx: EntityManager, referral: Referral): Promise<Referral> {
  referral.updatedAt = now();
  try {
    await tx.getRepository(Referral).save(referral);
  } catch (e) {
    if (violatedUniqueConstraint(e) !== 'referral_one_open_per_pupil_provider') throw e;
    throw conflict(openReferralExists(null));
  }
  return referral;
}

export async function saveReferralDraft(ctx: ReferralContext, input: ReferralDraftInput): Promise<Referral> {
  const p = requirePrincipal(ctx);
  const change = changeOf(input);
  return inTransaction(ctx.db, async (tx) => {
    let referral: Referral;
    let pupil: Pupil;
    if (input.id) {
      ({ referral, pupil } = await lockVisible(tx, p, input.id, 'Mutation.saveReferralDraft'));
      mustMove(referral, 'edit');
      if (input.pupilId && input.pupilId !== referral.pupilId) throw invalidInput([{ field: 'pupilId', message: 'A draft’s pupil cannot be changed: start a new draft' }]);
    } else {
      if (!input.pupilId) throw invalidInput([{ field: 'pupilId', message: 'A new draft needs the pupil' }]);
      const found = isUuid(input.pupilId) ? await tx.getRepository(Pupil).findOneBy({ id: input.pupilId }) : null;
      if (!found) throw invalidInput([unknownPupil(input.pupilId)]);
      pupil = found;
      const school = referringSchool(p, pupil, input.schoolUrn ?? null);
      if (!school.ok) throw invalidInput(school.problems);
      referral = Object.assign(new Referral(), {
        id: randomUUID(),
        pupilId: pupil.id,
        schoolUrn: school.value,
        status: 'DRAFT' as const,
        day6Deadline: null,
        createdAt: now(),
        submittedAt: null,
        submittedBy: null,
        history: [step(p, 'DRAFT', now())],
      });
      storeForm(referral, EMPTY_FORM);
    }
    const next = applyFormChange(formOf(referral), change, { today: today(), dateOfBirth: pupil.dateOfBirth });
    if (!next.ok) throw invalidInput(next.problems);
    if (next.value.providerId && next.value.providerId !== referral.providerId) await checkProvider(tx, next.value.providerId);
    storeForm(referral, next.value);
    return saveOpen(tx, referral);
  });
}

export async function submitReferralDraft(ctx: ReferralContext, id: string): Promise<Referral> {
  const p = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const { referral, pupil } = await lockVisible(tx, p, id, 'Mutation.submitReferralDraft');
    mustMove(referral, 'submit');
    const form = checkSubmittable(formOf(referral), laCalendar, (first) => day6Date(first, laCalendar));
    if (!form.ok) throw invalidInput(form.problems);
    // The provider may have been suspended, or the offer closed, since the draft named them.
    if (form.value.route === 'DIRECT') {
      await checkProvider(tx, form.value.providerId as string);
      await checkOffer(tx, form.value.providerId as string, form.value.offerId as string);
    }
    const at = now();
    referral.status = statusAfter('submit');
    referral.submittedAt = at;
    referral.submittedBy = p.userId;
    referral.day6Deadline = form.value.day6Deadline;
    // On the panel route the clock starts when the panel assigns a provider.
    referral.respondBy = form.value.route === 'DIRECT' ? respondByDate(today(), await respondWithin(tx, pupilLa(pupil)), laCalendar) : null;
    referral.history = [...referral.history, step(p, 'SUBMITTED', at)];
    await saveOpen(tx, referral);
    // A panel referral reaches a provider (and the other services) when the panel assigns one.
    if (referral.providerId && form.value.route === 'DIRECT') await recordEvent(tx, referralSubmitted(referral, pupil));
    return referral;
  });
}

export async function reviewReferral(ctx: ReferralContext, id: string): Promise<Referral> {
  const p = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const { referral } = await lockVisible(tx, p, id, 'Mutation.reviewReferral');
    mustMove(referral, 'review');
    if (!referral.providerId) throw conflict('This referral waits for the LA panel to assign a provider before it can be reviewed');
    referral.status = statusAfter('review');
    referral.history = [...referral.history, step(p, 'UNDER_REVIEW', now())];
    return saveOpen(tx, referral);
  });
}

export async function acceptReferral(ctx: ReferralContext, id: string, input?: AcceptReferralInput | null): Promise<Referral> {
  const p = requirePrincipal(ctx);
  const start = checkAgreedStartDate(input?.agreedStartDate, today());
  if (!start.ok) throw invalidInput(start.problems);
  return inTransaction(ctx.db, async (tx) => {
    // The pupil's row is locked so that two providers accepting at once cannot both place the pupil.
    const { referral, pupil } = await lockVisible(tx, p, id, 'Mutation.acceptReferral');
    mustMove(referral, 'accept');
    if (!referral.providerId) throw conflict('This referral waits for the LA panel to assign a provider before it can be accepted');
    const others = await tx.getRepository(Referral).findBy({ pupilId: pupil.id, status: 'ACCEPTED' });
    const free = checkPupilFreeForPlacement(others.filter((r) => holdsPlacement(r.placementStatus)));
    if (!free.ok) throw conflict(free.message);
    const at = now();
    referral.status = 'ACCEPTED';
    referral.acceptedAt = at;
    referral.decidedBy = p.userId;
    referral.agreedStartDate = start.value;
    referral.history = [...referral.history, step(p, 'ACCEPTED', at, start.value ? `agreed start ${start.value}` : null)];
    await tx.getRepository(Referral).save(referral);
    await recordEvent(tx, referralAccepted(referral, pupil, at));
    return referral;
  });
}

export async function declineReferral(ctx: ReferralContext, id: string, reason: DeclineReasonInput): Promise<Referral> {
  const p = requirePrincipal(ctx);
  const why = checkDeclineReason(reason.code, reason.text);
  if (!why.ok) throw invalidInput(why.problems);
  return inTransaction(ctx.db, async (tx) => {
    const { referral } = await lockVisible(tx, p, id, 'Mutation.declineReferral');
    mustMove(referral, 'decline');
    const at = now();
    referral.status = 'DECLINED';
    referral.decidedBy = p.userId;
    referral.declineReasonCode = why.value.code;
    referral.declineReason = why.value.text;
    referral.history = [...referral.history, step(p, 'DECLINED', at, why.value.code)];
    await tx.getRepository(Referral).save(referral);
    await recordEvent(tx, referralDeclined(referral, at));
    return referral;
  });
}

export async function withdrawReferral(ctx: ReferralContext, id: string, reason: string): Promise<Referral> {
  const p = requirePrincipal(ctx);
  const why = checkWithdrawReason(reason);
  if (!why.ok) throw invalidInput(why.problems);
  return inTransaction(ctx.db, async (tx) => {
    const { referral } = await lockVisible(tx, p, id, 'Mutation.withdrawReferral');
    mustMove(referral, 'withdraw');
    const wasDraft = referral.status === 'DRAFT';
    const at = now();
    referral.status = 'WITHDRAWN';
    referral.withdrawReason = why.value;
    referral.history = [...referral.history, step(p, 'WITHDRAWN', at)];
    await tx.getRepository(Referral).save(referral);
    // A draft was never sent, so nobody else heard of it.
    if (!wasDraft) await recordEvent(tx, referralWithdrawn(referral, at));
    return referral;
  });
}

/** The LA panel sends an LA_PANEL referral to an approved provider; the provider's clock starts now. */
export async function assignProvider(ctx: ReferralContext, id: string, providerId: string, offerId?: string | null): Promise<Referral> {
  const p = requirePrincipal(ctx);
  if (offerId && !isUuid(offerId)) throw invalidInput([{ field: 'offerId', message: 'offerId must be an offer id from the AP directory' }]);
  return inTransaction(ctx.db, async (tx) => {
    const { referral, pupil } = await lockVisible(tx, p, id, 'Mutation.assignProvider');
    if (referral.route !== 'LA_PANEL') throw conflict('Only an LA_PANEL referral is assigned a provider by the panel: this one went direct');
    mustMove(referral, 'assignProvider');
    if (referral.providerId) throw conflict('The panel has already assigned a provider to this referral');
    await checkProvider(tx, providerId);
    if (offerId) await checkOffer(tx, providerId, offerId);
    referral.providerId = providerId;
    referral.offerId = offerId ?? null;
    referral.respondBy = respondByDate(today(), await respondWithin(tx, pupilLa(pupil)), laCalendar);
    referral.history = [...referral.history, step(p, 'SUBMITTED', now(), `assigned to provider ${providerId}`)];
    await saveOpen(tx, referral);
    await recordEvent(tx, referralSubmitted(referral, pupil));
    return referral;
  });
}
