import { randomUUID } from 'node:crypto';
import { EntityManager, In, IsNull } from 'typeorm';
import type { Logger } from '@ap/logger';
import { checkOpenOfferOf, now, sampleLaCalendar, today, validateUpn, type IsoDate } from '@ap/domain';
import { createOnce, findByIds, findForUpdate, inTransaction, isUuid, violatedUniqueConstraint } from '@ap/db';
import { assertRoleAllowed, mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { placementAccess } from './access';
import { badUserInput, conflict, forbidden, invalidInput, notFound } from '@ap/errors';
import { DirectoryOffer, DirectoryProvider, DirectorySchool, EventOf, recordEvent } from '@ap/events';
import { PlacementContext } from './context';
import { canListPlacement, canSeePlacement, canStartPlacement, checkCanStart, mayManagePlacement, OPEN_PLACEMENT_STATUSES, secondPlacementRefusal } from './domain/placement';
import {
  checkCancel,
  checkEnd,
  checkOfferPlace,
  checkOffSiteNotice,
  checkPlacementPlan,
  checkProviderEligible,
  checkProviderReviewPart,
  checkReview,
  checkReviewIntervalWeeks,
  checkReviewRequest,
  DEFAULT_REVIEW_INTERVAL_SCHOOL_WEEKS,
  nextReviewDue,
  registrationRequirement,
  type Checked,
} from './domain/rules';
import { Placement, PlacementHistory, PlacementReview } from './entities';
import {
  placementCancelled,
  placementEnded,
  placementPlanned,
  placementReviewRecorded,
  placementStarted,
  providerRegistrationRequired,
} from './events/published';
import type { CreatePlacementInput, EndPlacementInput, ProviderReviewPartInput, RecordReviewInput, UpdatePlacementPlanInput } from './__generated__/resolvers-types';

// The placement service's use cases; each write commits with the event it records.

/** Every LA counts school days on the sample LA calendar until LAs publish their own (as the referral service does). */
const laCalendar = sampleLaCalendar();
export const calendarOf = (_laCode: string | null) => laCalendar;

const FULL_TIME_INDEX = 'placement_one_full_time_per_pupil';
const ONE_FULL_TIME = 'The pupil already has a planned or active full-time placement; a pupil has one full-time placement at a time. End or cancel it first, or make this one part-time.';

/**
 * An accepted referral becomes a planned placement (consumer of referral.accepted). The unique
 * referral id backs up the consumer's own de-duplication: one referral, one placement.
 *
 * One open full-time placement per pupil is decided at the source (acceptReferral refuses a second
 * acceptance) and held here by the index placement_one_full_time_per_pupil (a referral's
 * placement is full-time until its plan says otherwise). An event that would break it anyway is
 * neither dropped, retried nor dead-lettered: it is kept in refused_placement with the placement it
 * collided with, and logged, for the LA to resolve. The event counts as applied.
 */
export async function planPlacementForReferral(event: EventOf<'referral.accepted'>, tx: EntityManager, logger?: Logger): Promise<void> {
  const { referralId, pupilId, providerId, schoolUrn, homeLaCode, upn, offerId } = event.payload;
  // The offer referred to, and its price, when the directory has told us of it; its place is counted at the start.
  const offer = offerId ? await tx.getRepository(DirectoryOffer).findOneBy({ id: offerId }) : null;
  // The UPN is kept for MIS attendance writeback only (older events have none).
  const placement = {
    id: randomUUID(), referralId, pupilId, providerId, schoolUrn, homeLaCode: homeLaCode ?? null, upn: upn ?? null, status: 'PLANNED' as const, fullTime: true,
    offerId: offerId ?? null, costPerDay: offer?.pricePerDay ?? null,
  };
  // DO NOTHING on any unique index: the referral id (a repeat) or the pupil's open placement.
  const inserted = await tx.createQueryBuilder().insert().into(Placement).values(placement).orIgnore().returning('id').execute();
  if (inserted.raw.length > 0) {
    await recordEvent(tx, placementPlanned(placement));
    await scheduleFirstReview(tx, placement.id, null, today(), placement.homeLaCode);
    return;
  }
  if (await tx.getRepository(Placement).existsBy({ referralId })) return;
  const open = await tx.getRepository(Placement).findOneByOrFail({ pupilId, fullTime: true, status: In([...OPEN_PLACEMENT_STATUSES]) });
  const reason = secondPlacementRefusal(open);
  await tx.query(
    `INSERT INTO refused_placement (referral_id, pupil_id, provider_id, school_urn, home_la_code, open_placement_id, event_id, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (referral_id) DO NOTHING`,
    [referralId, pupilId, providerId, schoolUrn, homeLaCode ?? null, open.id, event.id, reason],
  );
  logger?.warn({ referralId, pupilId, openPlacementId: open.id, eventId: event.id }, `accepted referral not placed: ${reason}`);
}

/** The placement's LA: the commissioning LA, else the pupil's (or school's) LA. */
const laOf = (p: { commissionerLaCode?: string | null; homeLaCode: string | null }) => p.commissionerLaCode ?? p.homeLaCode;

/** School weeks between reviews in the LA (setPlacementReviewWeeks), 6 where it set none. */
async function reviewIntervalOf(tx: EntityManager, laCode: string | null): Promise<number> {
  if (!laCode) return DEFAULT_REVIEW_INTERVAL_SCHOOL_WEEKS;
  const [row] = await tx.query(`SELECT review_interval_school_weeks AS n FROM la_placement_setting WHERE la_code = $1`, [laCode]);
  return row?.n ?? DEFAULT_REVIEW_INTERVAL_SCHOOL_WEEKS;
}

/** The LA admin sets its LA's review interval: reviews scheduled from then on fall due every N school weeks. */
export async function setPlacementReviewWeeks(ctx: PlacementContext, laCode: string, schoolWeeks: number): Promise<{ laCode: string; schoolWeeks: number }> {
  const principal = requirePrincipal(ctx);
  if (principal.org.type !== 'la' || principal.org.id !== laCode || !mayAccess(placementAccess, 'Mutation.setPlacementReviewWeeks', principal, {})) {
    throw forbidden('An LA admin sets the review interval of their own LA only: laCode must be your LA');
  }
  const n = throwIfBad(checkReviewIntervalWeeks(schoolWeeks));
  await ctx.db.query(
    `INSERT INTO la_placement_setting (la_code, review_interval_school_weeks) VALUES ($1, $2)
     ON CONFLICT (la_code) DO UPDATE SET review_interval_school_weeks = EXCLUDED.review_interval_school_weeks`,
    [laCode, n],
  );
  return { laCode, schoolWeeks: n };
}

/** The schedule's first review: the plan's date, else the LA's interval (6 school weeks) after the (planned) start. */
async function scheduleFirstReview(tx: EntityManager, placementId: string, firstReviewDate: IsoDate | null, from: IsoDate, laCode: string | null): Promise<void> {
  const due = firstReviewDate ?? nextReviewDue(from, laCalendar, await reviewIntervalOf(tx, laCode));
  await tx.getRepository(PlacementReview).insert({ id: randomUUID(), placementId, dueDate: due });
}

async function recordHistory(tx: EntityManager, placementId: string, principal: Principal, action: string, detail: string | null = null): Promise<void> {
  await tx.getRepository(PlacementHistory).insert({ placementId, action, byRole: principal.role, byOrg: `${principal.org.type}:${principal.org.id}`, detail });
}

const throwIfBad = <T>(checked: Checked<T>): T => {
  if (!checked.ok) throw invalidInput(checked.problems);
  return checked.value;
};

async function providerStanding(tx: EntityManager, providerId: string): Promise<DirectoryProvider | null> {
  return tx.getRepository(DirectoryProvider).findOneBy({ id: providerId });
}

/**
 * The offer a placement names: one the directory published, of the placement's provider, and open
 * (locked, so that two starts on its last place are decided one after the other). Else BAD_USER_INPUT naming offerId.
 */
async function openOfferFor(tx: EntityManager, offerId: string, providerId: string): Promise<DirectoryOffer> {
  const offer = await tx.getRepository(DirectoryOffer).findOne({ where: { id: offerId }, lock: { mode: 'pessimistic_write' } });
  const ok = checkOpenOfferOf(offer, providerId);
  if (!ok.ok) throw invalidInput([{ field: 'offerId', message: ok.message }]);
  return offer as DirectoryOffer;
}

/** Places in use on an offer: this service's active placements on it (the directory counts the same, from placement.started). */
async function placesInUse(tx: EntityManager, offerId: string): Promise<number> {
  return tx.getRepository(Placement).countBy({ offerId, status: 'ACTIVE' });
}

/** A school or an LA commissions a placement directly (e.g. day-6 provision for an excluded pupil). */
export async function createPlacement(ctx: PlacementContext, input: CreatePlacementInput): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  const problems: { field: string; message: string }[] = [];
  if (!isUuid(input.pupilId)) problems.push({ field: 'pupilId', message: `The pupilId "${input.pupilId}" is not a pupil id.` });
  if (!isUuid(input.providerId)) problems.push({ field: 'providerId', message: `The providerId "${input.providerId}" is not a provider id.` });
  if (input.offerId != null && !isUuid(input.offerId)) problems.push({ field: 'offerId', message: `The offerId "${input.offerId}" is not an offer id.` });
  if (input.schoolUrn != null && !/^[0-9]{6}$/.test(input.schoolUrn)) problems.push({ field: 'schoolUrn', message: `The school URN "${input.schoolUrn}" must be six digits.` });
  const upn = input.upn != null ? validateUpn(input.upn) : null;
  if (upn && !upn.ok) problems.push({ field: 'upn', message: upn.reason });
  if (principal.org.type === 'school' && input.schoolUrn != null && input.schoolUrn !== principal.org.id) {
    problems.push({ field: 'schoolUrn', message: 'A school commissions placements for itself: leave schoolUrn out or give your own URN.' });
  }
  if (problems.length) throw invalidInput(problems);
  const sessions = input.timetable.map((s) => ({ day: s.day, start: s.start, end: s.end }));
  const facts = throwIfBad(
    checkPlacementPlan(
      {
        type: input.type,
        plannedStartDate: input.plannedStartDate,
        plannedEndDate: input.plannedEndDate,
        firstReviewDate: input.firstReviewDate,
        sessions,
        costPerDay: input.costPerDay,
        noticeGivenOn: input.noticeGivenOn,
      },
      laCalendar,
      today(),
    ),
  );
  return createOnce(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'createPlacement', input },
    {
      create: async (tx) => {
        const provider = await providerStanding(tx, input.providerId);
        const eligible = throwIfBad(checkProviderEligible(provider, principal.role, input.overrideReason));
        // A full offer is refused now rather than at the start, unless an LA officer overrides it.
        const offer = input.offerId ? await openOfferFor(tx, input.offerId, input.providerId) : null;
        const place = throwIfBad(checkOfferPlace(offer, offer ? await placesInUse(tx, offer.id) : 0, principal.role, input.overrideReason));
        const overridden = [...eligible.overridden, ...place.overridden];
        const schoolUrn = principal.org.type === 'school' ? principal.org.id : (input.schoolUrn ?? null);
        const commissionerLaCode = principal.org.type === 'la' ? principal.org.id : null;
        const school = schoolUrn ? await tx.getRepository(DirectorySchool).findOneBy({ urn: schoolUrn }) : null;
        const placement = Object.assign(new Placement(), {
          id: randomUUID(),
          referralId: null,
          pupilId: input.pupilId,
          providerId: input.providerId,
          offerId: input.offerId ?? null,
          schoolUrn,
          commissionerLaCode,
          homeLaCode: commissionerLaCode ?? school?.laCode ?? null,
          status: 'PLANNED',
          type: input.type,
          plannedStartDate: input.plannedStartDate,
          plannedEndDate: input.plannedEndDate ?? null,
          // The offer's price unless the commissioner agreed another.
          costPerDay: input.costPerDay ?? offer?.pricePerDay ?? null,
          timetable: sessions,
          hoursPerWeek: facts.hoursPerWeek,
          fullTime: facts.fullTime,
          sessionsPerWeek: facts.sessionsPerWeek,
          noticeGivenOn: input.type === 'OFF_SITE_DIRECTION' ? (input.noticeGivenOn ?? today()) : null,
          pupilLookedAfter: input.pupilLookedAfter ?? false,
          pupilHasEhcp: (input.pupilHasEhcp ?? false) || input.type === 'EHCP_NAMED',
          overrideReason: overridden.length ? (input.overrideReason as string).trim() : null,
          offerPlaceOverridden: place.overridden.length > 0,
          upn: upn?.ok ? upn.upn : null,
        } satisfies Partial<Placement>);
        try {
          await tx.getRepository(Placement).insert(placement);
        } catch (error) {
          if (violatedUniqueConstraint(error) === FULL_TIME_INDEX) throw conflict(ONE_FULL_TIME);
          throw error;
        }
        await recordHistory(tx, placement.id, principal, 'CREATED', `${input.type}, ${facts.fullTime ? 'full-time' : 'part-time'} (${facts.hoursPerWeek} hours a week)`);
        if (eligible.overridden.length) {
          await recordHistory(tx, placement.id, principal, 'PROVIDER_RULES_OVERRIDDEN', `${eligible.overridden.join('; ')}. Reason: ${placement.overrideReason}`);
        }
        if (place.overridden.length) {
          await recordHistory(tx, placement.id, principal, 'OFFER_CAPACITY_OVERRIDDEN', `${place.overridden.join('; ')}. Reason: ${placement.overrideReason}`);
        }
        await scheduleFirstReview(tx, placement.id, input.firstReviewDate ?? null, input.plannedStartDate, laOf(placement));
        return tx.getRepository(Placement).findOneByOrFail({ id: placement.id });
      },
      idOf: (p) => p.id,
      replay: (id) => ctx.db.getRepository(Placement).findOneBy({ id }),
    },
  );
}

