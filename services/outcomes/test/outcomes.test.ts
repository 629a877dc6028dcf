import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { EventEnvelope, KafkaEventBus, newEvent, topicFor } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { outcomesService } from '../src/server';

jest.setTimeout(60_000);

const analyst = principal('ANALYST', 'la:865');
const OUTCOMES = `query($id: ID!) { providerOutcomes(providerId: $id) { providerId placementsStarted provider { id } } }`;

describe('outcomes subgraph', () => {
  let service: RunningService;
  let publisher: KafkaEventBus;

  const call = async (who: Principal | null, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('outcomes', who) });
  const started = async (providerId: string, who: Principal = analyst) => {
    const res = await call(who, OUTCOMES, { id: providerId });
    expect(res.errors).toBeUndefined();
    return res.data.providerOutcomes.placementsStarted as number;
  };
  /** A provider of an LA's directory, as the directory's provider.registered event tells the service. */
  const known = async (laCode = '865', id: string = randomUUID()) => {
    await service.dataSource.query(`INSERT INTO directory_provider (id, la_code) VALUES ($1, $2)`, [id, laCode]);
    return id;
  };
  const processed = async (eventId: string) =>
    Number((await service.dataSource.query(`SELECT count(*) AS n FROM processed_events WHERE event_id = $1`, [eventId]))[0].n);

  /** Publishes envelopes as the placement service's relay would: on its topic, keyed by pupil. */
  const publish = (...events: EventEnvelope[]) =>
    publisher.publish(
      topicFor('placement'),
      events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    );
  const placementStarted = (providerId: string, pupilId = randomUUID()) =>
    newEvent({
      type: 'placement.started',
      producer: 'placement',
      key: pupilId,
      payload: { placementId: randomUUID(), referralId: randomUUID(), pupilId, providerId, startedAt: new Date().toISOString() },
    });

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(outcomesService);
    publisher = new KafkaEventBus({ clientId: 'outcomes-test-publisher' });
  });
  afterAll(async () => {
    await publisher?.close();
    await service?.stop();
  });

  it('answers 0 for a provider of the LA with no placements yet', async () => {
    const providerId = await known();
    const res = await call(analyst, OUTCOMES, { id: providerId });
    expect(res.errors).toBeUndefined();
    expect(res.data.providerOutcomes).toEqual({ providerId, placementsStarted: 0, provider: { id: providerId } });
  });

  it('counts one started placement per distinct placement.started event', async () => {
    const providerId = await known();
    await publish(placementStarted(providerId));
    await eventually(async () => expect(await started(providerId)).toBe(1));
    await publish(placementStarted(providerId), placementStarted(providerId));
    await eventually(async () => expect(await started(providerId)).toBe(3));
  });

  it('counts reintegrations from placement.ended (REINTEGRATED_MAINSTREAM only), once per event', async () => {
    const providerId = await known();
    const ended = (endReason: 'REINTEGRATED_MAINSTREAM' | 'MOVED_AWAY') => {
      const pupilId = randomUUID();
      return newEvent({
        type: 'placement.ended',
        producer: 'placement',
        key: pupilId,
        payload: { placementId: randomUUID(), pupilId, providerId, endedOn: '2026-11-25', endReason, destinationUrn: endReason === 'MOVED_AWAY' ? null : '100003' },
      });
    };
    const reintegrated = ended('REINTEGRATED_MAINSTREAM');
    // Same key, same partition: once the last is processed, the redelivered one was too.
    const movedAway = { ...ended('MOVED_AWAY'), key: reintegrated.key };
    await publish(reintegrated, reintegrated, movedAway);
    await eventually(async () => expect(await processed(movedAway.id)).toBe(1));
    const res = await call(analyst, `query($id: ID!) { providerOutcomes(providerId: $id) { placementsStarted placementsReintegrated } }`, { id: providerId });
    expect(res.data.providerOutcomes).toEqual({ placementsStarted: 0, placementsReintegrated: 1 });
  });

  it('counts each provider separately', async () => {
    const a = await known();
    const b = await known();
    const pupilId = randomUUID();
    await publish(placementStarted(a, pupilId), placementStarted(b, pupilId), placementStarted(a, pupilId));
    await eventually(async () => expect([await started(a), await started(b)]).toEqual([2, 1]));
  });

  it('does not count a duplicate delivery twice', async () => {
    const providerId = await known();
    const pupilId = randomUUID();
    const event = placementStarted(providerId, pupilId);
    await publish(event);
    await eventually(async () => expect(await started(providerId)).toBe(1));

    // The marker shares the key, so the same partition: once it is applied, the duplicate was seen.
    const marker = placementStarted(randomUUID(), pupilId);
    await publish(event, marker);
    await eventually(async () => expect(await processed(marker.id)).toBe(1));
    expect(await processed(event.id)).toBe(1);
    expect(await started(providerId)).toBe(1);
  });

  describe('who may read', () => {
    const providerId = randomUUID();
    const own = principal('PROVIDER_USER', `provider:${providerId}`);

    beforeAll(async () => {
      await known('865', providerId);
      await publish(placementStarted(providerId));
      await eventually(async () => expect(await started(providerId)).toBe(1));
    });

    it('lets a provider user read its own outcomes', async () => {
      expect(await started(providerId, own)).toBe(1);
    });

    it('refuses a provider user another provider’s outcomes (NOT_FOUND)', async () => {
      const res = await call(principal('PROVIDER_USER', `provider:${randomUUID()}`), OUTCOMES, { id: providerId });
      expect(errorCodes(res)).toEqual(['NOT_FOUND']);
      // providerOutcomes is nullable (one subgraph down must not blank the whole answer), so data stays.
      expect(res.data).toEqual({ providerOutcomes: null });
    });

    it.each([
      ['LA_ADMIN', 'la:865'],
      ['LA_OFFICER', 'la:865'],
      ['QA_OFFICER', 'la:865'],
      ['ANALYST', 'la:865'],
    ] as const)('lets %s of the provider’s LA read its outcomes', async (role, org) => {
      expect(await started(providerId, principal(role, org))).toBe(1);
    });

    it.each([
      ['LA_ADMIN', 'la:344'],
      ['LA_OFFICER', 'la:344'],
      ['QA_OFFICER', 'la:999'],
      ['ANALYST', 'la:999'],
    ] as const)('refuses %s of another LA (NOT_FOUND, as for an unknown provider)', async (role, org) => {
      const res = await call(principal(role, org), OUTCOMES, { id: providerId });
      expect(errorCodes(res)).toEqual(['NOT_FOUND']);
      expect(res.data).toEqual({ providerOutcomes: null });
      const unknown = randomUUID();
      const answer = await call(principal(role, org), OUTCOMES, { id: unknown });
      expect(answer.errors?.[0].message.replace(unknown, 'X')).toBe(res.errors?.[0].message.replace(providerId, 'X'));
    });

    it('learns the provider’s LA from the directory’s provider.registered event', async () => {
      const id = randomUUID();
      const registered = newEvent({ type: 'provider.registered', producer: 'directory', key: id, payload: { providerId: id, name: 'Horizons', registrationType: 'UNREGISTERED', laCode: '344' } });
      await publisher.publish(topicFor('directory'), [{ key: id, value: JSON.stringify(registered) }]);
      await eventually(async () => expect(await started(id, principal('ANALYST', 'la:344'))).toBe(0));
      expect(errorCodes(await call(analyst, OUTCOMES, { id }))).toEqual(['NOT_FOUND']);
    });

    it.each([
      ['SCHOOL_USER', 'school:100001'],
      ['MIS_CLIENT', 'school:100001'],
    ] as const)('refuses %s (FORBIDDEN)', async (role, org) => {
      expect(errorCodes(await call(principal(role, org), OUTCOMES, { id: providerId }))).toEqual(['FORBIDDEN']);
    });

    it('refuses a request without a signed-in user', async () => {
      expect(errorCodes(await call(null, OUTCOMES, { id: providerId }))).toEqual(['UNAUTHENTICATED']);
    });
  });

  it('refuses a providerId that is not a provider id with BAD_USER_INPUT naming it', async () => {
    const res = await call(analyst, OUTCOMES, { id: 'provider-42' });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].extensions?.field).toBe('providerId');
  });
});
