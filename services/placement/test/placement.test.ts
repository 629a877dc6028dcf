import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { EventEnvelope, KafkaEventBus, newEvent, topicFor, validateEvent } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { placementService } from '../src/server';

jest.setTimeout(60_000);

const school = principal('SCHOOL_USER', 'school:100001');
const otherSchool = principal('SCHOOL_USER', 'school:100002');

const PUPIL_PLACEMENTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Pupil { id placements { id status referralId schoolUrn provider { id } pupil { id } } } } }`;
const PLACEMENT = `query($id: ID!) { placement(id: $id) { id status startedAt } }`;
const START = `mutation($id: ID!) { startPlacement(id: $id) { id status startedAt plannedAt } }`;

describe('placement subgraph', () => {
  let service: RunningService;
  let publisher: KafkaEventBus;

  const call = async (who: Principal | null, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('placement', who) });
  const count = async (sql: string, params: unknown[] = []) => Number((await service.dataSource.query(sql, params))[0].n);

  /** Publishes envelopes as the referral service's relay would: on its topic, keyed by pupil. */
  const publish = (...events: EventEnvelope[]) =>
    publisher.publish(
      topicFor('referral'),
      events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    );
  const referralAccepted = (pupilId: string, providerId: string, referralId: string = randomUUID(), schoolUrn = '100001') =>
    newEvent({
      type: 'referral.accepted',
      producer: 'referral',
      key: pupilId,
      payload: { referralId, pupilId, providerId, schoolUrn, reason: 'PERMANENT_EXCLUSION', acceptedAt: new Date().toISOString(), homeLaCode: '865' },
    });
  const placementsOf = async (who: Principal, pupilId: string) => {
    const res = await call(who, PUPIL_PLACEMENTS, { r: [{ __typename: 'Pupil', id: pupilId }] });
    expect(res.errors).toBeUndefined();
    return res.data._entities[0].placements as { id: string; status: string; referralId: string; schoolUrn: string; provider: { id: string } }[];
  };
  const processed = (eventId: string) => count(`SELECT count(*) AS n FROM processed_events WHERE event_id = $1`, [eventId]);

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(placementService);
    publisher = new KafkaEventBus({ clientId: 'placement-test-publisher' });
  });
  afterAll(async () => {
    await publisher?.close();
    await service?.stop();
  });

  describe('a referral.accepted event', () => {
    const pupilId = randomUUID();
    const providerId = randomUUID();
    const provider = principal('PROVIDER_USER', `provider:${providerId}`);
    const event = referralAccepted(pupilId, providerId);
    let placementId: string;

    beforeAll(async () => {
      await publish(event);
      const [placement] = await eventually(async () => {
        const seen = await placementsOf(school, pupilId);
        expect(seen).toHaveLength(1);
        return seen;
      });
      placementId = placement.id;
    });

    it('plans one placement that the commissioning school sees on the Pupil entity', async () => {
      expect(await placementsOf(school, pupilId)).toEqual([
        { id: placementId, status: 'PLANNED', referralId: event.payload.referralId, schoolUrn: '100001', provider: { id: providerId }, pupil: { id: pupilId } },
      ]);
    });

    it('is seen by the LA of the pupil’s home area, and by no other LA', async () => {
      expect((await placementsOf(principal('LA_OFFICER', 'la:865'), pupilId)).map((p) => p.id)).toEqual([placementId]);
      expect(await placementsOf(principal('LA_OFFICER', 'la:344'), pupilId)).toEqual([]);
    });

    it('is seen by the provider but not by another school or another provider', async () => {
      expect((await placementsOf(provider, pupilId)).map((p) => p.id)).toEqual([placementId]);
      expect(await placementsOf(otherSchool, pupilId)).toEqual([]);
      expect(await placementsOf(principal('PROVIDER_USER', `provider:${randomUUID()}`), pupilId)).toEqual([]);
      expect((await call(otherSchool, PLACEMENT, { id: placementId })).data.placement).toBeNull();
      expect((await call(school, PLACEMENT, { id: placementId })).data.placement).toMatchObject({ id: placementId, status: 'PLANNED', startedAt: null });
    });

    it('keeps placements from roles that do not work with them', async () => {
      const res = await call(principal('ANALYST', 'la:865'), PUPIL_PLACEMENTS, { r: [{ __typename: 'Pupil', id: pupilId }] });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    });

    it('records placement.planned in the outbox, valid against its contract', async () => {
      const rows = await service.dataSource.query(`SELECT key, envelope FROM outbox WHERE type = 'placement.planned' AND envelope->'payload'->>'referralId' = $1`, [
        event.payload.referralId,
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0].key).toBe(pupilId);
      expect(rows[0].envelope.payload).toEqual({ placementId, referralId: event.payload.referralId, pupilId, providerId });
      expect(validateEvent(rows[0].envelope)).toEqual({ ok: true });
    });

    it('delivered twice, or re-sent as a new envelope for the same referral, still makes exactly one placement', async () => {
      const resent = referralAccepted(pupilId, providerId, event.payload.referralId);
      // Same key, same partition: once the re-sent envelope is processed, the duplicate was too.
      await publish(event, resent);
      await eventually(async () => expect(await processed(resent.id)).toBe(1));
      expect(await processed(event.id)).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM placement WHERE referral_id = $1`, [event.payload.referralId])).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'placement.planned' AND envelope->'payload'->>'referralId' = $1`, [event.payload.referralId])).toBe(1);
      expect((await placementsOf(school, pupilId)).map((p) => p.id)).toEqual([placementId]);
    });

    describe('startPlacement', () => {
      it('cannot be done by the school (FORBIDDEN by role)', async () => {
        const res = await call(school, START, { id: placementId });
        expect(errorCodes(res)).toEqual(['FORBIDDEN']);
        expect((await call(school, PLACEMENT, { id: placementId })).data.placement.status).toBe('PLANNED');
      });

      it('is NOT_FOUND for another provider, or for an unknown id', async () => {
        const other = principal('PROVIDER_USER', `provider:${randomUUID()}`);
        expect(errorCodes(await call(other, START, { id: placementId }))).toEqual(['NOT_FOUND']);
        expect(errorCodes(await call(provider, START, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
        expect(errorCodes(await call(provider, START, { id: 'not-a-uuid' }))).toEqual(['NOT_FOUND']);
        expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'placement.started'`)).toBe(0);
      });

      it('by the provider makes it ACTIVE and records placement.started; starting again is a CONFLICT', async () => {
        const res = await call(provider, START, { id: placementId });
        expect(res.errors).toBeUndefined();
        const started = res.data.startPlacement;
        expect(started).toMatchObject({ id: placementId, status: 'ACTIVE' });
        expect(Date.parse(started.startedAt)).toBeGreaterThanOrEqual(Date.parse(started.plannedAt));

        const rows = await service.dataSource.query(`SELECT topic, key, envelope FROM outbox WHERE type = 'placement.started'`);
        expect(rows).toHaveLength(1);
        expect(rows[0].topic).toBe(topicFor('placement'));
        expect(rows[0].key).toBe(pupilId);
        expect(rows[0].envelope.payload).toEqual({
          placementId,
          referralId: event.payload.referralId,
          pupilId,
          providerId,
          startedAt: started.startedAt,
          offerId: null,
          schoolUrn: '100001',
          // For outcomes: the placement's type, timetable, cost and whose pupil.
          placementType: 'SCHOOL_COMMISSIONED',
          startDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          fullTime: true,
          sessionsPerWeek: null,
          costPerDay: null,
          homeLaCode: '865',
          commissionerLaCode: null,
        });
        expect(validateEvent(rows[0].envelope)).toEqual({ ok: true });

        const again = await call(provider, START, { id: placementId });
        expect(errorCodes(again)).toEqual(['CONFLICT']);
        expect(again.errors?.[0].message).toMatch(/active/);
        expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'placement.started'`)).toBe(1);
        expect((await placementsOf(school, pupilId))[0].status).toBe('ACTIVE');
      });
    });
  });

  it('plans one open placement per pupil: a second accepted referral is kept in refused_placement, not lost, retried or dead-lettered', async () => {
    const pupilId = randomUUID();
    const first = referralAccepted(pupilId, randomUUID());
    const second = referralAccepted(pupilId, randomUUID());
    // Sent on the same partition (same Kafka key), so it is handled after the refused one.
    const nextPupil = { ...referralAccepted(randomUUID(), randomUUID()), key: pupilId };
    await publish(first, second, nextPupil);
    // The consumer moves on: the event after the refused one is applied.
    await eventually(async () => expect(await processed(nextPupil.id)).toBe(1));
    expect(await count(`SELECT count(*) AS n FROM placement WHERE referral_id = $1`, [nextPupil.payload.referralId])).toBe(1);
    expect(await processed(second.id)).toBe(1);
    const [placement] = await placementsOf(school, pupilId);
    expect((await placementsOf(school, pupilId)).map((p) => p.referralId)).toEqual([first.payload.referralId]);
    expect(await service.dataSource.query(`SELECT referral_id, provider_id, open_placement_id, event_id, reason FROM refused_placement WHERE pupil_id = $1`, [pupilId])).toEqual([
      {
        referral_id: second.payload.referralId,
        provider_id: second.payload.providerId,
        open_placement_id: placement.id,
        event_id: second.id,
        reason: `The pupil already has an open placement (${placement.id}, planned); a pupil has one full-time placement at a time`,
      },
    ]);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'placement.planned' AND envelope->'payload'->>'pupilId' = $1`, [pupilId])).toBe(1);

    // Re-sent as a new envelope, the refused referral is still refused once.
    const resent = referralAccepted(pupilId, second.payload.providerId, second.payload.referralId);
    await publish(resent);
    await eventually(async () => expect(await processed(resent.id)).toBe(1));
    expect(await count(`SELECT count(*) AS n FROM refused_placement WHERE pupil_id = $1`, [pupilId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM placement WHERE pupil_id = $1`, [pupilId])).toBe(1);
  });

  it('holds one open full-time placement per pupil in the database too; part-time ones may combine', async () => {
    const pupilId = randomUUID();
    const row = (status: string, fullTime = true) => [randomUUID(), randomUUID(), pupilId, randomUUID(), '100001', status, fullTime];
    const insert = `INSERT INTO placement (id, referral_id, pupil_id, provider_id, school_urn, status, full_time) VALUES ($1, $2, $3, $4, $5, $6, $7)`;
    await service.dataSource.query(insert, row('ENDED'));
    await service.dataSource.query(insert, row('ACTIVE'));
    await expect(service.dataSource.query(insert, row('PLANNED'))).rejects.toMatchObject({ driverError: { constraint: 'placement_one_full_time_per_pupil' } });
    await service.dataSource.query(insert, row('CANCELLED'));
    await service.dataSource.query(insert, row('ACTIVE', false));
    await service.dataSource.query(insert, row('PLANNED', false));
  });

  it('answers _entities for several pupils, each with only its own placements', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const ea = referralAccepted(a, randomUUID());
    const eb = referralAccepted(b, randomUUID());
    await publish(ea, eb);
    await eventually(async () => expect((await placementsOf(school, b)).length + (await placementsOf(school, a)).length).toBe(2));
    const res = await call(school, PUPIL_PLACEMENTS, {
      r: [{ __typename: 'Pupil', id: a }, { __typename: 'Pupil', id: b }, { __typename: 'Pupil', id: randomUUID() }],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities.map((p: { placements: { referralId: string }[] }) => p.placements.map((x) => x.referralId))).toEqual([
      [ea.payload.referralId],
      [eb.payload.referralId],
      [],
    ]);
  });

  it('refuses _entities without an internal token from the gateway', async () => {
    const res = await graphql(service.graphqlUrl, PUPIL_PLACEMENTS, { r: [{ __typename: 'Pupil', id: randomUUID() }] });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('publishes its outbox to Kafka', async () => {
    await eventually(async () => expect(await count(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`)).toBe(0));
    expect(await count(`SELECT count(*) AS n FROM outbox`)).toBeGreaterThan(0);
  });
});