/**
 * The pupil starts (today when no date is given). The provider rules apply again at the start
 * (an override recorded at creation still covers it), and an off-site direction's notice too.
 */
export async function startPlacement(ctx: PlacementContext, id: string, startDate?: string | null, overrideReason?: string | null): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  const start = startDate ?? today();
  return inTransaction(ctx.db, async (tx) => {
    const placement = await findForUpdate(tx, Placement, id);
    if (!placement || !canStartPlacement(principal, placement)) throw notFound('Placement', id);
    const can = checkCanStart(placement.status);
    if (!can.ok) throw conflict(can.message);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw badUserInput(`The startDate "${start}" is not a date (YYYY-MM-DD).`, 'startDate');
    if (placement.referralId === null) {
      // Placements from referrals were checked by the referral service when it was accepted.
      const provider = await providerStanding(tx, placement.providerId);
      throwIfBad(checkProviderEligible(provider, placement.overrideReason ? 'LA_OFFICER' : principal.role, placement.overrideReason));
    }
    if (placement.type === 'OFF_SITE_DIRECTION' && placement.noticeGivenOn) {
      throwIfBad(checkOffSiteNotice(start, placement.noticeGivenOn, laCalendar, 'startDate'));
    }
    // The place is taken now: the offer (locked) must have one free, or an LA officer overrides,
    // at the start or already when the placement was created.
    let placeOverride: string[] = [];
    if (placement.offerId) {
      const offer = await tx.getRepository(DirectoryOffer).findOne({ where: { id: placement.offerId }, lock: { mode: 'pessimistic_write' } });
      const inUse = offer ? await placesInUse(tx, offer.id) : 0;
      const byCreation = placement.offerPlaceOverridden;
      placeOverride = throwIfBad(checkOfferPlace(offer, inUse, byCreation ? 'LA_OFFICER' : principal.role, byCreation ? placement.overrideReason : overrideReason)).overridden;
      if (placeOverride.length && !byCreation) {
        const reason = (overrideReason as string).trim();
        placement.offerPlaceOverridden = true;
        placement.overrideReason = placement.overrideReason ? `${placement.overrideReason}; ${reason}` : reason;
        await recordHistory(tx, placement.id, principal, 'OFFER_CAPACITY_OVERRIDDEN', `${placeOverride.join('; ')}. Reason: ${reason}`);
      }
    }
    const startedAt = now();
    placement.status = 'ACTIVE';
    placement.startedAt = startedAt;
    placement.startDate = start;
    await tx.getRepository(Placement).save(placement);
    await recordHistory(tx, placement.id, principal, 'STARTED', start);
    await recordEvent(tx, placementStarted(placement, startedAt));
    await reassessRegistration(tx, placement.providerId);
    return placement;
  });
}

