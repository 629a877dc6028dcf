import { randomUUID } from 'node:crypto';
import { directoryPublicOperations } from '@ap/directory';
import { EventEnvelope, KafkaEventBus, newEvent, topicFor } from '@ap/events';
import { clientToken, errorCodes, eventually, graphql, makeUpn } from '@ap/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGateway, RunningGateway } from '../../src';
import { PUBLIC_QUERY_FIELDS } from '../../src/anonymous';
import { ok } from './flow';
import { startStack, Stack } from './stack';

jest.setTimeout(180_000);

// Issue 8's "Done when", through the gateway with real services, PostgreSQL and Kafka.
const LA = '865';
const SCHOOL_POINT = { latitude: 51.3526, longitude: -1.9952 }; // Devizes
const OFFER = { keyStages: ['KS3'], needs: ['SEMH'], deliveryModes: ['ON_SITE'], sessionsOffered: 10, pricePerDay: 110, capacity: 1 };
const SEARCH = `query($f: ProviderSearchFilter) { searchProviders(filter: $f, first: 50) { totalCount edges { distanceKm node { id name } offers { id freePlaces } } } }`;
const LOCAL = `query($la: String!) { localOffer(laCode: $la, first: 50) { edges { node { id name } offers { id freePlaces } } } }`;

