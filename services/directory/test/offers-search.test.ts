import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { EventEnvelope, KafkaEventBus, newEvent, topicFor, validateEvent } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { expireCompliance } from '../src/providers';
import { directoryService } from '../src/server';

jest.setTimeout(120_000);

// A fresh LA per run, so that searches see only this file's providers.
const LA = String(100 + Math.floor(Math.random() * 800));
const OTHER_LA = LA === '999' ? '998' : '999';
const admin = principal('LA_ADMIN', `la:${LA}`);
const otherAdmin = principal('LA_ADMIN', `la:${OTHER_LA}`);
const analyst = principal('ANALYST', `la:${LA}`);

const REGISTER = `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id postcode location { latitude longitude } contacts { name phone } } }`;
const APPROVE = `mutation($id: ID!) { approveProvider(id: $id) { id } }`;
const ADD_OFFER = `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id name capacity placesInUse freePlaces pricePerDay keyStages needs } }`;
const OFFER_FIELDS = 'id placesInUse freePlaces capacity closedAt';
const SEARCH = `query($f: ProviderSearchFilter, $first: Int, $after: String) {
  searchProviders(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor distanceKm node { id name approvalStatus } offers { id name } }
  } }`;
const LOCAL_OFFER = `query($la: String!, $f: LocalOfferFilter) { localOffer(laCode: $la, filter: $f) { totalCount edges { node { id name } offers { id freePlaces } } } }`;

// Devizes and around (Wiltshire): three providers at known distances from the school's point.
const SCHOOL_POINT = { latitude: 51.3526, longitude: -1.9952 };
const offerInput = (over: Record<string, unknown> = {}) => ({
  name: 'Key stage 3 SEMH programme',
  keyStages: ['KS3'],
  needs: ['SEMH'],
  deliveryModes: ['ON_SITE'],
  sessionsOffered: 10,
  pricePerDay: 120,
  capacity: 2,
  ...over,
});