/**
 * Changes a planned placement's plan: the fields given replace the old ones and the whole plan is
 * checked again (timetable, part-time end and review dates, off-site notice); a timetable that
 * makes it full-time meets the one-full-time-placement rule; the first review moves with the plan.
 */
export async function updatePlacementPlan(ctx: PlacementContext, id: string, input: UpdatePlacementPlanInput): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await managedPlacementForUpdate(tx, principal, 'Mutation.updatePlacementPlan', id);
    if (placement.status !== 'PLANNED') throw conflict(`This placement is ${placement.status.toLowerCase()}: only a planned placement's plan can change.`);
    if (input.offerId != null && !isUuid(input.offerId)) throw invalidInput([{ field: 'offerId', message: `The offerId "${input.offerId}" is not an offer id.` }]);
    // A new offer must be an open offer of the provider; its places are counted at the start.
    if (input.offerId && input.offerId !== placement.offerId) await openOfferFor(tx, input.offerId, placement.providerId);
    const due = await tx.getRepository(PlacementReview).findOneBy({ placementId: id, heldOn: IsNull() });
    const sessions = input.timetable ? input.timetable.map((s) => ({ day: s.day, start: s.start, end: s.end })) : placement.timetable;
    const plannedStartDate = input.plannedStartDate ?? placement.plannedStartDate ?? today();
    const plannedEndDate = input.plannedEndDate !== undefined ? input.plannedEndDate : placement.plannedEndDate;
    // A new start moves the first review with it, unless a date is given.
    const firstReviewDate =
      input.firstReviewDate ?? (input.plannedStartDate ? nextReviewDue(plannedStartDate, laCalendar, await reviewIntervalOf(tx, laOf(placement))) : (due?.dueDate ?? null));
    const facts = throwIfBad(
      checkPlacementPlan(
        { type: placement.type, plannedStartDate, plannedEndDate, firstReviewDate, sessions, costPerDay: input.costPerDay, noticeGivenOn: placement.noticeGivenOn },
        laCalendar,
        today(),
      ),
    );
    Object.assign(placement, {
      offerId: input.offerId !== undefined ? input.offerId : placement.offerId,
      plannedStartDate,
      plannedEndDate: plannedEndDate ?? null,
      costPerDay: input.costPerDay !== undefined ? input.costPerDay : placement.costPerDay,
      timetable: sessions,
      // A placement without a timetable yet stays full-time, as planned from its referral.
      hoursPerWeek: facts?.hoursPerWeek ?? null,
      fullTime: facts?.fullTime ?? true,
      sessionsPerWeek: facts?.sessionsPerWeek ?? null,
    });
    try {
      await tx.getRepository(Placement).save(placement);
    } catch (error) {
      if (violatedUniqueConstraint(error) === FULL_TIME_INDEX) throw conflict(ONE_FULL_TIME);
      throw error;
    }
    if (due && firstReviewDate && firstReviewDate !== due.dueDate) {
      due.dueDate = firstReviewDate;
      await tx.getRepository(PlacementReview).save(due);
    }
    const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    await recordHistory(tx, placement.id, principal, 'PLAN_UPDATED', changed.join(', '));
    return placement;
  });
}

