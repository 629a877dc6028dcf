import { randomUUID } from 'node:crypto';
import { sampleLaCalendar, today } from '@ap/domain';
import { clientToken, errorCodes, eventually, graphql } from '@ap/testing';
import { cast, ok } from './flow';
import { startStack, Stack } from './stack';

/**
 * Issue 10's "Done when", through the gateway: commissioning with the rules (part-time needs an
 * end date, off-site direction notice, a non-compliant provider and the LA's override), the
 * registration requirement, reviews on the LA calendar, reintegration reaching outcomes.
 */

jest.setTimeout(180_000);

const calendar = sampleLaCalendar();
const FULL_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '15:00' }));
const TWO_DAYS = FULL_WEEK.slice(0, 2);
const CREATE = `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id status overrideReason timetable { fullTime } reviews { dueDate } history { action byRole detail } } }`;
const START = `mutation($id: ID!, $startDate: Date) { startPlacement(id: $id, startDate: $startDate) { id status startDate } }`;

describe('placements through the gateway (issue 10)', () => {
  let stack: Stack;
  let url: string;
  let people: Awaited<ReturnType<typeof cast>>;
  let laOfficer: string;

  const provider = async (name: string) => {
    const { registerProvider } = await ok(url, people.laAdmin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: { name: `${name} ${randomUUID().slice(0, 6)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' },
    });
    await ok(url, people.laAdmin, `mutation($id: ID!) { approveProvider(id: $id) { approvalStatus } }`, { id: registerProvider.id });
    const id = registerProvider.id as string;
    // The placement service learns approval from the directory's events, a moment later.
    await eventually(async () => {
      const [row] = await stack.services.placement.dataSource.query(`SELECT status FROM directory_provider WHERE id = $1`, [id]);
      expect(row?.status).toBe('APPROVED');
    });
    return id;
  };
  const input = (providerId: string, extra: Record<string, unknown> = {}) => ({
    pupilId: randomUUID(),
    providerId,
    type: 'SCHOOL_COMMISSIONED',
    plannedStartDate: calendar.addSchoolDays(today(), 3),
    timetable: FULL_WEEK,
    ...extra,
  });
  const registrationEvents = (providerId: string) =>
    stack.services.placement.dataSource.query(
      `SELECT envelope->'payload' AS payload, published_at FROM outbox WHERE type = 'provider.registration_required' AND key = $1 ORDER BY created_at`,
      [providerId],
    );

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    people = await cast();
    laOfficer = await clientToken('LA_OFFICER', 'la:865');
  });
  afterAll(() => stack?.stop());

  it('refuses a part-time placement without an end date, and an off-site direction one school day away naming the earliest date', async () => {
    const providerId = await provider('Rules');
    const partTime = await graphql(url, CREATE, { input: input(providerId, { timetable: TWO_DAYS }) }, { token: people.school });
    expect(errorCodes(partTime)).toEqual(['BAD_USER_INPUT']);
    expect((partTime.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toContain('plannedEndDate');

    const tomorrow = calendar.addSchoolDays(today(), 1);
    const earliest = calendar.addSchoolDays(today(), 2);
    const offSite = await graphql(url, CREATE, { input: input(providerId, { type: 'OFF_SITE_DIRECTION', plannedStartDate: tomorrow }) }, { token: people.school });
    expect(errorCodes(offSite)).toEqual(['BAD_USER_INPUT']);
    expect(offSite.errors?.[0].message).toContain(`the earliest start is ${earliest}`);
    const legal = await ok(url, people.school, CREATE, { input: input(providerId, { type: 'OFF_SITE_DIRECTION', plannedStartDate: earliest }) });
    expect(legal.createPlacement.status).toBe('PLANNED');
  });

  it('refuses a NON_COMPLIANT provider; an LA officer places with an override reason, shown in history', async () => {
    const providerId = await provider('Gaps');
    await eventually(() =>
      ok(url, people.qa, `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { compliance } }`, {
        input: { providerId, rating: 'RED', summary: 'Single central record incomplete' },
      }),
    );
    await eventually(async () => {
      const [row] = await stack.services.placement.dataSource.query(`SELECT compliance FROM directory_provider WHERE id = $1`, [providerId]);
      expect(row.compliance).toBe('NON_COMPLIANT');
    });
    const refused = await graphql(url, CREATE, { input: input(providerId) }, { token: people.school });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0].message).toMatch(/non-compliant/);

    const { createPlacement } = await ok(url, laOfficer, CREATE, { input: input(providerId, { overrideReason: 'Only place for a day-6 pupil this week' }) });
    expect(createPlacement.overrideReason).toBe('Only place for a day-6 pupil this week');
    const { placement } = await ok(url, laOfficer, `query($id: ID!) { placement(id: $id) { history { action byRole detail } } }`, { id: createPlacement.id });
    expect(placement.history).toContainEqual({
      action: 'PROVIDER_RULES_OVERRIDDEN',
      byRole: 'LA_OFFICER',
      detail: "the provider's safeguarding compliance is non-compliant. Reason: Only place for a day-6 pupil this week",
    });
  });

  it('the fifth full-time pupil, or the first looked-after one, at an unregistered provider raises registration_required', async () => {
    const busy = await provider('Busy');
    const startFor = async (providerId: string, extra: Record<string, unknown> = {}) => {
      const { createPlacement } = await ok(url, people.school, CREATE, { input: input(providerId, extra) });
      await ok(url, await people.provider(providerId), START, { id: createPlacement.id, startDate: today() });
    };
    for (let i = 0; i < 4; i++) await startFor(busy);
    expect(await registrationEvents(busy)).toEqual([]);
    await startFor(busy);
    await eventually(async () => {
      const events = await registrationEvents(busy);
      expect(events).toHaveLength(1);
      expect(events[0].payload).toMatchObject({ required: true, fullTimePupils: 5 });
      expect(events[0].published_at).not.toBeNull();
    });
    // The directory consumes it and shows it on the provider, through the gateway.
    await eventually(async () => {
      const { provider: shown } = await ok(url, laOfficer, `query($id: ID!) { provider(id: $id) { registrationRequired registrationRequiredReason } }`, { id: busy });
      expect(shown.registrationRequired).toBe(true);
      expect(shown.registrationRequiredReason).toEqual(expect.any(String));
    });

    const careful = await provider('Careful');
    await startFor(careful, { pupilLookedAfter: true });
    expect((await registrationEvents(careful)).map((e: { payload: unknown }) => e.payload)).toEqual([
      expect.objectContaining({ required: true, fullTimePupils: 1, lookedAfterOrEhcpPupils: 1 }),
    ]);
  });

  it('holds an offer to its capacity (learnt from the directory’s offer.changed): a start on a full offer is refused naming it, an LA officer overrides with a reason; the provider records its part of a review, which the school sees', async () => {
    const providerId = await provider('Places');
    // The LA officer manages the school's placements once the placement service knows the school's LA.
    await ok(url, people.laAdmin, `mutation($input: SchoolInput!) { registerSchool(input: $input) { urn } }`, {
      input: { urn: '100001', name: 'Oak Academy', phase: 'SECONDARY', laCode: '865', laName: 'Wiltshire' },
    });
    await eventually(async () =>
      expect(await stack.services.placement.dataSource.query(`SELECT la_code FROM directory_school WHERE urn = '100001'`)).toEqual([{ la_code: '865' }]),
    );
    const { addOffer } = await ok(url, people.laAdmin, `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id } }`, {
      p: providerId,
      input: { name: 'One-place outreach', keyStages: ['KS4'], needs: ['SEMH'], deliveryModes: ['OUTREACH'], sessionsOffered: 4, pricePerDay: 95, capacity: 1 },
    });
    const offerId = addOffer.id as string;
    const partTime = { timetable: TWO_DAYS, plannedEndDate: calendar.addSchoolDays(today(), 40), firstReviewDate: calendar.addSchoolDays(today(), 20), offerId };
    // The placement service learns of the offer a moment later; then the price comes from it.
    const first = (await eventually(() => ok(url, people.school, CREATE, { input: input(providerId, partTime) }))).createPlacement;
    const second = (await ok(url, people.school, CREATE, { input: input(providerId, partTime) })).createPlacement;
    const providerToken = await people.provider(providerId);
    const start = calendar.addSchoolDays(today(), 3);
    await ok(url, providerToken, START, { id: first.id, startDate: start });

    const full = await graphql(url, START, { id: second.id, startDate: start }, { token: providerToken });
    expect(errorCodes(full)).toEqual(['BAD_USER_INPUT']);
    expect(full.errors?.[0].extensions?.field).toBe('offerId');
    expect(full.errors?.[0].message).toContain(`offer ${offerId} is full: all 1 of its places are in use`);
    const START_OVERRIDE = `mutation($id: ID!, $d: Date, $r: String) { startPlacement(id: $id, startDate: $d, overrideReason: $r) { status costPerDay history { action byRole detail } } }`;
    const { startPlacement } = await ok(url, laOfficer, START_OVERRIDE, { id: second.id, d: start, r: 'Panel agreed a second pupil for one term' });
    expect(startPlacement.status).toBe('ACTIVE');
    expect(startPlacement.costPerDay).toBe(95);
    expect(startPlacement.history).toContainEqual({ action: 'OFFER_CAPACITY_OVERRIDDEN', byRole: 'LA_OFFICER', detail: expect.stringContaining('Panel agreed a second pupil for one term') });
    // The directory counts both places: none free, never negative.
    await eventually(async () => {
      const { provider: p } = await ok(url, people.laAdmin, `query($id: ID!) { provider(id: $id) { offers { id placesInUse freePlaces } } }`, { id: providerId });
      expect(p.offers).toEqual([{ id: offerId, placesInUse: 2, freePlaces: 0 }]);
    });

    // The directory's offer, joined through the gateway.
    const { placement } = await ok(url, people.school, `query($id: ID!) { placement(id: $id) { offer { id name pricePerDay } reviews { id } } }`, { id: first.id });
    expect(placement.offer).toEqual({ id: offerId, name: 'One-place outreach', pricePerDay: 95 });
    const PART = `mutation($id: ID!, $input: ProviderReviewPartInput!) { recordProviderReviewPart(reviewId: $id, input: $input) { id } }`;
    await ok(url, providerToken, PART, { id: placement.reviews[0].id, input: { progressSummary: 'Functional Skills maths level 1 passed', view: 'Ready to extend', recommendation: 'EXTEND' } });
    const refused = await graphql(url, PART, { id: placement.reviews[0].id, input: { view: 'Not mine' } }, { token: await people.provider(randomUUID()) });
    expect(errorCodes(refused)).toEqual(['NOT_FOUND']);
    const seen = await ok(url, people.school, `query($id: ID!) { placement(id: $id) { reviews { providerPart { progressSummary view recommendation } } } }`, { id: first.id });
    expect(seen.placement.reviews[0].providerPart).toEqual({ progressSummary: 'Functional Skills maths level 1 passed', view: 'Ready to extend', recommendation: 'EXTEND' });
  });

  it('schedules reviews on school days, lists overdue first, refuses REINTEGRATE without a plan, and a reintegration reaches outcomes', async () => {
    const providerId = await provider('Reviews');
    const { createPlacement: later } = await ok(url, people.school, CREATE, { input: input(providerId) });
    expect(calendar.isSchoolDay(later.reviews[0].dueDate)).toBe(true);
    expect(later.reviews[0].dueDate).toBe(calendar.addSchoolDays(input(providerId).plannedStartDate, 30));

    const began = calendar.addSchoolDays(today(), -20);
    const overdueOn = calendar.addSchoolDays(today(), -5);
    const { createPlacement: p } = await ok(url, people.school, CREATE, { input: input(providerId, { plannedStartDate: began, firstReviewDate: overdueOn }) });
    await ok(url, await people.provider(providerId), START, { id: p.id, startDate: began });

    const { reviewsDue } = await ok(url, people.school, `query { reviewsDue(first: 200) { reviews { dueDate overdue placement { id } } } }`);
    expect(reviewsDue.reviews[0]).toEqual({ dueDate: overdueOn, overdue: true, placement: { id: p.id } });
    expect(reviewsDue.reviews.filter((r: { overdue: boolean }) => !r.overdue).map((r: { placement: { id: string } }) => r.placement.id)).toContain(later.id);

    const REVIEW = `mutation($id: ID!, $input: RecordReviewInput!) { recordReview(placementId: $id, input: $input) { reintegrationPlan { targetDate } reviews { heldOn dueDate } } }`;
    const refused = await graphql(url, REVIEW, { id: p.id, input: { heldOn: today(), decision: 'REINTEGRATE' } }, { token: people.school });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0].extensions?.field).toBe('reintegrationPlan');
    const plan = { targetDate: calendar.addSchoolDays(today(), 10), schoolUrn: '100001', steps: ['Mornings at school for two weeks', 'Full return'] };
    const reviewed = await ok(url, people.school, REVIEW, { id: p.id, input: { heldOn: today(), decision: 'REINTEGRATE', reintegrationPlan: plan } });
    expect(reviewed.recordReview.reintegrationPlan).toEqual({ targetDate: plan.targetDate });
    expect(reviewed.recordReview.reviews[1]).toEqual({ heldOn: null, dueDate: calendar.addSchoolDays(today(), 30) });

    await ok(url, people.school, `mutation($id: ID!, $input: EndPlacementInput!) { endPlacement(id: $id, input: $input) { status } }`, {
      id: p.id,
      input: { endDate: today(), endReason: 'REINTEGRATED_MAINSTREAM', destinationUrn: '100001' },
    });
    await eventually(async () => {
      const { providerOutcomes } = await ok(url, people.analyst, `query($id: ID!) { providerOutcomes(providerId: $id) { placementsStarted placementsReintegrated } }`, {
        id: providerId,
      });
      expect(providerOutcomes).toEqual({ placementsStarted: 1, placementsReintegrated: 1 });
    });
  });
});
