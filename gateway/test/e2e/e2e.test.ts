import { KafkaEventBus, topicFor } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, makeUpn, principal } from '@ap/testing';
import { ACCEPT, cast, ok, PUPIL_JOURNEY, referPupil } from './flow';
import { startStack, Stack } from './stack';

jest.setTimeout(60_000);

describe('end to end through the gateway, on real PostgreSQL and Kafka', () => {
  let stack: Stack;
  let url: string;
  let people: Awaited<ReturnType<typeof cast>>;

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    people = await cast();
  });
  afterAll(() => stack?.stop());

  it('carries a referral from school to a started placement, outcomes and compliance, across all five subgraphs', async () => {
    const story = await referPupil(url, people);
    await ok(url, story.providerToken, ACCEPT, { id: story.referralId });

    // placement hears referral.accepted; one query joins referral, placement and directory.
    const journey = await eventually(async () => {
      const data = await ok(url, people.school, PUPIL_JOURNEY, { id: story.pupilId });
      expect(data.pupil.placements).toHaveLength(1);
      return data;
    });
    expect(journey.pupil.referrals).toEqual([{ status: 'ACCEPTED' }]);
    expect(journey.pupil.placements[0]).toMatchObject({ status: 'PLANNED', provider: { name: story.providerName, compliance: 'NOT_AUDITED' } });
    const placementId = journey.pupil.placements[0].id;

    const OUTCOMES = `query($id: ID!) { providerOutcomes(providerId: $id) { placementsStarted } }`;
    expect((await ok(url, people.analyst, OUTCOMES, { id: story.providerId })).providerOutcomes.placementsStarted).toBe(0);
    await ok(url, story.providerToken, `mutation($id: ID!) { startPlacement(id: $id) { status } }`, { id: placementId });
    await eventually(async () => {
      expect((await ok(url, people.analyst, OUTCOMES, { id: story.providerId })).providerOutcomes.placementsStarted).toBe(1);
    });

    await ok(url, people.qa, `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { compliance } }`, {
      input: { providerId: story.providerId, rating: 'RED', summary: 'Single central record incomplete' },
    });
    await eventually(async () => {
      const data = await ok(url, people.school, PUPIL_JOURNEY, { id: story.pupilId });
      expect(data.pupil.placements[0]).toMatchObject({ status: 'ACTIVE', provider: { compliance: 'NON_COMPLIANT' } });
    });
  });

  it('applies a redelivered referral.accepted once: one referral, one placement', async () => {
    const story = await referPupil(url, people);
    await ok(url, story.providerToken, ACCEPT, { id: story.referralId });
    await eventually(async () => {
      expect((await ok(url, people.school, PUPIL_JOURNEY, { id: story.pupilId })).pupil.placements).toHaveLength(1);
    });
    // Deliver the very same envelope again, as Kafka may after a consumer restart.
    const [{ envelope }] = await stack.services.referral.dataSource.query(
      `SELECT envelope FROM outbox WHERE type = 'referral.accepted' AND envelope->'payload'->>'referralId' = $1`,
      [story.referralId],
    );
    const bus = new KafkaEventBus({ clientId: 'e2e-redelivery' });
    try {
      await bus.publish(topicFor('referral'), [{ key: envelope.key, value: JSON.stringify(envelope) }]);
      await eventually(async () => {
        const [{ n }] = await stack.services.placement.dataSource.query(
          `SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1`,
          [envelope.id],
        );
        expect(n).toBe(1);
      });
      // Give a wrongly applied duplicate every chance to show, then count placements.
      await new Promise((r) => setTimeout(r, 500));
      const rows = await stack.services.placement.dataSource.query(`SELECT id FROM placement WHERE referral_id = $1`, [story.referralId]);
      expect(rows).toHaveLength(1);
    } finally {
      await bus.close();
    }
  });

  describe('access', () => {
    it('answers a request without a token with UNAUTHENTICATED', async () => {
      const res = await graphql(url, '{ providers { id } }');
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    });

    it('answers a forged token with UNAUTHENTICATED', async () => {
      const [h, p] = people.school.split('.');
      const res = await graphql(url, '{ providers { id } }', {}, { token: `${h}.${p}.forged` });
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    });

    it('hides one school’s referral and pupil from another school', async () => {
      const story = await referPupil(url, people);
      const q = `query($p: ID!, $r: ID!) { pupil(id: $p) { upn } referral(id: $r) { status } }`;
      const mine = await ok(url, people.school, q, { p: story.pupilId, r: story.referralId });
      expect(mine.referral.status).toBe('SUBMITTED');
      const theirs = await graphql(url, q, { p: story.pupilId, r: story.referralId }, { token: people.otherSchool });
      expect(theirs.errors).toBeUndefined();
      expect(theirs.data).toEqual({ pupil: null, referral: null });
    });

    it('refuses a direct call to a subgraph that bypasses the gateway', async () => {
      for (const service of Object.values(stack.services)) {
        const res = await graphql(service.graphqlUrl, '{ _service { sdl } }');
        expect(res.status).toBe(401);
        expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
      }
      // Even a valid client token is not an internal token.
      const res = await graphql(stack.services.referral.graphqlUrl, '{ _service { sdl } }', {}, { token: people.laAdmin });
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
      // And an internal token opens only the subgraph it was minted for.
      const forPlacement = await internalToken('placement', principal('LA_ADMIN', 'la:865'));
      expect(errorCodes(await graphql(stack.services.referral.graphqlUrl, '{ _service { sdl } }', {}, { token: forPlacement }))).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a bad UPN with BAD_USER_INPUT and writes nothing', async () => {
      const count = async () => (await stack.services.referral.dataSource.query('SELECT count(*)::int AS n FROM pupil'))[0].n;
      const before = await count();
      const good = makeUpn();
      const res = await graphql(url, `mutation($input: RegisterPupilInput!) { registerPupil(input: $input) { id } }`, {
        input: { upn: `${good.slice(0, 12)}I`, givenName: 'Ann', familyName: 'Lee', dateOfBirth: '2012-05-01' },
      }, { token: people.school });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].message).toMatch(/UPN/);
      expect(await count()).toBe(before);
    });

    it('lets no analyst read a pupil', async () => {
      const story = await referPupil(url, people);
      const res = await graphql(url, `query($id: ID!) { pupil(id: $id) { upn } }`, { id: story.pupilId }, { token: people.analyst });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.pupil ?? null).toBeNull();
    });
  });
});