async function managedPlacementForUpdate(tx: EntityManager, principal: Principal, operation: string, id: string): Promise<Placement> {
  const placement = await findForUpdate(tx, Placement, id);
  if (!placement || !mayManagePlacement(operation, principal, placement)) throw notFound('Placement', id);
  return placement;
}

export async function endPlacement(ctx: PlacementContext, id: string, input: EndPlacementInput): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await managedPlacementForUpdate(tx, principal, 'Mutation.endPlacement', id);
    const checked = checkEnd(placement.status, placement.startDate, input);
    if (!checked.ok) throw 'conflict' in checked ? conflict(checked.conflict) : invalidInput(checked.problems);
    placement.status = 'ENDED';
    placement.endDate = input.endDate;
    placement.endReason = input.endReason;
    placement.destinationUrn = input.destinationUrn ?? null;
    await tx.getRepository(Placement).save(placement);
    // No review falls due after the end.
    await tx.getRepository(PlacementReview).delete({ placementId: placement.id, heldOn: IsNull() });
    await recordHistory(tx, placement.id, principal, 'ENDED', `${input.endDate}: ${input.endReason}${input.destinationUrn ? ` to ${input.destinationUrn}` : ''}`);
    await recordEvent(tx, placementEnded(placement));
    await reassessRegistration(tx, placement.providerId);
    return placement;
  });
}