describe('the directory through the gateway (issue 8)', () => {
  let stack: Stack;
  let url: string;
  let admin: string;
  let schoolToken: string;
  let publisher: KafkaEventBus;
  const ids: Record<'near' | 'far' | 'applied' | 'wrongNeed', string> = { near: '', far: '', applied: '', wrongNeed: '' };
  const offers: Record<string, string> = {};
  const schoolUrn = String(500000 + Math.floor(Math.random() * 400000));

  const register = async (name: string, latitude: number, longitude: number) =>
    (await ok(url, admin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: { name, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA', location: { latitude, longitude } },
    })).registerProvider.id as string;
  const addOffer = async (providerId: string, over: Record<string, unknown> = {}) =>
    (await ok(url, admin, `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id } }`, { p: providerId, input: { name: 'Day programme', ...OFFER, ...over } })).addOffer.id as string;
  const approve = (id: string) => ok(url, admin, `mutation($id: ID!) { approveProvider(id: $id) { id } }`, { id });
  const search = async (f: Record<string, unknown>) => (await ok(url, schoolToken, SEARCH, { f })).searchProviders;
  const SCHOOL_SEARCH = { keyStage: 'KS3', need: 'SEMH', hasFreePlaces: true, near: { ...SCHOOL_POINT, withinKm: 40 } };

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    admin = await clientToken('LA_ADMIN', `la:${LA}`);
    publisher = new KafkaEventBus({ clientId: 'e2e-directory-publisher' });
    await ok(url, admin, `mutation($input: SchoolInput!) { registerSchool(input: $input) { urn } }`, {
      input: { urn: schoolUrn, name: 'Devizes School', phase: 'SECONDARY', laCode: LA, laName: 'Wiltshire' },
    });
    schoolToken = await clientToken('SCHOOL_USER', `school:${schoolUrn}`);
    // Three providers with offers; two approved. And one approved provider whose offer fits another need.
    ids.far = await register('Far Farm School', 51.48, -1.9);
    ids.near = await register('Near Learning', 51.36, -1.99);
    ids.applied = await register('Applied Academy', 51.34, -2.0);
    ids.wrongNeed = await register('Sensory Centre', 51.35, -1.98);
    offers.far = await addOffer(ids.far);
    offers.near = await addOffer(ids.near);
    offers.applied = await addOffer(ids.applied);
    offers.wrongNeed = await addOffer(ids.wrongNeed, { needs: ['VI'] });
    await approve(ids.near);
    await approve(ids.far);
    await approve(ids.wrongNeed);
  });
  afterAll(async () => {
    await publisher?.close();
    await stack?.stop();
  });

  it('keeps the gateway’s public fields and the access tables’ public rows the same', () => {
    expect([...PUBLIC_QUERY_FIELDS].map((f) => `Query.${f}`).sort()).toEqual([...directoryPublicOperations].sort());
  });

  it('a school of the LA searches by key stage, need, free places and distance: exactly the matching approved offers, nearest first', async () => {
    const result = await search(SCHOOL_SEARCH);
    expect(result.edges.map((e: any) => e.node.id)).toEqual([ids.near, ids.far]);
    expect(result.edges[0].distanceKm).toBeLessThan(result.edges[1].distanceKm);
    expect(result.edges.map((e: any) => e.offers.map((o: any) => o.id))).toEqual([[offers.near], [offers.far]]);
    expect(result.totalCount).toBe(2);
  });

  it('shows the public local offer without a token: approved and compliant only, no contacts; everything else still needs one', async () => {
    const res = await graphql(url, LOCAL, { la: LA });
    expect(res.errors).toBeUndefined();
    const shown = res.data.localOffer.edges.map((e: any) => e.node.id);
    expect(shown).toEqual(expect.arrayContaining([ids.near, ids.far, ids.wrongNeed]));
    expect(shown).not.toContain(ids.applied);
    for (const [query, variables] of [
      [SEARCH, {}],
      [`query($la: String!) { localOffer(laCode: $la) { totalCount } providers { id } }`, { la: LA }],
      [`mutation($id: ID!) { approveProvider(id: $id) { id } }`, { id: ids.applied }],
      [`{ __schema { types { name } } }`, {}],
    ] as const) {
      const refused = await graphql(url, query, variables);
      expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.status).toBe(401);
      expect(refused.data ?? null).toBeNull();
    }
    const contacts = await graphql(url, `query($la: String!) { localOffer(laCode: $la) { edges { node { contacts { phone } } } } }`, { la: LA });
    expect(errorCodes(contacts)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('rate-limits anonymous callers per IP, not signed-in ones', async () => {
    const supergraphSdl = readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'supergraph.graphql'), 'utf8');
    const limited: RunningGateway = await createGateway({
      supergraphSdl,
      port: 0,
      subgraphUrls: Object.fromEntries(Object.values(stack.services).map((s) => [s.name, s.graphqlUrl])),
      anonymousLimits: { points: 2, windowSeconds: 60 },
    });
    try {
      expect((await graphql(limited.url, LOCAL, { la: LA })).errors).toBeUndefined();
      expect((await graphql(limited.url, LOCAL, { la: LA })).errors).toBeUndefined();
      const third = await graphql(limited.url, LOCAL, { la: LA });
      expect(third.status).toBe(429);
      expect(errorCodes(third)).toEqual(['RATE_LIMITED']);
      expect((await graphql(limited.url, LOCAL, { la: LA }, { token: admin })).errors).toBeUndefined();
    } finally {
      await limited.stop();
    }
  });

  it('a started placement lowers freePlaces by one, an ended one gives it back, a redelivered event changes nothing', async () => {
    const placementId = randomUUID();
    const publish = (...events: EventEnvelope[]) => publisher.publish(topicFor('placement'), events.map((e) => ({ key: e.key, value: JSON.stringify(e) })));
    const free = async () => {
      const { provider } = await ok(url, admin, `query($id: ID!) { provider(id: $id) { offers { id freePlaces } } }`, { id: ids.far });
      return provider.offers.find((o: any) => o.id === offers.far).freePlaces as number;
    };
    const started = newEvent({
      type: 'placement.started', producer: 'placement', key: placementId,
      payload: { placementId, referralId: randomUUID(), pupilId: randomUUID(), providerId: ids.far, startedAt: new Date().toISOString(), offerId: offers.far },
    });
    await publish(started, started);
    await eventually(async () => expect(await free()).toBe(0));
    // Full now: the far provider drops out of a search for free places.
    expect((await search(SCHOOL_SEARCH)).edges.map((e: any) => e.node.id)).toEqual([ids.near]);
    const ended = newEvent({
      type: 'placement.ended', producer: 'placement', key: placementId,
      payload: { placementId, pupilId: randomUUID(), providerId: ids.far, offerId: offers.far, endedOn: '2026-03-01', endReason: 'REINTEGRATED_MAINSTREAM' },
    });
    await publish(ended, ended, started);
    await eventually(async () => expect(await free()).toBe(1));
    await new Promise((r) => setTimeout(r, 500));
    expect(await free()).toBe(1);
  });

  it("another LA's staff see this LA's providers only as its local offer shows them: approved and not NON_COMPLIANT or EXPIRED, no contacts or approval history", async () => {
    const withContacts = (await ok(url, admin, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, {
      input: {
        name: 'Contact Centre', registrationType: 'UNREGISTERED', postcode: 'SN10 1AA', location: { latitude: 51.37, longitude: -1.97 },
        contacts: [{ name: 'Jo Bloggs', role: 'Head of centre', email: 'jo@example.org', phone: '07700 900123' }],
      },
    })).registerProvider.id as string;
    const redRated = await register('Red Rated Centre', 51.36, -1.96);
    await Promise.all([addOffer(withContacts), addOffer(redRated)]);
    await approve(withContacts);
    await approve(redRated);
    // The audit service's word: the red-rated provider is NON_COMPLIANT.
    const changed = newEvent({
      type: 'provider.compliance_changed', producer: 'safeguarding-audit', key: redRated,
      payload: { providerId: redRated, compliance: 'NON_COMPLIANT', reason: 'RED safeguarding visit', effectiveAt: new Date().toISOString() },
    });
    await publisher.publish(topicFor('safeguarding-audit'), [{ key: changed.key, value: JSON.stringify(changed) }]);
    const DETAIL = `query($id: ID!) { provider(id: $id) { id compliance contacts { name phone } approvalHistory { to } } }`;
    await eventually(async () => expect((await ok(url, admin, DETAIL, { id: redRated })).provider.compliance).toBe('NON_COMPLIANT'));
    // Its own LA sees both in full.
    const own = (await ok(url, admin, DETAIL, { id: withContacts })).provider;
    expect(own.contacts).toEqual([{ name: 'Jo Bloggs', phone: '07700 900123' }]);
    expect(own.approvalHistory.map((c: any) => c.to)).toEqual(['APPLIED', 'APPROVED']);
    expect((await ok(url, admin, DETAIL, { id: redRated })).provider.id).toBe(redRated);
    const local = (await ok(url, admin, LOCAL, { la: LA })).localOffer.edges.map((e: any) => e.node.id);
    expect(local).toContain(withContacts);
    expect(local).not.toContain(redRated);
    for (const role of ['LA_OFFICER', 'LA_ADMIN', 'ANALYST'] as const) {
      const other = await clientToken(role, 'la:999');
      // The compliant one: public fields only.
      expect((await ok(url, other, DETAIL, { id: withContacts })).provider).toEqual({ id: withContacts, compliance: 'NOT_AUDITED', contacts: [], approvalHistory: [] });
      // The non-compliant and the applied ones: not at all, by id, in the list or in search.
      expect((await ok(url, other, DETAIL, { id: redRated })).provider).toBeNull();
      expect((await ok(url, other, DETAIL, { id: ids.applied })).provider).toBeNull();
      const listed = (await ok(url, other, `{ providers { id } }`)).providers.map((p: any) => p.id);
      expect(listed).toContain(withContacts);
      expect(listed).not.toContain(redRated);
      expect(listed).not.toContain(ids.applied);
      const found = (await ok(url, other, SEARCH, { f: { near: { ...SCHOOL_POINT, withinKm: 40 } } })).searchProviders.edges.map((e: any) => e.node.id);
      expect(found).toContain(withContacts);
      expect(found).not.toContain(redRated);
      expect(found).not.toContain(ids.applied);
    }
  });

  it('a suspended provider vanishes from search and refuses new referrals', async () => {
    await ok(url, admin, `mutation($id: ID!, $r: String!) { suspendProvider(id: $id, reason: $r) { approvalStatus } }`, { id: ids.near, r: 'Safeguarding concern' });
    expect((await search(SCHOOL_SEARCH)).edges.map((e: any) => e.node.id)).not.toContain(ids.near);
    const { registerPupil } = await ok(url, schoolToken, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
      input: { upn: makeUpn(), givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2012-03-14', homeLaCode: LA },
    });
    await eventually(async () => {
      const res = await graphql(url, `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id } }`, {
        input: { pupilId: registerPupil.id, providerId: ids.near, reason: 'RISK_OF_EXCLUSION', parentalConsent: true },
      }, { token: schoolToken });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].message).toMatch(/suspended/);
    });
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, writing nothing', async () => {
    const offersBefore = Number((await stack.services.directory.dataSource.query(`SELECT count(*) AS n FROM offer`))[0].n);
    const add = (input: Record<string, unknown>) =>
      graphql(url, `mutation($p: ID!, $input: OfferInput!) { addOffer(providerId: $p, input: $input) { id } }`, { p: ids.applied, input: { name: 'Bad', ...OFFER, ...input } }, { token: admin });
    const field = (res: any) => (res.errors?.[0].extensions?.problems as { field: string }[] | undefined)?.map((p) => p.field) ?? res.errors?.[0].extensions?.field;
    const negCap = await add({ capacity: -1 });
    expect(errorCodes(negCap)).toEqual(['BAD_USER_INPUT']);
    expect(field(negCap)).toEqual(['capacity']);
    const negPrice = await add({ pricePerDay: -1 });
    expect(field(negPrice)).toEqual(['pricePerDay']);
    const unknownNeed = await add({ needs: ['NOPE'] });
    expect(errorCodes(unknownNeed)).toEqual(['BAD_USER_INPUT']);
    expect(unknownNeed.errors?.[0].message).toMatch(/needs/);
    const postcode = await graphql(url, `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`, { input: { name: 'X', registrationType: 'UNREGISTERED', postcode: 'NOT A CODE' } }, { token: admin });
    expect(field(postcode)).toEqual(['postcode']);
    const lat = await graphql(url, SEARCH, { f: { near: { latitude: 200, longitude: 0, withinKm: 5 } } }, { token: schoolToken });
    expect(field(lat)).toEqual(['filter.near.latitude']);
    const page = await graphql(url, `{ searchProviders(first: 101) { totalCount } }`, {}, { token: schoolToken });
    expect(field(page)).toEqual(['first']);
    expect(Number((await stack.services.directory.dataSource.query(`SELECT count(*) AS n FROM offer`))[0].n)).toBe(offersBefore);
  });
});
