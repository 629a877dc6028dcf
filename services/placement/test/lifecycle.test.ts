import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { sampleLaCalendar, setClock } from '@ap/domain';
import { EventEnvelope, KafkaEventBus, newEvent, topicFor, validateEvent } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { placementService } from '../src/server';

jest.setTimeout(90_000);

// Wednesday 25 November 2026, in term on the sample LA calendar.
const TODAY = '2026-11-25';
const school = principal('SCHOOL_USER', 'school:100001');
const otherSchool = principal('SCHOOL_USER', 'school:100002');
const laOfficer = principal('LA_OFFICER', 'la:865');
const FULL_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '15:00' }));
const TWO_DAYS = FULL_WEEK.slice(0, 2);

const FIELDS = `id status type offerId schoolUrn commissioner { schoolUrn laCode } plannedStartDate plannedEndDate startDate endDate endReason destinationUrn
  costPerDay costToDate overrideReason flags timetable { hoursPerWeek fullTime sessionsPerWeek sessions { day start end } }
  reviews { dueDate heldOn decision overdue } reintegrationPlan { targetDate schoolUrn steps } history { action byRole detail }`;
const CREATE = `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { ${FIELDS} } }`;
const START = `mutation($id: ID!, $startDate: Date) { startPlacement(id: $id, startDate: $startDate) { ${FIELDS} } }`;
const END = `mutation($id: ID!, $input: EndPlacementInput!) { endPlacement(id: $id, input: $input) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelPlacement(id: $id, reason: $reason) { ${FIELDS} } }`;
const REVIEW = `mutation($id: ID!, $input: RecordReviewInput!) { recordReview(placementId: $id, input: $input) { ${FIELDS} } }`;
const PLACEMENT = `query($id: ID!) { placement(id: $id) { id status } }`;
const DUE = `query($first: Int, $after: String) { reviewsDue(first: $first, after: $after) { nextCursor reviews { dueDate overdue placement { id } } } }`;