export async function cancelPlacement(ctx: PlacementContext, id: string, reason: string): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await managedPlacementForUpdate(tx, principal, 'Mutation.cancelPlacement', id);
    const checked = checkCancel(placement.status, reason);
    if (!checked.ok) throw 'conflict' in checked ? conflict(checked.conflict) : invalidInput(checked.problems);
    const wasActive = placement.status === 'ACTIVE';
    placement.status = 'CANCELLED';
    placement.cancelReason = reason.trim();
    // A started placement stops costing on the day it is cancelled.
    if (wasActive) placement.endDate = today();
    await tx.getRepository(Placement).save(placement);
    await tx.getRepository(PlacementReview).delete({ placementId: placement.id, heldOn: IsNull() });
    await recordHistory(tx, placement.id, principal, 'CANCELLED', placement.cancelReason);
    await recordEvent(tx, placementCancelled(placement, wasActive, now()));
    if (wasActive) await reassessRegistration(tx, placement.providerId);
    return placement;
  });
}

/**
 * A review was held: it fills the schedule's due review (or one held early), and the next falls
 * due 6 school weeks later unless the decision ends the placement. REINTEGRATE needs a plan.
 */
export async function recordReview(ctx: PlacementContext, placementId: string, input: RecordReviewInput): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await managedPlacementForUpdate(tx, principal, 'Mutation.recordReview', placementId);
    if (placement.status !== 'PLANNED' && placement.status !== 'ACTIVE') {
      throw conflict(`This placement is ${placement.status.toLowerCase()}: reviews are recorded for planned or active placements.`);
    }
    const plan = input.reintegrationPlan ? { targetDate: input.reintegrationPlan.targetDate, schoolUrn: input.reintegrationPlan.schoolUrn, steps: [...input.reintegrationPlan.steps] } : null;
    throwIfBad(checkReview({ heldOn: input.heldOn, decision: input.decision, reintegrationPlan: plan }, placement.startDate, today()));
    const reviews = tx.getRepository(PlacementReview);
    const due = await reviews.findOneBy({ placementId, heldOn: IsNull() });
    const review = due ?? Object.assign(new PlacementReview(), { id: randomUUID(), placementId, dueDate: input.heldOn });
    Object.assign(review, {
      heldOn: input.heldOn,
      decision: input.decision,
      notes: input.notes ?? null,
      pupilVoice: input.pupilVoice ?? null,
      parentVoice: input.parentVoice ?? null,
      recordedBy: `${principal.role} ${principal.org.type}:${principal.org.id}`,
      recordedAt: now(),
    });
    await reviews.save(review);
    const next = input.decision === 'END' ? null : nextReviewDue(input.heldOn, laCalendar, await reviewIntervalOf(tx, laOf(placement)));
    if (next) await reviews.insert({ id: randomUUID(), placementId, dueDate: next });
    if (plan) {
      placement.reintegrationPlan = plan;
      await tx.getRepository(Placement).save(placement);
    }
    await recordHistory(tx, placement.id, principal, 'REVIEW_RECORDED', `${input.heldOn}: ${input.decision}${next ? `; next review due ${next}` : ''}`);
    await recordEvent(tx, placementReviewRecorded(placement, { id: review.id, heldOn: input.heldOn, decision: input.decision }, next));
    return placement;
  });
}