describe('directory: offers, places, search, local offer, lifecycle', () => {
  let service: RunningService;
  let publisher: KafkaEventBus;
  const call = async (who: Principal | null, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('directory', who) });
  const ok = async (who: Principal | null, query: string, variables: Record<string, unknown> = {}) => {
    const res = await call(who, query, variables);
    expect(res.errors).toBeUndefined();
    return res.data;
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await service.dataSource.query(sql, params))[0].n);
  const publish = (producer: 'placement' | 'safeguarding-audit', ...events: EventEnvelope[]) => {
    for (const e of events) expect(validateEvent(e)).toEqual({ ok: true });
    return publisher.publish(topicFor(producer), events.map((e) => ({ key: e.key, value: JSON.stringify(e) })));
  };
  const processed = (eventId: string) => count(`SELECT count(*) AS n FROM processed_events WHERE event_id = $1`, [eventId]);

  const register = async (name: string, location: { latitude: number; longitude: number }, who = admin) =>
    (await ok(who, REGISTER, { input: { name, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA', location, contacts: [{ name: 'Jo Bloggs', role: 'DSL', phone: '07700 900123' }] } }))
      .registerProvider.id as string;
  const addOffer = async (providerId: string, over: Record<string, unknown> = {}, who = admin) => (await ok(who, ADD_OFFER, { p: providerId, input: offerInput(over) })).addOffer;
  const offer = async (id: string) =>
    (await service.dataSource.query(`SELECT places_in_use AS "placesInUse", capacity FROM offer WHERE id = $1`, [id]))[0] as { placesInUse: number; capacity: number };

  let near: string; // approved, ~1 km
  let far: string; // approved, ~15 km
  let applied: string; // not approved, ~2 km
  let nearOffer: string;
  let farOffer: string;

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(directoryService);
    publisher = new KafkaEventBus({ clientId: 'directory-offers-test' });
    near = await register('Near Learning', { latitude: 51.36, longitude: -1.99 });
    far = await register('Far Farm School', { latitude: 51.48, longitude: -1.9 });
    applied = await register('Applied Academy', { latitude: 51.34, longitude: -2.0 });
    nearOffer = (await addOffer(near)).id;
    farOffer = (await addOffer(far, { name: 'Outdoor learning', deliveryModes: ['ON_SITE', 'OUTREACH'] })).id;
    await addOffer(near, { name: 'KS4 vocational', keyStages: ['KS4'], needs: ['ASD'] });
    await addOffer(applied);
    await ok(admin, APPROVE, { id: near });
    await ok(admin, APPROVE, { id: far });
  });
  afterAll(async () => {
    await publisher?.close();
    await service?.stop();
  });

  describe('offers', () => {
    it('computes free places from capacity and places in use', async () => {
      const o = await addOffer(applied, { name: 'Spare', capacity: 5, pricePerDay: 99.5 });
      expect(o).toMatchObject({ capacity: 5, placesInUse: 0, freePlaces: 5, pricePerDay: 99.5, keyStages: ['KS3'], needs: ['SEMH'] });
    });

    it.each([
      ['capacity', { capacity: -1 }],
      ['pricePerDay', { pricePerDay: -5 }],
      ['sessionsOffered', { sessionsOffered: 0 }],
      ['keyStages', { keyStages: [] }],
    ])('refuses a bad %s with BAD_USER_INPUT naming it, and writes nothing', async (field, over) => {
      const before = await count('SELECT count(*) AS n FROM offer');
      const res = await call(admin, ADD_OFFER, { p: near, input: offerInput(over) });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect((res.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual([field]);
      expect(await count('SELECT count(*) AS n FROM offer')).toBe(before);
    });

    it('refuses an unknown need as BAD_USER_INPUT', async () => {
      const res = await call(admin, ADD_OFFER, { p: near, input: offerInput({ needs: ['TIRED'] }) });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].message).toMatch(/needs/);
      expect(res.errors?.[0].extensions?.field).toBe('input.needs[0]');
    });

    it('lets the provider edit its offers while APPLIED, not once approved; another LA learns nothing', async () => {
      const mine = principal('PROVIDER_USER', `provider:${applied}`);
      expect((await ok(mine, ADD_OFFER, { p: applied, input: offerInput({ name: 'Own offer' }) })).addOffer.name).toBe('Own offer');
      const approved = principal('PROVIDER_USER', `provider:${near}`);
      expect(errorCodes(await call(approved, ADD_OFFER, { p: near, input: offerInput() }))).toEqual(['CONFLICT']);
      expect(errorCodes(await call(otherAdmin, ADD_OFFER, { p: near, input: offerInput() }))).toEqual(['NOT_FOUND']);
    });

    it('updates and closes an offer; a closed offer leaves search', async () => {
      const o = await addOffer(near, { name: 'Short lived', keyStages: ['KS1'] });
      const upd = await ok(admin, `mutation($id: ID!, $input: OfferInput!) { updateOffer(id: $id, input: $input) { id capacity } }`, { id: o.id, input: offerInput({ name: 'Short lived', keyStages: ['KS1'], capacity: 9 }) });
      expect(upd.updateOffer.capacity).toBe(9);
      const search = async () => (await ok(admin, SEARCH, { f: { keyStage: 'KS1' } })).searchProviders.edges.flatMap((e: any) => e.offers.map((x: any) => x.id));
      expect(await search()).toContain(o.id);
      const closed = await ok(admin, `mutation($id: ID!) { closeOffer(id: $id) { ${OFFER_FIELDS} } }`, { id: o.id });
      expect(closed.closeOffer.closedAt).not.toBeNull();
      expect(await search()).not.toContain(o.id);
      // offer.changed for each change, in the same transactions: added, changed, closed; a second close publishes nothing.
      await ok(admin, `mutation($id: ID!) { closeOffer(id: $id) { id } }`, { id: o.id });
      const events: { envelope: EventEnvelope }[] = await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'offer.changed' AND key = $1 ORDER BY envelope->'payload'->>'effectiveAt'`, [o.id]);
      for (const { envelope } of events) expect(validateEvent(envelope)).toEqual({ ok: true });
      expect(events.map(({ envelope }) => { const { open, capacity, keyStages, laCode, providerId } = envelope.payload as any; return { open, capacity, keyStages, laCode, providerId }; })).toEqual([
        { open: true, capacity: 2, keyStages: ['KS1'], laCode: LA, providerId: near },
        { open: true, capacity: 9, keyStages: ['KS1'], laCode: LA, providerId: near },
        { open: false, capacity: 9, keyStages: ['KS1'], laCode: LA, providerId: near },
      ]);
    });
  });

  describe('places in use, from the placement service’s events', () => {
    const started = (placementId: string, offerId: string | null) =>
      newEvent({ type: 'placement.started', producer: 'placement', key: placementId, payload: { placementId, referralId: randomUUID(), pupilId: randomUUID(), providerId: near, startedAt: new Date().toISOString(), offerId } });
    const ended = (placementId: string, offerId: string) =>
      newEvent({ type: 'placement.ended', producer: 'placement', key: placementId, payload: { placementId, pupilId: randomUUID(), providerId: near, offerId, endedOn: '2026-03-01', endReason: 'REINTEGRATED_MAINSTREAM' } });
    const cancelled = (placementId: string, offerId: string, wasActive: boolean) =>
      newEvent({ type: 'placement.cancelled', producer: 'placement', key: placementId, payload: { placementId, pupilId: randomUUID(), providerId: near, offerId, reason: 'Family moved', wasActive, cancelledAt: new Date().toISOString() } });

    it('takes a place on start and gives it back on end; a redelivered event changes nothing', async () => {
      const placementId = randomUUID();
      const start = started(placementId, nearOffer);
      await publish('placement', start, start);
      await eventually(async () => expect(await processed(start.id)).toBe(1));
      expect(await offer(nearOffer)).toEqual({ placesInUse: 1, capacity: 2 });
      // The same placement started again (a new event for the same fact) takes no second place.
      const again = started(placementId, nearOffer);
      await publish('placement', again);
      await eventually(async () => expect(await processed(again.id)).toBe(1));
      expect((await offer(nearOffer)).placesInUse).toBe(1);
      const end = ended(placementId, nearOffer);
      await publish('placement', end, end);
      await eventually(async () => expect(await processed(end.id)).toBe(1));
      expect((await offer(nearOffer)).placesInUse).toBe(0);
    });

    it('never shows negative free places, and a cancellation before the start gives nothing back', async () => {
      const p1 = randomUUID();
      const p2 = randomUUID();
      const p3 = randomUUID();
      const events = [started(p1, farOffer), started(p2, farOffer), started(p3, farOffer), cancelled(p3, farOffer, true)];
      await publish('placement', ...events);
      // Keyed by placement, so the events may sit on different partitions: wait for every one.
      await eventually(async () => {
        for (const e of events) expect(await processed(e.id)).toBe(1);
      });
      expect(await offer(farOffer)).toEqual({ placesInUse: 2, capacity: 2 });
      const full = await ok(admin, `query($id: ID!) { provider(id: $id) { offers { id freePlaces placesInUse } } }`, { id: far });
      expect(full.provider.offers.find((o: any) => o.id === farOffer)).toMatchObject({ freePlaces: 0, placesInUse: 2 });
      // Capacity lowered below the places in use: free places stay at 0.
      await ok(admin, `mutation($id: ID!, $input: OfferInput!) { updateOffer(id: $id, input: $input) { id } }`, { id: farOffer, input: offerInput({ name: 'Outdoor learning', deliveryModes: ['ON_SITE', 'OUTREACH'], capacity: 1 }) });
      const after = await ok(admin, `query($id: ID!) { provider(id: $id) { offers { id freePlaces } } }`, { id: far });
      expect(after.provider.offers.find((o: any) => o.id === farOffer).freePlaces).toBe(0);
      const never = cancelled(randomUUID(), farOffer, false);
      await publish('placement', never, ended(p1, farOffer), ended(p2, farOffer));
      await eventually(async () => expect((await offer(farOffer)).placesInUse).toBe(0));
      await ok(admin, `mutation($id: ID!, $input: OfferInput!) { updateOffer(id: $id, input: $input) { id } }`, { id: farOffer, input: offerInput({ name: 'Outdoor learning', deliveryModes: ['ON_SITE', 'OUTREACH'] }) });
    });
  });

  describe('updateProviderProfile', () => {
    const UPDATE = `mutation($id: ID!, $input: ProviderProfileInput!) { updateProviderProfile(id: $id, input: $input) { id postcode address location { latitude } contacts { name } } }`;

    it('changes only what the input names, checking the postcode and location; nothing written on bad input', async () => {
      const bad = await call(admin, UPDATE, { id: applied, input: { postcode: 'NOT A CODE', location: { latitude: 200, longitude: 0 } } });
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
      expect((bad.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field).sort()).toEqual(['location.latitude', 'postcode']);
      const mine = principal('PROVIDER_USER', `provider:${applied}`);
      const res = await ok(mine, UPDATE, { id: applied, input: { postcode: 'sn101aa', address: '2 Market Place, Devizes' } });
      expect(res.updateProviderProfile).toMatchObject({ postcode: 'SN10 1AA', address: '2 Market Place, Devizes', location: { latitude: 51.34 }, contacts: [{ name: 'Jo Bloggs' }] });
      expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${near}`), UPDATE, { id: near, input: { address: 'x' } }))).toEqual(['CONFLICT']);
      expect(errorCodes(await call(otherAdmin, UPDATE, { id: near, input: { address: 'x' } }))).toEqual(['NOT_FOUND']);
    });
  });

  describe('searchProviders', () => {
    it('finds the approved providers whose offers match, nearest first, with their distance', async () => {
      const school = principal('SCHOOL_USER', 'school:100001');
      const res = await ok(school, SEARCH, { f: { keyStage: 'KS3', need: 'SEMH', hasFreePlaces: true, near: { ...SCHOOL_POINT, withinKm: 30 } } });
      const edges = res.searchProviders.edges;
      const mine = edges.filter((e: any) => [near, far, applied].includes(e.node.id));
      expect(mine.map((e: any) => e.node.id)).toEqual([near, far]);
      expect(mine[0].distanceKm).toBeLessThan(mine[1].distanceKm);
      expect(mine[0].distanceKm).toBeCloseTo(0.98, 0);
      expect(mine[0].offers.map((o: any) => o.id)).toEqual([nearOffer]);
    });

    it('narrows by distance, price and text, and pages with cursors', async () => {
      const inLa = async (f: Record<string, unknown>) =>
        (await ok(admin, SEARCH, { f })).searchProviders.edges.map((e: any) => e.node.id).filter((id: string) => [near, far, applied].includes(id));
      expect(await inLa({ near: { ...SCHOOL_POINT, withinKm: 5 } })).toEqual([near, applied].sort((a, b) => (a === near ? -1 : b === near ? 1 : 0)));
      expect(await inLa({ maxPricePerDay: 100 })).toEqual([applied]);
      expect(await inLa({ text: 'farm' })).toEqual([far]);
      expect(await inLa({ approvalStatus: 'APPLIED' })).toEqual([applied]);
      const page1 = (await ok(admin, SEARCH, { f: { near: { ...SCHOOL_POINT, withinKm: 30 } }, first: 1 })).searchProviders;
      expect(page1.edges).toHaveLength(1);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = (await ok(admin, SEARCH, { f: { near: { ...SCHOOL_POINT, withinKm: 30 } }, first: 1, after: page1.pageInfo.endCursor })).searchProviders;
      expect(page2.edges[0].node.id).not.toBe(page1.edges[0].node.id);
      expect(page2.totalCount).toBe(page1.totalCount);
    });

    it.each([
      ['first', { first: 101 }],
      ['filter.near.latitude', { f: { near: { latitude: 200, longitude: 0, withinKm: 5 } } }],
      ['filter.maxPricePerDay', { f: { maxPricePerDay: -1 } }],
      ['after', { after: 'nonsense' }],
    ])('refuses a bad %s with BAD_USER_INPUT naming it', async (field, vars) => {
      const res = await call(admin, SEARCH, vars);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect((res.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field)).toEqual([field]);
    });

    it('shows a QA officer its own LA’s providers, applied ones included, and no other LA’s', async () => {
      const found = async (who: Principal) =>
        (await ok(who, SEARCH, { f: { near: { ...SCHOOL_POINT, withinKm: 30 } }, first: 100 })).searchProviders.edges.map((e: any) => e.node.id);
      expect(await found(principal('QA_OFFICER', `la:${LA}`))).toEqual(expect.arrayContaining([near, far, applied]));
      const otherQa = await found(principal('QA_OFFICER', `la:${OTHER_LA}`));
      expect(otherQa).not.toContain(near);
      expect(otherQa).not.toContain(far);
      // An LA officer of the other LA still sees the approved ones, as their local offer shows them.
      expect(await found(principal('LA_OFFICER', `la:${OTHER_LA}`))).toEqual(expect.arrayContaining([near, far]));
    });

    it('keeps contacts from analysts and other LAs, and the approval history to the provider’s LA', async () => {
      const q = `query($id: ID!) { provider(id: $id) { contacts { name phone } approvalHistory { from to changedBy } } }`;
      const full = await ok(admin, q, { id: near });
      expect(full.provider.contacts).toEqual([{ name: 'Jo Bloggs', phone: '07700 900123' }]);
      expect(full.provider.approvalHistory.map((c: any) => [c.from, c.to])).toEqual([[null, 'APPLIED'], ['APPLIED', 'APPROVED']]);
      expect((await ok(analyst, q, { id: near })).provider).toEqual({ contacts: [], approvalHistory: [] });
      expect((await ok(otherAdmin, q, { id: near })).provider).toEqual({ contacts: [], approvalHistory: [] });
    });
  });

  describe('the public local offer', () => {
    it('answers without a principal, showing only approved providers in good standing', async () => {
      const res = await ok(null, LOCAL_OFFER, { la: LA });
      const ids = res.localOffer.edges.map((e: any) => e.node.id);
      expect(ids).toEqual(expect.arrayContaining([near, far]));
      expect(ids).not.toContain(applied);
      // Only public fields exist on its types: contacts cannot even be asked for.
      const contacts = await call(null, `query($la: String!) { localOffer(laCode: $la) { edges { node { contacts { phone } } } } }`, { la: LA });
      expect(errorCodes(contacts)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      // Everything else still needs a principal.
      expect(errorCodes(await call(null, SEARCH))).toEqual(['UNAUTHENTICATED']);
    });

    it('leaves out a provider once its compliance is NON_COMPLIANT, whichever event says so, the newest winning', async () => {
      const p = await register('Soon Non Compliant', { latitude: 51.35, longitude: -2.0 });
      await addOffer(p);
      await ok(admin, APPROVE, { id: p });
      const listed = async () => (await ok(null, LOCAL_OFFER, { la: LA })).localOffer.edges.some((e: any) => e.node.id === p);
      expect(await listed()).toBe(true);
      const change = (compliance: 'NON_COMPLIANT' | 'COMPLIANT', effectiveAt: string) =>
        newEvent({ type: 'provider.compliance_changed', producer: 'safeguarding-audit', key: p, payload: { providerId: p, compliance, reason: 'audit', effectiveAt } });
      const newer = change('NON_COMPLIANT', '2026-02-01T10:00:00Z');
      const older = change('COMPLIANT', '2026-01-01T10:00:00Z');
      await publish('safeguarding-audit', newer, older);
      await eventually(async () => expect(await processed(older.id)).toBe(1));
      expect(await listed()).toBe(false);
      const { provider } = await ok(admin, `query($id: ID!) { provider(id: $id) { compliance } }`, { id: p });
      expect(provider.compliance).toBe('NON_COMPLIANT');
    });
  });

  describe('lifecycle', () => {
    const LIFE = (op: string) => `mutation($id: ID!, $r: String!) { ${op}(id: $id, reason: $r) { id approvalStatus } }`;

    it('suspends (publishing provider.suspended, leaving search), reinstates, and withdraws', async () => {
      const p = await register('Lifecycle Ltd', { latitude: 51.35, longitude: -1.99 });
      await addOffer(p);
      await ok(admin, APPROVE, { id: p });
      expect((await ok(admin, LIFE('suspendProvider'), { id: p, r: 'Safeguarding concern' })).suspendProvider.approvalStatus).toBe('SUSPENDED');
      const found = async () => (await ok(principal('SCHOOL_USER', 'school:100001'), SEARCH, { f: { text: 'Lifecycle' } })).searchProviders.edges.length;
      expect(await found()).toBe(0);
      expect(errorCodes(await call(admin, LIFE('suspendProvider'), { id: p, r: 'again' }))).toEqual(['CONFLICT']);
      expect(errorCodes(await call(otherAdmin, LIFE('reinstateProvider'), { id: p, r: 'not mine' }))).toEqual(['NOT_FOUND']);
      expect((await ok(admin, LIFE('reinstateProvider'), { id: p, r: 'Concern resolved' })).reinstateProvider.approvalStatus).toBe('APPROVED');
      expect(await found()).toBe(1);
      expect((await ok(admin, LIFE('withdrawProvider'), { id: p, r: 'Closed down' })).withdrawProvider.approvalStatus).toBe('WITHDRAWN');
      const rows = await service.dataSource.query(`SELECT type, envelope FROM outbox WHERE key = $1 AND type LIKE 'provider.%' ORDER BY created_at`, [p]);
      expect(rows.map((r: any) => r.type)).toEqual(['provider.registered', 'provider.approved', 'provider.suspended', 'provider.reinstated', 'provider.withdrawn']);
      for (const r of rows) expect(validateEvent(r.envelope)).toEqual({ ok: true });
      expect(rows[2].envelope.payload).toMatchObject({ providerId: p, laCode: LA, reason: 'Safeguarding concern' });
      expect(errorCodes(await call(admin, LIFE('suspendProvider'), { id: p, r: '  ' }))).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('compliance expiry', () => {
    it('shows EXPIRED 12 months after the last audit; running the job twice changes nothing more', async () => {
      const p = await register('Old Audit', { latitude: 51.35, longitude: -1.99 });
      const audit = newEvent({
        type: 'audit.completed', producer: 'safeguarding-audit', key: p,
        payload: { auditId: randomUUID(), providerId: p, rating: 'GREEN', compliance: 'COMPLIANT', completedAt: '2025-01-10T09:00:00Z' },
      });
      await publish('safeguarding-audit', audit);
      await eventually(async () => expect(await processed(audit.id)).toBe(1));
      const compliance = async () => (await service.dataSource.query(`SELECT compliance, compliance_as_of FROM provider WHERE id = $1`, [p]))[0];
      await expireCompliance(service.dataSource, new Date('2026-01-09T09:00:00Z'));
      expect((await compliance()).compliance).toBe('COMPLIANT');
      await expireCompliance(service.dataSource, new Date('2026-01-11T00:00:00Z'));
      const first = await compliance();
      expect(first.compliance).toBe('EXPIRED');
      expect(new Date(first.compliance_as_of).toISOString()).toBe('2026-01-10T09:00:00.000Z');
      await expireCompliance(service.dataSource, new Date('2026-01-12T00:00:00Z'));
      expect(await compliance()).toEqual(first);
      // The audit service's own EXPIRED, effective at the same moment, agrees and changes nothing.
      const same = newEvent({ type: 'provider.compliance_changed', producer: 'safeguarding-audit', key: p, payload: { providerId: p, compliance: 'EXPIRED', reason: 'expired', effectiveAt: '2026-01-10T09:00:00Z' } });
      await publish('safeguarding-audit', same);
      await eventually(async () => expect(await processed(same.id)).toBe(1));
      expect(await compliance()).toEqual(first);
    });
  });

  describe('schools', () => {
    const REG = `mutation($input: SchoolInput!) { registerSchool(input: $input) { urn name phase laCode localAuthority { code name } } }`;
    const IMPORT = `mutation($input: [SchoolInput!]!) { importSchools(input: $input) { urn laCode } }`;
    const urn = () => String(300000 + Math.floor(Math.random() * 600000));

    it('registers a school of the admin’s LA, publishing school.registered once', async () => {
      const u = urn();
      const res = await ok(admin, REG, { input: { urn: u, name: 'Hillside Academy', phase: 'SECONDARY', laCode: LA, laName: 'Wiltshire' } });
      expect(res.registerSchool).toEqual({ urn: u, name: 'Hillside Academy', phase: 'SECONDARY', laCode: LA, localAuthority: { code: LA, name: 'Wiltshire' } });
      await ok(admin, REG, { input: { urn: u, name: 'Hillside Academy', phase: 'SECONDARY', laCode: LA } });
      const rows = await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'school.registered' AND key = $1`, [u]);
      expect(rows).toHaveLength(1);
      expect(validateEvent(rows[0].envelope)).toEqual({ ok: true });
      expect(errorCodes(await call(admin, REG, { input: { urn: urn(), name: 'Elsewhere', phase: 'PRIMARY', laCode: OTHER_LA } }))).toEqual(['BAD_USER_INPUT']);
    });

    it('imports many by URN, idempotently; a bad row writes nothing', async () => {
      const mis = principal('MIS_CLIENT', 'school:100001');
      const schools = [0, 1, 2].map((i) => ({ urn: urn(), name: `Imported ${i}`, phase: 'PRIMARY', laCode: LA }));
      expect((await ok(mis, IMPORT, { input: schools })).importSchools).toHaveLength(3);
      const events = () => count(`SELECT count(*) AS n FROM outbox WHERE type = 'school.registered' AND key = ANY($1)`, [schools.map((s) => s.urn)]);
      expect(await events()).toBe(3);
      await ok(mis, IMPORT, { input: schools });
      expect(await events()).toBe(3);
      const before = await count('SELECT count(*) AS n FROM school');
      const bad = await call(mis, IMPORT, { input: [{ urn: urn(), name: 'Good', phase: 'PRIMARY', laCode: LA }, { urn: '12', name: 'Bad', phase: 'PRIMARY', laCode: LA }] });
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
      expect((bad.errors?.[0].extensions?.problems as { field: string }[])[0].field).toBe('input[1].urn');
      expect(await count('SELECT count(*) AS n FROM school')).toBe(before);
    });

    it('shows a registered school only its own LA’s directory', async () => {
      const u = urn();
      await ok(admin, REG, { input: { urn: u, name: 'Local School', phase: 'SECONDARY', laCode: LA } });
      const elsewhere = await register('Across The Border', { latitude: 51.36, longitude: -1.99 }, otherAdmin);
      await addOffer(elsewhere, {}, otherAdmin);
      await ok(otherAdmin, APPROVE, { id: elsewhere });
      const ids = async (who: Principal) => (await ok(who, SEARCH, { f: { near: { ...SCHOOL_POINT, withinKm: 30 } }, first: 100 })).searchProviders.edges.map((e: any) => e.node.id);
      const known = await ids(principal('SCHOOL_USER', `school:${u}`));
      expect(known).toContain(near);
      expect(known).not.toContain(elsewhere);
      // The list too: its LA's approved providers, not every LA's; a school the directory does not know yet still sees any LA's approved ones.
      const listed = async (who: Principal) => (await ok(who, `{ providers { id approvalStatus } }`)).providers;
      const mine = await listed(principal('SCHOOL_USER', `school:${u}`));
      expect(mine.map((p: any) => p.id)).toContain(near);
      expect(mine.map((p: any) => p.id)).not.toContain(elsewhere);
      expect(mine.every((p: any) => p.approvalStatus === 'APPROVED')).toBe(true);
      expect((await listed(principal('SCHOOL_USER', 'school:999998'))).map((p: any) => p.id)).toEqual(expect.arrayContaining([near, elsewhere]));
      // A provider across the border is still found by id (a pupil placed there shows it).
      expect((await ok(principal('SCHOOL_USER', `school:${u}`), `query($id: ID!) { provider(id: $id) { id } }`, { id: elsewhere })).provider).toEqual({ id: elsewhere });
    });
  });
});