describe('placement lifecycle and rules', () => {
  let service: RunningService;
  let publisher: KafkaEventBus;

  const call = async (who: Principal, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('placement', who) });
  const ok = async (who: Principal, query: string, variables: Record<string, unknown> = {}) => {
    const res = await call(who, query, variables);
    expect(res.errors).toBeUndefined();
    return res.data;
  };
  const outbox = (type: string, field: string, value: string) =>
    service.dataSource.query(`SELECT key, envelope FROM outbox WHERE type = $1 AND envelope->'payload'->>${`'${field}'`} = $2 ORDER BY created_at`, [type, value]);

  const publish = (producer: 'directory' | 'safeguarding-audit', ...events: EventEnvelope[]) =>
    publisher.publish(topicFor(producer), events.map((e) => ({ key: e.key, value: JSON.stringify(e) })));

  /** A provider the directory registered (and approved) in LA 865; resolves once the placement service knows it. */
  const provider = async (opts: { approved?: boolean; registrationType?: string; compliance?: 'NON_COMPLIANT' | 'EXPIRED' } = {}) => {
    const providerId = randomUUID();
    const events: EventEnvelope[] = [
      newEvent({ type: 'provider.registered', producer: 'directory', key: providerId, payload: { providerId, name: 'Horizons', registrationType: opts.registrationType ?? 'UNREGISTERED', laCode: '865' } }),
    ];
    if (opts.approved !== false) events.push(newEvent({ type: 'provider.approved', producer: 'directory', key: providerId, payload: { providerId, approvedAt: new Date().toISOString() } }));
    await publish('directory', ...events);
    if (opts.compliance) {
      await publish(
        'safeguarding-audit',
        newEvent({
          type: 'provider.compliance_changed',
          producer: 'safeguarding-audit',
          key: providerId,
          payload: { providerId, compliance: opts.compliance, reason: 'audit found gaps', effectiveAt: new Date().toISOString() },
        }),
      );
    }
    await eventually(async () => {
      const [row] = await service.dataSource.query(`SELECT status, compliance FROM directory_provider WHERE id = $1`, [providerId]);
      expect(row?.status).toBe(opts.approved === false ? 'APPLIED' : 'APPROVED');
      if (opts.compliance) expect(row.compliance).toBe(opts.compliance);
    });
    return providerId;
  };

  const input = (providerId: string, extra: Record<string, unknown> = {}) => ({
    pupilId: randomUUID(),
    providerId,
    type: 'SCHOOL_COMMISSIONED',
    plannedStartDate: '2026-11-30',
    timetable: FULL_WEEK,
    costPerDay: 120,
    ...extra,
  });

  let approved: string;

  /** An offer the directory published for the provider; resolves once the placement service knows it. */
  const offer = async (providerId: string, over: { capacity?: number; open?: boolean; pricePerDay?: number } = {}) => {
    const offerId = randomUUID();
    await publish('directory', newEvent({
      type: 'offer.changed', producer: 'directory', key: offerId,
      payload: { offerId, providerId, laCode: '865', open: over.open ?? true, capacity: over.capacity ?? 4, keyStages: ['KS3'], pricePerDay: over.pricePerDay ?? 130, effectiveAt: new Date().toISOString() },
    }));
    await eventually(async () => expect(await service.dataSource.query(`SELECT id FROM directory_offer WHERE id = $1`, [offerId])).toHaveLength(1));
    return offerId;
  };

  beforeAll(async () => {
    setClock(`${TODAY}T10:00:00Z`);
    useKafkaNamespace();
    service = await startTestService(placementService);
    publisher = new KafkaEventBus({ clientId: 'placement-lifecycle-test' });
    await publish('directory', newEvent({ type: 'school.registered', producer: 'directory', key: '100001', payload: { urn: '100001', name: 'Oak Academy', phase: 'SECONDARY', laCode: '865' } }));
    approved = await provider();
    await eventually(async () => expect(await service.dataSource.query(`SELECT la_code FROM directory_school WHERE urn = '100001'`)).toEqual([{ la_code: '865' }]));
  });
  afterAll(async () => {
    setClock(undefined);
    await publisher?.close();
    await service?.stop();
  });

  describe('createPlacement', () => {
    it('plans a full-time placement for the school, with its first review 6 school weeks after the planned start', async () => {
      const offerId = await offer(approved);
      const { createPlacement: p } = await ok(school, CREATE, { input: input(approved, { offerId }) });
      expect(p).toMatchObject({
        status: 'PLANNED',
        type: 'SCHOOL_COMMISSIONED',
        offerId,
        schoolUrn: '100001',
        commissioner: { schoolUrn: '100001', laCode: null },
        plannedStartDate: '2026-11-30',
        costPerDay: 120,
        costToDate: 0,
        timetable: { hoursPerWeek: 30, fullTime: true, sessionsPerWeek: 10 },
        reviews: [{ dueDate: '2027-01-26', heldOn: null, decision: null, overdue: false }],
        history: [{ action: 'CREATED', byRole: 'SCHOOL_USER' }],
        overrideReason: null,
      });
    });

    it('refuses a part-time timetable without an end date and a first review date (BAD_USER_INPUT naming both)', async () => {
      const res = await call(school, CREATE, { input: input(approved, { timetable: TWO_DAYS }) });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect((res.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual(['plannedEndDate', 'firstReviewDate']);
      expect(res.errors?.[0].message).toMatch(/12 hours a week is part-time/);
    });

    it('refuses an off-site direction starting one school day after notice, naming the earliest legal date', async () => {
      const res = await call(school, CREATE, { input: input(approved, { type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-26' }) });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('plannedStartDate');
      expect(res.errors?.[0].message).toContain('the earliest start is 2026-11-27');
      const allowed = await ok(school, CREATE, { input: input(approved, { type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-27' }) });
      expect(allowed.createPlacement.status).toBe('PLANNED');
    });

    it('refuses a NON_COMPLIANT provider (learnt from the audit service’s event), unless an LA officer gives a reason, which shows in history', async () => {
      const nonCompliant = await provider({ compliance: 'NON_COMPLIANT' });
      const bySchool = await call(school, CREATE, { input: input(nonCompliant) });
      expect(errorCodes(bySchool)).toEqual(['BAD_USER_INPUT']);
      expect(bySchool.errors?.[0].message).toMatch(/non-compliant.*only an LA officer or LA admin/);
      const schoolWithReason = await call(school, CREATE, { input: input(nonCompliant, { overrideReason: 'we know them' }) });
      expect(errorCodes(schoolWithReason)).toEqual(['BAD_USER_INPUT']);
      const laWithoutReason = await call(laOfficer, CREATE, { input: input(nonCompliant) });
      expect(errorCodes(laWithoutReason)).toEqual(['BAD_USER_INPUT']);
      expect(laWithoutReason.errors?.[0].message).toMatch(/give an overrideReason/);

      const { createPlacement: p } = await ok(laOfficer, CREATE, { input: input(nonCompliant, { overrideReason: 'Only provider with a place this week' }) });
      expect(p.overrideReason).toBe('Only provider with a place this week');
      expect(p.commissioner).toEqual({ schoolUrn: null, laCode: '865' });
      expect(p.history).toEqual([
        expect.objectContaining({ action: 'CREATED', byRole: 'LA_OFFICER' }),
        { action: 'PROVIDER_RULES_OVERRIDDEN', byRole: 'LA_OFFICER', detail: "the provider's safeguarding compliance is non-compliant. Reason: Only provider with a place this week" },
      ]);
      // The override covers the start too, even when the provider starts it.
      const started = await ok(principal('PROVIDER_USER', `provider:${nonCompliant}`), START, { id: p.id, startDate: '2026-11-30' });
      expect(started.startPlacement.status).toBe('ACTIVE');
    });

    it('maps audit.completed to compliance until provider.compliance_changed arrives', async () => {
      const audited = await provider();
      await publish(
        'safeguarding-audit',
        newEvent({
          type: 'audit.completed',
          producer: 'safeguarding-audit',
          key: audited,
          payload: { auditId: randomUUID(), providerId: audited, rating: 'RED', compliance: 'NON_COMPLIANT', completedAt: new Date().toISOString() },
        }),
      );
      await eventually(async () => expect((await service.dataSource.query(`SELECT compliance FROM directory_provider WHERE id = $1`, [audited]))[0].compliance).toBe('NON_COMPLIANT'));
      expect(errorCodes(await call(school, CREATE, { input: input(audited) }))).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a provider the directory has not approved, or has never published', async () => {
      const applied = await provider({ approved: false });
      expect((await call(school, CREATE, { input: input(applied) })).errors?.[0].message).toMatch(/applied, not approved/);
      expect((await call(school, CREATE, { input: input(randomUUID()) })).errors?.[0].message).toMatch(/has not published this provider/);
    });

    it('holds one full-time placement per pupil (CONFLICT); part-time placements combine', async () => {
      const pupilId = randomUUID();
      await ok(school, CREATE, { input: { ...input(approved), pupilId } });
      const second = await call(school, CREATE, { input: { ...input(approved), pupilId } });
      expect(errorCodes(second)).toEqual(['CONFLICT']);
      expect(second.errors?.[0].message).toMatch(/one full-time placement at a time/);

      const partTime = { timetable: TWO_DAYS, plannedEndDate: '2027-02-12', firstReviewDate: '2027-01-11' };
      const other = randomUUID();
      await ok(school, CREATE, { input: { ...input(approved, partTime), pupilId: other } });
      await ok(school, CREATE, { input: { ...input(approved, partTime), pupilId: other } });
    });

    it('is refused to a provider (FORBIDDEN), and keeps a school to its own URN', async () => {
      expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${approved}`), CREATE, { input: input(approved) }))).toEqual(['FORBIDDEN']);
      const res = await call(school, CREATE, { input: input(approved, { schoolUrn: '100002' }) });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('schoolUrn');
    });
  });

  describe('the offer’s places (capacity from the directory’s offer.changed, places in use = active placements)', () => {
    const startAs = (who: Principal, id: string, overrideReason?: string) =>
      call(who, `mutation($id: ID!, $r: String) { startPlacement(id: $id, startDate: "2026-11-30", overrideReason: $r) { ${FIELDS} } }`, { id, r: overrideReason ?? null });
    const providerUser = (id: string) => principal('PROVIDER_USER', `provider:${id}`);

    it('takes the offer’s price per day unless the school agreed another', async () => {
      const offerId = await offer(approved, { pricePerDay: 142.5 });
      expect((await ok(school, CREATE, { input: input(approved, { offerId, costPerDay: undefined }) })).createPlacement.costPerDay).toBe(142.5);
      expect((await ok(school, CREATE, { input: input(approved, { offerId, costPerDay: 99 }) })).createPlacement.costPerDay).toBe(99);
    });

    it.each([
      ['an offer the directory never published', async () => randomUUID(), /no such offer/],
      ['another provider’s offer', async () => offer(await provider()), /another provider/],
      ['a closed offer', async () => offer(approved, { open: false }), /closed/],
    ])('refuses %s: BAD_USER_INPUT naming offerId, nothing written', async (_what, make, message) => {
      const offerId = await make();
      const before = (await service.dataSource.query(`SELECT count(*)::int AS n FROM placement`))[0].n;
      const res = await call(school, CREATE, { input: input(approved, { offerId }) });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.problems).toEqual([{ field: 'offerId', message: expect.stringMatching(message) }]);
      expect((await service.dataSource.query(`SELECT count(*)::int AS n FROM placement`))[0].n).toBe(before);
    });

    it('starts placements until the offer is full; then the next is refused naming the offer and its capacity, unless an LA officer overrides with a reason (in history)', async () => {
      const p = await provider();
      const offerId = await offer(p, { capacity: 2 });
      const plan = async () => (await ok(school, CREATE, { input: input(p, { offerId, timetable: TWO_DAYS, plannedEndDate: '2027-02-26', firstReviewDate: '2027-01-15' }) })).createPlacement.id as string;
      const [a, b, c] = [await plan(), await plan(), await plan()];
      expect((await startAs(providerUser(p), a)).errors).toBeUndefined();
      expect((await startAs(providerUser(p), b)).errors).toBeUndefined();
      // Full: 2 of 2 places in use. The provider cannot override; a school cannot plan another.
      const refused = await startAs(providerUser(p), c, 'we have room really');
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors?.[0].extensions?.field).toBe('offerId');
      expect(refused.errors?.[0].message).toContain(`offer ${offerId} is full: all 2 of its places are in use`);
      const [{ status }] = await service.dataSource.query(`SELECT status FROM placement WHERE id = $1`, [c]);
      expect(status).toBe('PLANNED');
      const planFull = await call(school, CREATE, { input: input(p, { offerId, timetable: TWO_DAYS, plannedEndDate: '2027-02-26', firstReviewDate: '2027-01-15' }) });
      expect(errorCodes(planFull)).toEqual(['BAD_USER_INPUT']);
      expect(planFull.errors?.[0].extensions?.field).toBe('offerId');
      // The LA officer starts it anyway, with a reason that shows in history.
      const overridden = await startAs(laOfficer, c, 'Day-6 duty: no other place in reach');
      expect(overridden.errors).toBeUndefined();
      expect(overridden.data.startPlacement.status).toBe('ACTIVE');
      expect(overridden.data.startPlacement.history).toContainEqual({
        action: 'OFFER_CAPACITY_OVERRIDDEN', byRole: 'LA_OFFICER', detail: `offer ${offerId} is full: all 2 of its places are in use. Reason: Day-6 duty: no other place in reach`,
      });
      // Ending one gives a place back: the next start needs no override.
      await ok(school, END, { id: a, input: { endDate: '2026-11-30', endReason: 'OTHER' } });
      await ok(school, END, { id: b, input: { endDate: '2026-11-30', endReason: 'OTHER' } });
      const d = await plan();
      expect((await startAs(providerUser(p), d)).errors).toBeUndefined();
    });

    it('an LA officer’s override at creation covers the start too', async () => {
      const p = await provider();
      const offerId = await offer(p, { capacity: 0 });
      const res = await call(laOfficer, CREATE, { input: input(p, { offerId, overrideReason: 'Emergency placement agreed by the panel' }) });
      expect(res.errors).toBeUndefined();
      expect(res.data.createPlacement.history.map((h: { action: string }) => h.action)).toEqual(['CREATED', 'OFFER_CAPACITY_OVERRIDDEN']);
      const started = await startAs(providerUser(p), res.data.createPlacement.id);
      expect(started.errors).toBeUndefined();
      expect(started.data.startPlacement.status).toBe('ACTIVE');
    });

    it('decides two starts on the last place one after the other: one starts, the other is refused', async () => {
      const p = await provider();
      const offerId = await offer(p, { capacity: 1 });
      const plan = async () => (await ok(school, CREATE, { input: input(p, { offerId, timetable: TWO_DAYS, plannedEndDate: '2027-02-26', firstReviewDate: '2027-01-15' }) })).createPlacement.id as string;
      const ids = [await plan(), await plan()];
      const results = await Promise.all(ids.map((id) => startAs(providerUser(p), id)));
      expect(results.map((r) => (r.errors ? errorCodes(r)[0] : 'STARTED')).sort()).toEqual(['BAD_USER_INPUT', 'STARTED']);
      expect((await service.dataSource.query(`SELECT count(*)::int AS n FROM placement WHERE offer_id = $1 AND status = 'ACTIVE'`, [offerId]))[0].n).toBe(1);
    });
  });

  describe('an off-site direction reviewed on request', () => {
    const REQUEST = `mutation($id: ID!, $on: Date) { requestPlacementReview(placementId: $id, requestedOn: $on) { ${FIELDS} } }`;
    const offSite = async () =>
      (await ok(school, CREATE, { input: input(approved, { type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-27', timetable: TWO_DAYS, plannedEndDate: '2027-03-26', firstReviewDate: '2027-01-15' }) })).createPlacement.id as string;

    it('brings the review forward to the request day when none was held in the 10 weeks before; after one, refuses naming from when a request must be met', async () => {
      const id = await offSite();
      const res = await call(school, REQUEST, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data.requestPlacementReview.reviews).toEqual([{ dueDate: TODAY, heldOn: null, decision: null, overdue: false }]);
      expect(res.data.requestPlacementReview.history).toContainEqual({ action: 'REVIEW_REQUESTED', byRole: 'SCHOOL_USER', detail: `requested on ${TODAY}; a review is due from ${TODAY}` });
      await ok(school, REVIEW, { id, input: { heldOn: TODAY, decision: 'CONTINUE' } });
      // The LA records the parent's next request a week later: the review of 25 November is within the 10 weeks.
      setClock('2026-12-02T10:00:00Z');
      try {
        const before = (await ok(school, `query($id: ID!) { placement(id: $id) { reviews { dueDate heldOn } } }`, { id })).placement.reviews;
        const refused = await call(laOfficer, REQUEST, { id });
        expect(errorCodes(refused)).toEqual(['CONFLICT']);
        expect(refused.errors?.[0].message).toBe('A review was held on 2026-11-25, within the 10 weeks before the request; the governing body must meet a request made from 2027-02-04.');
        expect((await ok(school, `query($id: ID!) { placement(id: $id) { reviews { dueDate heldOn } } }`, { id })).placement.reviews).toEqual(before);
      } finally {
        setClock(`${TODAY}T10:00:00Z`);
      }
    });

    it('refuses a placement that is no off-site direction (CONFLICT), a future date (BAD_USER_INPUT naming requestedOn), the provider and another school', async () => {
      const other = (await ok(school, CREATE, { input: input(approved, { type: 'MANAGED_MOVE', timetable: TWO_DAYS, plannedEndDate: '2027-03-26', firstReviewDate: '2027-01-15' }) })).createPlacement.id;
      expect(errorCodes(await call(school, REQUEST, { id: other }))).toEqual(['CONFLICT']);
      const id = await offSite();
      const future = await call(school, REQUEST, { id, on: '2026-11-26' });
      expect(errorCodes(future)).toEqual(['BAD_USER_INPUT']);
      expect(future.errors?.[0].extensions?.field).toBe('requestedOn');
      expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${approved}`), REQUEST, { id }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(otherSchool, REQUEST, { id }))).toEqual(['NOT_FOUND']);
      const [row] = await service.dataSource.query(`SELECT due_date::text AS d FROM placement_review WHERE placement_id = $1`, [id]);
      expect(row.d).toBe('2027-01-15');
    });
  });

  describe('the provider’s part of a review', () => {
    const PART = `mutation($id: ID!, $input: ProviderReviewPartInput!) { recordProviderReviewPart(reviewId: $id, input: $input) {
      id dueDate providerPart { progressSummary attendanceComment view recommendation recordedAt } } }`;
    const REVIEWS = `query($id: ID!) { placement(id: $id) { reviews { id heldOn decision providerPart { progressSummary attendanceComment view recommendation } } } }`;

    it('the provider records its account and view on the due review; the school and the LA see it there; given again, only the fields given change', async () => {
      const { createPlacement: p } = await ok(school, CREATE, { input: input(approved, { timetable: TWO_DAYS, plannedEndDate: '2027-02-26', firstReviewDate: '2027-01-15' }) });
      const reviewId = (await ok(school, `query($id: ID!) { placement(id: $id) { reviews { id } } }`, { id: p.id })).placement.reviews[0].id;
      const me = principal('PROVIDER_USER', `provider:${approved}`);
      const first = await call(me, PART, { id: reviewId, input: { progressSummary: ' Reading age up 8 months; Entry Level 3 maths ', attendanceComment: '92% since September', recommendation: 'REINTEGRATE' } });
      expect(first.errors).toBeUndefined();
      expect(first.data.recordProviderReviewPart.providerPart).toMatchObject({
        progressSummary: 'Reading age up 8 months; Entry Level 3 maths', attendanceComment: '92% since September', view: null, recommendation: 'REINTEGRATE',
      });
      await ok(me, PART, { id: reviewId, input: { view: 'Ready for a phased return, two days a week first' } });
      for (const who of [school, laOfficer, me]) {
        expect((await ok(who, REVIEWS, { id: p.id })).placement.reviews[0]).toEqual({
          id: reviewId, heldOn: null, decision: null,
          providerPart: { progressSummary: 'Reading age up 8 months; Entry Level 3 maths', attendanceComment: '92% since September', view: 'Ready for a phased return, two days a week first', recommendation: 'REINTEGRATE' },
        });
      }
      const history = (await ok(school, `query($id: ID!) { placement(id: $id) { history { action byRole detail } } }`, { id: p.id })).placement.history;
      expect(history.filter((h: { action: string }) => h.action === 'PROVIDER_REVIEW_PART_RECORDED')).toHaveLength(2);
    });

    it('is refused to another provider, the school and the LA, and for bad input; nothing written', async () => {
      const { createPlacement: p } = await ok(school, CREATE, { input: input(approved, { timetable: TWO_DAYS, plannedEndDate: '2027-02-26', firstReviewDate: '2027-01-15' }) });
      const reviewId = (await ok(school, `query($id: ID!) { placement(id: $id) { reviews { id } } }`, { id: p.id })).placement.reviews[0].id;
      expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${randomUUID()}`), PART, { id: reviewId, input: { view: 'x' } }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${approved}`), PART, { id: randomUUID(), input: { view: 'x' } }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await call(school, PART, { id: reviewId, input: { view: 'x' } }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(laOfficer, PART, { id: reviewId, input: { view: 'x' } }))).toEqual(['FORBIDDEN']);
      const me = principal('PROVIDER_USER', `provider:${approved}`);
      const empty = await call(me, PART, { id: reviewId, input: {} });
      expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
      expect(empty.errors?.[0].extensions?.field).toBe('input');
      const long = await call(me, PART, { id: reviewId, input: { progressSummary: 'x'.repeat(4001) } });
      expect(long.errors?.[0].extensions?.field).toBe('input.progressSummary');
      const [row] = await service.dataSource.query(`SELECT provider_recorded_at FROM placement_review WHERE id = $1`, [reviewId]);
      expect(row.provider_recorded_at).toBeNull();
    });
  });

  describe('updatePlacementPlan', () => {
    const UPDATE = `mutation($id: ID!, $input: UpdatePlacementPlanInput!) { updatePlacementPlan(id: $id, input: $input) { ${FIELDS} } }`;
    it('changes a planned placement’s plan, checks it again as a whole, and moves the first review with the start', async () => {
      const { createPlacement } = await ok(school, CREATE, { input: input(approved) });
      const partTime = await call(school, UPDATE, { id: createPlacement.id, input: { timetable: TWO_DAYS } });
      expect(errorCodes(partTime)).toEqual(['BAD_USER_INPUT']);
      expect(partTime.errors?.[0].extensions?.field).toBe('plannedEndDate');

      const { updatePlacementPlan: p } = await ok(school, UPDATE, {
        id: createPlacement.id,
        input: { timetable: TWO_DAYS, plannedStartDate: '2026-12-07', plannedEndDate: '2027-02-12', firstReviewDate: '2027-01-11', costPerDay: 80 },
      });
      expect(p).toMatchObject({ plannedStartDate: '2026-12-07', plannedEndDate: '2027-02-12', costPerDay: 80, timetable: { fullTime: false, hoursPerWeek: 12 } });
      expect(p.reviews).toEqual([{ dueDate: '2027-01-11', heldOn: null, decision: null, overdue: false }]);
      expect(p.history.map((h: { action: string }) => h.action)).toEqual(['CREATED', 'PLAN_UPDATED']);

      const moved = await ok(laOfficer, UPDATE, { id: createPlacement.id, input: { timetable: FULL_WEEK, plannedEndDate: null, plannedStartDate: '2026-11-30' } });
      expect(moved.updatePlacementPlan.reviews[0].dueDate).toBe('2027-01-26');
      expect(moved.updatePlacementPlan.timetable.fullTime).toBe(true);
    });

    it('is refused to the provider and another school, and for a started placement', async () => {
      const { createPlacement } = await ok(school, CREATE, { input: input(approved) });
      expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${approved}`), UPDATE, { id: createPlacement.id, input: { costPerDay: 1 } }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(otherSchool, UPDATE, { id: createPlacement.id, input: { costPerDay: 1 } }))).toEqual(['NOT_FOUND']);
      await ok(principal('PROVIDER_USER', `provider:${approved}`), START, { id: createPlacement.id, startDate: '2026-11-30' });
      expect(errorCodes(await call(school, UPDATE, { id: createPlacement.id, input: { costPerDay: 1 } }))).toEqual(['CONFLICT']);
    });

    it('makes a pupil’s second part-time placement full-time only if it has no other full-time one (CONFLICT)', async () => {
      const pupilId = randomUUID();
      const partTime = { timetable: TWO_DAYS, plannedEndDate: '2027-02-12', firstReviewDate: '2027-01-11' };
      await ok(school, CREATE, { input: { ...input(approved), pupilId } });
      const { createPlacement } = await ok(school, CREATE, { input: { ...input(approved, partTime), pupilId } });
      expect(errorCodes(await call(school, UPDATE, { id: createPlacement.id, input: { timetable: FULL_WEEK } }))).toEqual(['CONFLICT']);
    });
  });

  describe('an Idempotency-Key on createPlacement', () => {
    it('returns the first placement for a retry and refuses the key with other input', async () => {
      const key = randomUUID();
      const body = input(approved);
      const send = async (variables: Record<string, unknown>) =>
        graphql(service.graphqlUrl, CREATE, variables, { token: await internalToken('placement', school), headers: { 'idempotency-key': key } });
      const first = await send({ input: body });
      const again = await send({ input: body });
      expect(again.data.createPlacement.id).toBe(first.data.createPlacement.id);
      expect(Number((await service.dataSource.query(`SELECT count(*) AS n FROM placement WHERE pupil_id = $1`, [body.pupilId]))[0].n)).toBe(1);
      expect(errorCodes(await send({ input: { ...body, costPerDay: 1 } }))).toEqual(['CONFLICT']);
    });
  });

  describe('start, reviews and end', () => {
    let placementId: string;
    const prov = () => principal('PROVIDER_USER', `provider:${approved}`);

    beforeAll(async () => {
      const { createPlacement } = await ok(school, CREATE, { input: input(approved, { plannedStartDate: '2026-10-05', firstReviewDate: '2026-11-16' }) });
      placementId = createPlacement.id;
    });

    it('starts on the given date and publishes placement.started with the offer and school', async () => {
      const { startPlacement: p } = await ok(prov(), START, { id: placementId, startDate: '2026-11-02' });
      expect(p).toMatchObject({ status: 'ACTIVE', startDate: '2026-11-02', costToDate: 120 * 18 });
      const [row] = await outbox('placement.started', 'placementId', placementId);
      expect(row.envelope.payload).toMatchObject({ placementId, providerId: approved, schoolUrn: '100001', offerId: null });
      expect(validateEvent(row.envelope)).toEqual({ ok: true });
    });

    it('lists due reviews overdue first, scoped to the caller, in pages', async () => {
      // Another placement of the same school with a later review.
      await ok(school, CREATE, { input: input(approved) });
      const first = await ok(school, DUE, { first: 1 });
      expect(first.reviewsDue.reviews).toEqual([{ dueDate: '2026-11-16', overdue: true, placement: { id: placementId } }]);
      expect(first.reviewsDue.nextCursor).toEqual(expect.any(String));
      const all = await ok(school, DUE, { first: 200 });
      const dates = all.reviewsDue.reviews.map((r: { dueDate: string }) => r.dueDate);
      expect(dates).toEqual([...dates].sort());
      expect(all.reviewsDue.reviews.filter((r: { overdue: boolean }) => r.overdue).map((r: { placement: { id: string } }) => r.placement.id)).toEqual([placementId]);
      const next = await ok(school, DUE, { first: 200, after: first.reviewsDue.nextCursor });
      expect(next.reviewsDue.reviews).toEqual(all.reviewsDue.reviews.slice(1));
      expect((await ok(otherSchool, DUE, {})).reviewsDue.reviews).toEqual([]);
      expect(errorCodes(await call(school, DUE, { after: 'nonsense' }))).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses REINTEGRATE without a plan; with one, keeps the plan, schedules the next review and publishes placement.review_recorded', async () => {
      const refused = await call(school, REVIEW, { id: placementId, input: { heldOn: '2026-11-20', decision: 'REINTEGRATE' } });
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors?.[0].extensions?.field).toBe('reintegrationPlan');

      const plan = { targetDate: '2027-01-11', schoolUrn: '100003', steps: ['Two mornings a week at 100003', 'Full return'] };
      const { recordReview: p } = await ok(school, REVIEW, {
        id: placementId,
        input: { heldOn: '2026-11-20', decision: 'REINTEGRATE', notes: 'Good progress', pupilVoice: 'Wants to go back', reintegrationPlan: plan },
      });
      expect(p.reintegrationPlan).toEqual(plan);
      expect(p.reviews).toEqual([
        { dueDate: '2026-11-16', heldOn: '2026-11-20', decision: 'REINTEGRATE', overdue: false },
        { dueDate: '2027-01-18', heldOn: null, decision: null, overdue: false },
      ]);
      const [row] = await outbox('placement.review_recorded', 'placementId', placementId);
      expect(row.envelope.payload).toMatchObject({ decision: 'REINTEGRATE', heldOn: '2026-11-20', nextReviewDue: '2027-01-18' });
      expect(validateEvent(row.envelope)).toEqual({ ok: true });
    });

    it('is ended by the school, not the provider nor another school; REINTEGRATED_MAINSTREAM publishes placement.ended', async () => {
      const input = { endDate: '2026-11-25', endReason: 'REINTEGRATED_MAINSTREAM', destinationUrn: '100003' };
      expect(errorCodes(await call(prov(), END, { id: placementId, input }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(otherSchool, END, { id: placementId, input }))).toEqual(['NOT_FOUND']);
      const { endPlacement: p } = await ok(school, END, { id: placementId, input });
      expect(p).toMatchObject({ status: 'ENDED', endDate: '2026-11-25', endReason: 'REINTEGRATED_MAINSTREAM', destinationUrn: '100003', costToDate: 120 * 18 });
      expect(p.reviews.filter((r: { heldOn: string | null }) => !r.heldOn)).toEqual([]);
      const [row] = await outbox('placement.ended', 'placementId', placementId);
      expect(row.envelope.payload).toEqual({
        placementId,
        referralId: null,
        pupilId: expect.any(String),
        providerId: approved,
        offerId: null,
        schoolUrn: '100001',
        endedOn: '2026-11-25',
        endReason: 'REINTEGRATED_MAINSTREAM',
        destinationUrn: '100003',
      });
      expect(validateEvent(row.envelope)).toEqual({ ok: true });
      expect(errorCodes(await call(school, END, { id: placementId, input }))).toEqual(['CONFLICT']);
    });

    it('is cancelled by the school’s LA (learnt from school.registered) with a reason, publishing placement.cancelled', async () => {
      const { createPlacement } = await ok(school, CREATE, { input: input(approved) });
      expect(errorCodes(await call(school, CANCEL, { id: createPlacement.id, reason: ' ' }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await call(principal('LA_OFFICER', 'la:344'), CANCEL, { id: createPlacement.id, reason: 'x' }))).toEqual(['NOT_FOUND']);
      const { cancelPlacement: p } = await ok(laOfficer, CANCEL, { id: createPlacement.id, reason: 'Parent chose another setting' });
      expect(p.status).toBe('CANCELLED');
      const [row] = await outbox('placement.cancelled', 'placementId', createPlacement.id);
      expect(row.envelope.payload).toMatchObject({ reason: 'Parent chose another setting', wasActive: false });
      expect(validateEvent(row.envelope)).toEqual({ ok: true });
      expect(errorCodes(await call(school, CANCEL, { id: createPlacement.id, reason: 'again' }))).toEqual(['CONFLICT']);
    });

    it('checks an off-site direction’s notice again when it starts', async () => {
      const { createPlacement } = await ok(school, CREATE, { input: input(approved, { type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-30', noticeGivenOn: '2026-11-25' }) });
      const res = await call(prov(), START, { id: createPlacement.id, startDate: '2026-11-26' });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].message).toContain('the earliest start is 2026-11-27');
    });
  });

  describe('registration as an independent school', () => {
    const startFor = async (providerId: string, extra: Record<string, unknown> = {}) => {
      const { createPlacement } = await ok(school, CREATE, { input: input(providerId, extra) });
      await ok(principal('PROVIDER_USER', `provider:${providerId}`), START, { id: createPlacement.id, startDate: '2026-11-30' });
      return createPlacement.id as string;
    };
    const published = async (providerId: string): Promise<EventEnvelope[]> => (await outbox('provider.registration_required', 'providerId', providerId)).map((r: { envelope: EventEnvelope }) => r.envelope);

    it('the fifth full-time pupil at an unregistered provider raises it (part-time pupils do not count); ending one lowers it', async () => {
      const providerId = await provider();
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(await startFor(providerId));
      await startFor(providerId, { timetable: TWO_DAYS, plannedEndDate: '2027-02-12', firstReviewDate: '2027-01-11' });
      expect(await published(providerId)).toEqual([]);
      ids.push(await startFor(providerId));
      const [raised] = await published(providerId);
      expect(raised.key).toBe(providerId);
      expect(raised.payload).toMatchObject({ providerId, required: true, fullTimePupils: 5, lookedAfterOrEhcpPupils: 0 });
      expect(validateEvent(raised)).toEqual({ ok: true });
      await ok(school, END, { id: ids[0], input: { endDate: '2026-11-30', endReason: 'MOVED_AWAY' } });
      const after = await published(providerId);
      expect(after.map((e) => (e.payload as { required: boolean }).required)).toEqual([true, false]);
    });

    it('the first looked-after full-time pupil raises it; a registered school never', async () => {
      const unregistered = await provider();
      await startFor(unregistered, { pupilLookedAfter: true });
      expect((await published(unregistered)).map((e) => e.payload)).toEqual([expect.objectContaining({ required: true, fullTimePupils: 1, lookedAfterOrEhcpPupils: 1 })]);
      const registered = await provider({ registrationType: 'REGISTERED_INDEPENDENT_SCHOOL' });
      await startFor(registered, { pupilLookedAfter: true });
      expect(await published(registered)).toEqual([]);
    });

    it('flags a long placement at more than 4 sessions a week at a non-school provider', async () => {
      const providerId = await provider();
      const { createPlacement } = await ok(school, CREATE, { input: input(providerId, { plannedEndDate: '2027-07-16' }) });
      expect(createPlacement.flags).toHaveLength(1);
      expect(createPlacement.flags[0]).toMatch(/Non-school AP may be intensive for at most 12 weeks/);
      const short = await ok(school, CREATE, { input: input(providerId, { plannedEndDate: '2027-01-29' }) });
      expect(short.createPlacement.flags).toEqual([]);
    });

    it('flags a part-time timetable with its hours, end and next review, while it is open', async () => {
      const { createPlacement: p } = await ok(school, CREATE, { input: input(approved, { timetable: TWO_DAYS, plannedEndDate: '2027-03-26', firstReviewDate: '2027-01-15' }) });
      expect(p.flags).toEqual([
        'Part-time timetable: 12 hours a week, below the full-time 25; the commissioner keeps the pupil safe and in education for the rest of the week; planned to end 2027-03-26; next review due 2027-01-15.',
      ]);
      const cancelled = await ok(school, CANCEL, { id: p.id, reason: 'Family moved' });
      expect(cancelled.cancelPlacement.flags).toEqual([]);
    });
  });

  describe('the LA’s review interval', () => {
    const SET = `mutation($la: String!, $n: Int!) { setPlacementReviewWeeks(laCode: $la, schoolWeeks: $n) { laCode schoolWeeks } }`;
    const laAdmin = principal('LA_ADMIN', 'la:865');
    afterAll(() => service.dataSource.query(`DELETE FROM la_placement_setting WHERE la_code = '865'`));

    it('schedules the first and next reviews every N school weeks of the LA once its admin sets N', async () => {
      expect((await ok(laAdmin, SET, { la: '865', n: 3 })).setPlacementReviewWeeks).toEqual({ laCode: '865', schoolWeeks: 3 });
      const calendar = sampleLaCalendar();
      const { createPlacement: p } = await ok(school, CREATE, { input: input(approved) });
      expect(p.reviews).toEqual([{ dueDate: calendar.addSchoolDays('2026-11-30', 15), heldOn: null, decision: null, overdue: false }]);
      const reviewed = await ok(school, REVIEW, { id: p.id, input: { heldOn: TODAY, decision: 'CONTINUE' } });
      expect(reviewed.recordReview.reviews.filter((r: { heldOn: string | null }) => r.heldOn === null)).toEqual([
        { dueDate: calendar.addSchoolDays(TODAY, 15), heldOn: null, decision: null, overdue: false },
      ]);
    });

    it('refuses another LA’s admin, an LA officer and a school (FORBIDDEN), and an interval outside 1 to 12 (BAD_USER_INPUT naming schoolWeeks), changing nothing', async () => {
      for (const who of [principal('LA_ADMIN', 'la:344'), laOfficer, school]) expect(errorCodes(await call(who, SET, { la: '865', n: 8 }))).toEqual(['FORBIDDEN']);
      for (const n of [0, 13]) {
        const res = await call(laAdmin, SET, { la: '865', n });
        expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
        expect(res.errors?.[0].extensions?.field).toBe('schoolWeeks');
      }
      expect(await service.dataSource.query(`SELECT review_interval_school_weeks AS n FROM la_placement_setting WHERE la_code = '865'`)).toEqual([{ n: 3 }]);
    });
  });

  describe('who sees a placement', () => {
    let placementId: string;
    beforeAll(async () => {
      placementId = (await ok(school, CREATE, { input: input(approved) })).createPlacement.id;
    });
    it('a QA officer of the provider’s LA sees it (no pupil names live here); one of another LA does not; an analyst is refused', async () => {
      expect((await ok(principal('QA_OFFICER', 'la:865'), PLACEMENT, { id: placementId })).placement).toEqual({ id: placementId, status: 'PLANNED' });
      expect((await ok(principal('QA_OFFICER', 'la:344'), PLACEMENT, { id: placementId })).placement).toBeNull();
      expect(errorCodes(await call(principal('ANALYST', 'la:865'), PLACEMENT, { id: placementId }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(principal('ANALYST', 'la:865'), DUE, {}))).toEqual(['FORBIDDEN']);
    });
  });
});