/**
 * A parent asked in writing for a review of an off-site direction (the school or the LA records
 * it): unless a review was held in the 10 weeks before, one falls due on the request day (the
 * schedule's next review is brought forward, or one is added). Otherwise CONFLICT, saying from
 * when a request must be met; nothing is written.
 */
export async function requestPlacementReview(ctx: PlacementContext, placementId: string, requestedOn?: string | null): Promise<Placement> {
  const principal = requirePrincipal(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const placement = await managedPlacementForUpdate(tx, principal, 'Mutation.requestPlacementReview', placementId);
    if (placement.status !== 'PLANNED' && placement.status !== 'ACTIVE') {
      throw conflict(`This placement is ${placement.status.toLowerCase()}: a review is requested for a planned or active placement.`);
    }
    const reviews = tx.getRepository(PlacementReview);
    const held = (await reviews.findBy({ placementId })).flatMap((r) => (r.heldOn ? [r.heldOn] : []));
    const request = requestedOn ?? today();
    const checked = checkReviewRequest(placement.type, request, held, today());
    if (!checked.ok) throw 'conflict' in checked ? conflict(checked.conflict) : invalidInput(checked.problems);
    const { dueOn } = checked.value;
    const due = await reviews.findOneBy({ placementId, heldOn: IsNull() });
    if (!due) await reviews.insert({ id: randomUUID(), placementId, dueDate: dueOn });
    else if (due.dueDate > dueOn) await reviews.update({ id: due.id }, { dueDate: dueOn });
    await recordHistory(tx, placement.id, principal, 'REVIEW_REQUESTED', `requested on ${request}; a review is due from ${dueOn}`);
    return placement;
  });
}

/**
 * The provider records its part of a review of one of its placements (planned or active): its
 * account of progress and attendance, its view and the decision it recommends. Given again, the
 * fields given replace those recorded. The school and the LA read it on the review.
 */
export async function recordProviderReviewPart(ctx: PlacementContext, reviewId: string, input: ProviderReviewPartInput): Promise<PlacementReview> {
  const principal = requirePrincipal(ctx);
  const part = throwIfBad(checkProviderReviewPart(input));
  return inTransaction(ctx.db, async (tx) => {
    const review = isUuid(reviewId) ? await findForUpdate(tx, PlacementReview, reviewId) : null;
    const placement = review ? await tx.getRepository(Placement).findOneBy({ id: review.placementId }) : null;
    // Another provider's review, and one that does not exist, answer alike.
    if (!review || !placement || !mayManagePlacement('Mutation.recordProviderReviewPart', principal, placement)) throw notFound('Review', reviewId);
    if (placement.status !== 'PLANNED' && placement.status !== 'ACTIVE') {
      throw conflict(`This placement is ${placement.status.toLowerCase()}: the provider's part is recorded for planned or active placements.`);
    }
    const given = (k: keyof ProviderReviewPartInput) => input[k] !== undefined && input[k] !== null;
    Object.assign(review, {
      providerProgressSummary: given('progressSummary') ? part.progressSummary : review.providerProgressSummary,
      providerAttendanceComment: given('attendanceComment') ? part.attendanceComment : review.providerAttendanceComment,
      providerView: given('view') ? part.view : review.providerView,
      providerRecommendation: given('recommendation') ? part.recommendation : review.providerRecommendation,
      providerRecordedBy: `${principal.role} ${principal.org.type}:${principal.org.id}`,
      providerRecordedAt: now(),
    });
    await tx.getRepository(PlacementReview).save(review);
    await recordHistory(tx, placement.id, principal, 'PROVIDER_REVIEW_PART_RECORDED', `review due ${review.dueDate}${part.recommendation ? `; recommends ${part.recommendation}` : ''}`);
    return review;
  });
}

/**
 * Whether the provider must register as an independent school, over its active placements;
 * publishes provider.registration_required when the answer changes.
 */
export async function reassessRegistration(tx: EntityManager, providerId: string): Promise<void> {
  // One reassessment at a time per provider: the row lock orders concurrent starts and ends.
  await tx.query(`INSERT INTO provider_registration (provider_id) VALUES ($1) ON CONFLICT (provider_id) DO NOTHING`, [providerId]);
  const [state] = await tx.query(`SELECT registration_type, registration_required FROM provider_registration WHERE provider_id = $1 FOR UPDATE`, [providerId]);
  const active = await tx.getRepository(Placement).findBy({ providerId, status: 'ACTIVE' });
  const answer = registrationRequirement(
    state.registration_type,
    active.map((p) => ({ fullTime: p.fullTime, lookedAfter: p.pupilLookedAfter, hasEhcp: p.pupilHasEhcp })),
  );
  if (answer.required === state.registration_required) return;
  await tx.query(`UPDATE provider_registration SET registration_required = $2, updated_at = now() WHERE provider_id = $1`, [providerId, answer.required]);
  await recordEvent(tx, providerRegistrationRequired(providerId, answer, now()));
}

export async function visiblePlacement(ctx: PlacementContext, id: string): Promise<Placement | null> {
  const principal = requirePrincipal(ctx);
  // A role that may never read a placement is told so, also when the gateway resolves the entity.
  assertRoleAllowed(placementAccess, 'Query.placement', principal);
  if (!isUuid(id)) return null;
  const placement = await ctx.db.getRepository(Placement).findOneBy({ id });
  if (!placement) return null;
  const providerLaCode = principal.role === 'QA_OFFICER' ? (await ctx.db.getRepository(DirectoryProvider).findOneBy({ id: placement.providerId }))?.laCode : null;
  return canSeePlacement(principal, placement, providerLaCode) ? placement : null;
}

export async function visiblePlacementsOfPupil(ctx: PlacementContext, pupilId: string): Promise<Placement[]> {
  const principal = ctx.principal;
  if (!principal || !isUuid(pupilId)) return [];
  const placements = await ctx.placementsByPupil.load(pupilId);
  return placements.filter((p) => canListPlacement(principal, p));
}

export interface DueReview extends PlacementReview {
  placement: Placement;
}

/**
 * Reviews not yet held of the placements the caller manages (the school's, the LA's pupils', the
 * provider's), by due date: overdue ones come first. Keyset pages on (due date, id).
 */
export async function reviewsDue(ctx: PlacementContext, first: number, after: string | null | undefined): Promise<{ reviews: DueReview[]; nextCursor: string | null }> {
  const principal = requirePrincipal(ctx);
  assertRoleAllowed(placementAccess, 'Query.reviewsDue', principal);
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badUserInput('first must be a whole number from 1 to 200.', 'first');
  let cursor: [string, string] | null = null;
  if (after) {
    const parts = Buffer.from(after, 'base64url').toString('utf8').split('|');
    if (parts.length !== 2 || !/^\d{4}-\d{2}-\d{2}$/.test(parts[0]) || !isUuid(parts[1])) throw badUserInput('The cursor `after` is not one this query gave out.', 'after');
    cursor = [parts[0], parts[1]];
  }
  const scope: Record<string, string> = {
    school: 'p.school_urn = $1',
    provider: 'p.provider_id::text = $1',
    la: 'COALESCE(p.commissioner_la_code, p.home_la_code) = $1',
  };
  const rows: { id: string }[] = await ctx.db.query(
    `SELECT r.id FROM placement_review r JOIN placement p ON p.id = r.placement_id
     WHERE r.held_on IS NULL AND p.status IN ('PLANNED', 'ACTIVE') AND ${scope[principal.org.type] ?? 'false'}
       ${cursor ? 'AND (r.due_date, r.id) > ($2::date, $3::uuid)' : ''}
     ORDER BY r.due_date, r.id LIMIT ${first + 1}`,
    cursor ? [principal.org.id, ...cursor] : [principal.org.id],
  );
  const page = rows.slice(0, first);
  // The loaders' prepared SELECTs: the repository's findBy built each query anew (the largest share of this list's CPU).
  const reviews = await findByIds(ctx.db, PlacementReview, page.map((r) => r.id));
  const placements = await findByIds(ctx.db, Placement, reviews.map((r) => r.placementId));
  const byId = new Map(placements.map((p) => [p.id, p]));
  const ordered = page.map((r) => reviews.find((x) => x.id === r.id) as PlacementReview).map((r) => Object.assign(r, { placement: byId.get(r.placementId) as Placement }));
  const last = ordered[ordered.length - 1];
  return { reviews: ordered, nextCursor: rows.length > first && last ? Buffer.from(`${last.dueDate}|${last.id}`).toString('base64url') : null };
}

/**
 * The placements the caller manages or provides (the school's, the LA's pupils' and those it
 * commissioned, the provider's), newest first, optionally only some states or only part-time
 * timetables. Keyset pages on (planned at, id); each is checked against the table as well.
 */
export async function listPlacements(
  ctx: PlacementContext,
  filter: { status?: readonly string[] | null; partTimeOnly?: boolean | null } | null | undefined,
  first: number,
  after: string | null | undefined,
): Promise<{ placements: Placement[]; nextCursor: string | null }> {
  const principal = requirePrincipal(ctx);
  assertRoleAllowed(placementAccess, 'Query.placements', principal);
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badUserInput('first must be a whole number from 1 to 200.', 'first');
  let cursor: [string, string] | null = null;
  if (after) {
    const parts = Buffer.from(after, 'base64url').toString('utf8').split('|');
    if (parts.length !== 2 || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(parts[0]) || !isUuid(parts[1])) {
      throw badUserInput('The cursor `after` is not one this query gave out.', 'after');
    }
    cursor = [parts[0], parts[1]];
  }
  const scope: Record<string, string> = {
    school: 'p.school_urn = $1',
    provider: 'p.provider_id::text = $1',
    la: 'COALESCE(p.commissioner_la_code, p.home_la_code) = $1',
  };
  const params: unknown[] = [principal.org.id];
  const where = [scope[principal.org.type] ?? 'false'];
  if (filter?.status?.length) where.push(`p.status = ANY($${params.push([...filter.status])}::text[])`);
  if (filter?.partTimeOnly) where.push('NOT p.full_time');
  if (cursor) where.push(`(p.planned_at, p.id) < ($${params.push(cursor[0])}::timestamptz, $${params.push(cursor[1])}::uuid)`);
  // The cursor keeps planned_at as PostgreSQL writes it (microseconds), so no row is skipped between pages.
  const rows: { id: string; at: string }[] = await ctx.db.query(
    `SELECT p.id, p.planned_at::text AS at FROM placement p WHERE ${where.join(' AND ')} ORDER BY p.planned_at DESC, p.id DESC LIMIT ${first + 1}`,
    params,
  );
  const page = rows.slice(0, first);
  const found = page.length ? await ctx.db.getRepository(Placement).findBy({ id: In(page.map((r) => r.id)) }) : [];
  const byId = new Map(found.map((p) => [p.id, p]));
  const placements = page.map((r) => byId.get(r.id) as Placement).filter((p) => mayManagePlacement('Query.placements', principal, p));
  const last = page[page.length - 1];
  return { placements, nextCursor: rows.length > first && last ? Buffer.from(`${last.at}|${last.id}`).toString('base64url') : null };
}

export const reviewsOf = (ctx: PlacementContext, placementId: string) =>
  ctx.db.getRepository(PlacementReview).find({ where: { placementId }, order: { dueDate: 'ASC', id: 'ASC' } });

export const historyOf = (ctx: PlacementContext, placementId: string) =>
  ctx.db.getRepository(PlacementHistory).find({ where: { placementId }, order: { id: 'ASC' } });
