import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { EventEnvelope, KafkaEventBus, newEvent, topicFor, validateEvent } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { directoryService } from '../src/server';

jest.setTimeout(60_000);

const officer = principal('LA_OFFICER', 'la:865');
const admin = principal('LA_ADMIN', 'la:865');
const otherLaAdmin = principal('LA_ADMIN', 'la:344');
const school = principal('SCHOOL_USER', 'school:100001');

const FIELDS = 'id name registrationType urn ukprn postcode laCode approvalStatus compliance approvedAt';
const REGISTER = `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { ${FIELDS} } }`;
const APPROVE = `mutation($id: ID!) { approveProvider(id: $id) { id approvalStatus approvedAt } }`;
const PROVIDER = `query($id: ID!) { provider(id: $id) { ${FIELDS} } }`;
const PROVIDERS = `query($s: ApprovalStatus) { providers(approvalStatus: $s) { id approvalStatus } }`;

/** A six-digit URN nobody else in this file uses. */
let urnSerial = 200000 + Math.floor(Math.random() * 500000);
const freshUrn = () => String(urnSerial++);

describe('directory subgraph', () => {
  let service: RunningService;
  let publisher: KafkaEventBus;

  const call = async (who: Principal | null, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('directory', who) });
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await service.dataSource.query(sql, params))[0].n);

  const register = (who: Principal = officer, input: Record<string, unknown> = {}) =>
    call(who, REGISTER, { input: { name: 'Horizons Learning', registrationType: 'UNREGISTERED', postcode: 'SN10 1AA', ...input } });
  const registerId = async (input: Record<string, unknown> = {}, who: Principal = officer) => {
    const res = await register(who, input);
    expect(res.errors).toBeUndefined();
    return res.data.registerProvider.id as string;
  };

  /** Publishes envelopes as the safeguarding service's relay would: on its topic, keyed by aggregate. */
  const publish = (...events: EventEnvelope[]) =>
    publisher.publish(
      topicFor('safeguarding-audit'),
      events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    );
  const auditCompleted = (providerId: string, rating: 'GREEN' | 'AMBER' | 'RED', completedAt: Date) =>
    newEvent({
      type: 'audit.completed',
      producer: 'safeguarding-audit',
      key: providerId,
      payload: {
        auditId: randomUUID(),
        providerId,
        rating,
        compliance: ({ GREEN: 'COMPLIANT', AMBER: 'ACTION_REQUIRED', RED: 'NON_COMPLIANT' } as const)[rating],
        completedAt: completedAt.toISOString(),
      },
    });
  const processed = (eventId: string) => count(`SELECT count(*) AS n FROM processed_events WHERE event_id = $1`, [eventId]);
  const compliance = async (id: string) => (await call(officer, PROVIDER, { id })).data.provider.compliance;

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(directoryService);
    publisher = new KafkaEventBus({ clientId: 'directory-test-publisher' });
  });
  afterAll(async () => {
    await publisher?.close();
    await service?.stop();
  });

  describe('registerProvider', () => {
    it('adds the provider to the caller’s LA as APPLIED and NOT_AUDITED, recording provider.registered', async () => {
      const res = await register(officer, { name: '  Horizons   Learning ', postcode: 'sn10 1aa' });
      expect(res.errors).toBeUndefined();
      const provider = res.data.registerProvider;
      expect(provider).toMatchObject({
        name: 'Horizons Learning',
        registrationType: 'UNREGISTERED',
        urn: null,
        postcode: 'SN10 1AA',
        laCode: '865',
        approvalStatus: 'APPLIED',
        compliance: 'NOT_AUDITED',
        approvedAt: null,
      });
      const rows = await service.dataSource.query(`SELECT topic, key, envelope FROM outbox WHERE type = 'provider.registered' AND key = $1`, [provider.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].topic).toBe(topicFor('directory'));
      // The LA travels with it, so that the audit and outcomes services can scope by the provider's LA.
      expect(rows[0].envelope.payload).toEqual({ providerId: provider.id, name: 'Horizons Learning', registrationType: 'UNREGISTERED', laCode: '865' });
      expect(validateEvent(rows[0].envelope)).toEqual({ ok: true });
    });

    it('refuses a PRU without a URN with BAD_USER_INPUT naming the field, and writes nothing', async () => {
      const providersBefore = await count('SELECT count(*) AS n FROM provider');
      const outboxBefore = await count('SELECT count(*) AS n FROM outbox');
      const res = await register(officer, { registrationType: 'PUPIL_REFERRAL_UNIT' });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('urn');
      expect(res.errors?.[0].message).toMatch(/URN/);
      expect(res.data).toBeNull();
      expect(await count('SELECT count(*) AS n FROM provider')).toBe(providersBefore);
      expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
    });

    it('reports every problem of the form at once', async () => {
      const res = await register(officer, { registrationType: 'FE_COLLEGE', urn: '123456', postcode: 'nowhere' });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      const fields = (res.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field);
      expect(fields).toEqual(['urn', 'ukprn', 'postcode']);
    });

    it('refuses a second provider with the same URN in the same LA as a CONFLICT, writing no event for it', async () => {
      const urn = freshUrn();
      await registerId({ registrationType: 'PUPIL_REFERRAL_UNIT', urn });
      const outboxBefore = await count('SELECT count(*) AS n FROM outbox');
      const res = await register(officer, { name: 'Another name', registrationType: 'AP_ACADEMY', urn });
      expect(errorCodes(res)).toEqual(['CONFLICT']);
      expect(res.errors?.[0].message).toContain(urn);
      expect(await count('SELECT count(*) AS n FROM provider WHERE urn = $1', [urn])).toBe(1);
      expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
    });

    it('lets another LA list a provider with the same URN in its own directory', async () => {
      const urn = freshUrn();
      await registerId({ registrationType: 'PUPIL_REFERRAL_UNIT', urn });
      const res = await register(otherLaAdmin, { registrationType: 'PUPIL_REFERRAL_UNIT', urn });
      expect(res.errors).toBeUndefined();
      expect(res.data.registerProvider).toMatchObject({ urn, laCode: '344' });
    });

    it('is only for LA staff', async () => {
      expect(errorCodes(await register(school))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await register(principal('QA_OFFICER', 'la:865')))).toEqual(['FORBIDDEN']);
    });
  });

  describe('approveProvider', () => {
    let id: string;
    beforeAll(async () => {
      id = await registerId();
    });

    it('is refused to an LA officer (FORBIDDEN) and leaves the provider APPLIED', async () => {
      expect(errorCodes(await call(officer, APPROVE, { id }))).toEqual(['FORBIDDEN']);
      expect((await call(officer, PROVIDER, { id })).data.provider.approvalStatus).toBe('APPLIED');
    });

    it('is NOT_FOUND for the admin of another LA, and for an id that is not a provider', async () => {
      expect(errorCodes(await call(otherLaAdmin, APPROVE, { id }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await call(admin, APPROVE, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await call(admin, APPROVE, { id: 'not-a-uuid' }))).toEqual(['NOT_FOUND']);
      expect((await call(admin, PROVIDER, { id })).data.provider.approvalStatus).toBe('APPLIED');
    });

    it('approves once for the LA admin, recording provider.approved; a second approval is a CONFLICT', async () => {
      const res = await call(admin, APPROVE, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data.approveProvider.approvalStatus).toBe('APPROVED');
      const approvedAt = res.data.approveProvider.approvedAt;
      expect(Math.abs(Date.parse(approvedAt) - Date.now())).toBeLessThan(60_000);

      const again = await call(admin, APPROVE, { id });
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      expect(again.errors?.[0].message).toMatch(/already approved/);

      const rows = await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'provider.approved' AND key = $1`, [id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].envelope.payload).toEqual({ providerId: id, approvedAt });
      expect(validateEvent(rows[0].envelope)).toEqual({ ok: true });
    });
  });

  describe('provider and providers', () => {
    let applied: string;
    let approved: string;
    beforeAll(async () => {
      applied = await registerId({ name: 'Applied Provider' });
      approved = await registerId({ name: 'Approved Provider' });
      expect((await call(admin, APPROVE, { id: approved })).errors).toBeUndefined();
    });

    const ids = async (who: Principal, status?: string) => {
      const res = await call(who, PROVIDERS, status ? { s: status } : {});
      expect(res.errors).toBeUndefined();
      return (res.data.providers as { id: string }[]).map((p) => p.id);
    };

    it.each([
      ['LA_ADMIN', 'la:865'],
      ['LA_OFFICER', 'la:865'],
      ['QA_OFFICER', 'la:865'],
      ['ANALYST', 'la:865'],
    ] as const)('shows %s of the LA its whole directory, applied providers included', async (role, org) => {
      const who = principal(role, org);
      const one = await call(who, PROVIDER, { id: applied });
      expect(one.errors).toBeUndefined();
      expect(one.data.provider).toMatchObject({ id: applied, name: 'Applied Provider', approvalStatus: 'APPLIED', laCode: '865' });
      expect(await ids(who)).toEqual(expect.arrayContaining([applied, approved]));
    });

    it.each([
      ['LA_ADMIN', 'la:344'],
      ['LA_OFFICER', 'la:344'],
      ['ANALYST', 'la:344'],
    ] as const)('shows %s of another LA only this LA’s approved providers, as the local offer would', async (role, org) => {
      const who = principal(role, org);
      expect((await call(who, PROVIDER, { id: applied })).data.provider).toBeNull();
      expect((await call(who, PROVIDER, { id: approved })).data.provider).toMatchObject({ id: approved, approvalStatus: 'APPROVED' });
      const listed = await ids(who);
      expect(listed).not.toContain(applied);
      expect(listed).toContain(approved);
    });

    it('shows a QA officer of another LA none of this LA’s providers, approved or not (it reads its own LA’s)', async () => {
      const qa = principal('QA_OFFICER', 'la:344');
      expect((await call(qa, PROVIDER, { id: applied })).data.provider).toBeNull();
      const other = await call(qa, PROVIDER, { id: approved });
      expect(other.errors).toBeUndefined();
      expect(other.data.provider).toBeNull();
      const listed = await ids(qa);
      expect(listed).not.toContain(applied);
      expect(listed).not.toContain(approved);
    });

    it('shows a school approved providers only (its LA is not yet known from its token)', async () => {
      for (const org of ['school:100001', 'school:100002']) {
        const who = principal('SCHOOL_USER', org);
        expect((await call(who, PROVIDER, { id: approved })).data.provider).toMatchObject({ id: approved, approvalStatus: 'APPROVED' });
        expect((await call(who, PROVIDER, { id: applied })).data.provider).toBeNull();
        const listed = await ids(who);
        expect(listed).toContain(approved);
        expect(listed).not.toContain(applied);
      }
    });

    it('shows a provider user itself only', async () => {
      const own = principal('PROVIDER_USER', `provider:${applied}`);
      expect((await call(own, PROVIDER, { id: applied })).data.provider).toMatchObject({ id: applied });
      expect((await call(own, PROVIDER, { id: approved })).data.provider).toBeNull();
      expect(await ids(own)).toEqual([applied]);
    });

    it('refuses a MIS client (FORBIDDEN): it pushes pupils, it does not read the directory', async () => {
      const mis = principal('MIS_CLIENT', 'school:100001');
      expect(errorCodes(await call(mis, PROVIDER, { id: approved }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(mis, PROVIDERS))).toEqual(['FORBIDDEN']);
    });

    it('is refused without a signed-in user', async () => {
      expect(errorCodes(await call(null, PROVIDERS))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await call(null, PROVIDER, { id: approved }))).toEqual(['UNAUTHENTICATED']);
    });

    it('answers null for an unknown or malformed id', async () => {
      for (const id of [randomUUID(), 'nope']) {
        const res = await call(school, PROVIDER, { id });
        expect(res.errors).toBeUndefined();
        expect(res.data.provider).toBeNull();
      }
    });

    it('filters by approval status', async () => {
      const onlyApproved = (await call(school, PROVIDERS, { s: 'APPROVED' })).data.providers as { id: string; approvalStatus: string }[];
      expect(onlyApproved.map((p) => p.id)).toContain(approved);
      expect(onlyApproved.map((p) => p.id)).not.toContain(applied);
      expect(onlyApproved.every((p) => p.approvalStatus === 'APPROVED')).toBe(true);

      const onlyApplied = (await call(officer, PROVIDERS, { s: 'APPLIED' })).data.providers as { id: string; approvalStatus: string }[];
      expect(onlyApplied.map((p) => p.id)).toContain(applied);
      expect(onlyApplied.map((p) => p.id)).not.toContain(approved);
      expect(onlyApplied.every((p) => p.approvalStatus === 'APPLIED')).toBe(true);

      expect((await call(school, PROVIDERS, { s: 'WITHDRAWN' })).data.providers).toEqual([]);
    });

    it('resolves Provider entities for the gateway', async () => {
      const res = await call(school, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { id name compliance } } }`, {
        r: [{ __typename: 'Provider', id: approved }, { __typename: 'Provider', id: randomUUID() }],
      });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toEqual([{ id: approved, name: 'Approved Provider', compliance: 'NOT_AUDITED' }, null]);
      // An entity reference follows Query.provider's row: another LA's applied provider is not revealed.
      const other = await call(otherLaAdmin, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { id name } } }`, {
        r: [{ __typename: 'Provider', id: applied }],
      });
      expect(other.data._entities).toEqual([null]);
    });
  });

  describe('consuming audit.completed from the safeguarding-audit topic', () => {
    it('sets the provider’s compliance from the audit', async () => {
      const id = await registerId();
      await publish(auditCompleted(id, 'AMBER', new Date()));
      await eventually(async () => expect(await compliance(id)).toBe('ACTION_REQUIRED'));
    });

    it('applies the same envelope delivered twice only once', async () => {
      const id = await registerId();
      const event = auditCompleted(id, 'RED', new Date('2026-01-10T10:00:00Z'));
      await publish(event);
      await eventually(async () => expect(await compliance(id)).toBe('NON_COMPLIANT'));
      // Something changes compliance after the audit was applied (here: it lapses). Applying the
      // same audit again would put NON_COMPLIANT back, so the lapse shows whether it was re-applied.
      await service.dataSource.query(`UPDATE provider SET compliance = 'EXPIRED' WHERE id = $1`, [id]);

      // Same key, so same partition: once the later marker is applied, the duplicate has been seen.
      const marker = auditCompleted(id, 'GREEN', new Date('2025-01-01T10:00:00Z'));
      await publish(event, marker);
      await eventually(async () => expect(await processed(marker.id)).toBe(1));

      expect(await processed(event.id)).toBe(1);
      expect(await compliance(id)).toBe('EXPIRED');
    });

    it('does not let an older audit arriving late overwrite a newer one', async () => {
      const id = await registerId();
      const newer = auditCompleted(id, 'RED', new Date('2026-03-01T09:00:00Z'));
      const older = auditCompleted(id, 'GREEN', new Date('2026-01-01T09:00:00Z'));
      await publish(newer);
      await eventually(async () => expect(await compliance(id)).toBe('NON_COMPLIANT'));
      await publish(older);
      await eventually(async () => expect(await processed(older.id)).toBe(1));
      expect(await compliance(id)).toBe('NON_COMPLIANT');
      const [row] = await service.dataSource.query(`SELECT compliance_as_of FROM provider WHERE id = $1`, [id]);
      expect(row.compliance_as_of.toISOString()).toBe('2026-03-01T09:00:00.000Z');
    });

    it('lets a newer audit replace an older one', async () => {
      const id = await registerId();
      const older = auditCompleted(id, 'RED', new Date('2026-01-01T09:00:00Z'));
      const newer = auditCompleted(id, 'GREEN', new Date('2026-02-01T09:00:00Z'));
      await publish(older, newer);
      await eventually(async () => expect(await processed(newer.id)).toBe(1));
      expect(await compliance(id)).toBe('COMPLIANT');
    });

    it('ignores an audit of a provider it does not list, and carries on with the next event', async () => {
      const stranger = auditCompleted(randomUUID(), 'RED', new Date());
      const id = await registerId();
      await publish(stranger, auditCompleted(id, 'GREEN', new Date()));
      await eventually(async () => expect(await compliance(id)).toBe('COMPLIANT'));
      await eventually(async () => expect(await processed(stranger.id)).toBe(1));
      expect(await count('SELECT count(*) AS n FROM provider WHERE id = $1', [stranger.payload.providerId])).toBe(0);
    });
  });

  describe('consuming provider.registration_required from the placement topic', () => {
    const REGISTRATION = `query($id: ID!) { provider(id: $id) { registrationRequired registrationRequiredReason } }`;
    const registration = async (id: string) => (await call(officer, REGISTRATION, { id })).data.provider;
    /** Publishes as the placement service's relay would: on its topic, keyed by the provider. */
    const publishPlacement = (...events: EventEnvelope[]) =>
      publisher.publish(topicFor('placement'), events.map((e) => ({ key: e.key, value: JSON.stringify(e) })));
    const registrationRequired = (providerId: string, required: boolean, effectiveAt: string, reason = required ? '5 full-time pupils' : 'fewer than 5 full-time pupils') =>
      newEvent({
        type: 'provider.registration_required',
        producer: 'placement',
        key: providerId,
        payload: { providerId, required, fullTimePupils: required ? 5 : 4, lookedAfterOrEhcpPupils: 0, reason, effectiveAt },
      });

    it('is false with no reason until the placement service says otherwise', async () => {
      const id = await registerId();
      expect(await registration(id)).toEqual({ registrationRequired: false, registrationRequiredReason: null });
    });

    it('shows registrationRequired and its reason once the event is consumed', async () => {
      const id = await registerId();
      const event = registrationRequired(id, true, '2026-03-01T09:00:00Z');
      expect(validateEvent(event).ok).toBe(true);
      await publishPlacement(event);
      await eventually(async () => expect(await registration(id)).toEqual({ registrationRequired: true, registrationRequiredReason: '5 full-time pupils' }));
    });

    it('applies the same envelope delivered twice only once', async () => {
      const id = await registerId();
      const event = registrationRequired(id, true, '2026-03-01T09:00:00Z');
      await publishPlacement(event);
      await eventually(async () => expect((await registration(id)).registrationRequired).toBe(true));
      // Changed behind the consumer's back: re-applying the envelope would set it true again.
      await service.dataSource.query(`UPDATE provider SET registration_required = false, registration_required_as_of = NULL WHERE id = $1`, [id]);
      const marker = registrationRequired(randomUUID(), true, '2026-03-01T09:00:00Z');
      // Same key, so same partition: once the later marker is seen, so has the duplicate been.
      const sameKeyMarker = { ...marker, key: id };
      await publishPlacement(event, sameKeyMarker);
      await eventually(async () => expect(await processed(sameKeyMarker.id)).toBe(1));
      expect(await processed(event.id)).toBe(1);
      expect((await registration(id)).registrationRequired).toBe(false);
    });

    it('does not let an older answer arriving late overwrite a newer one', async () => {
      const id = await registerId();
      const newer = registrationRequired(id, true, '2026-03-02T09:00:00Z');
      const older = registrationRequired(id, false, '2026-03-01T09:00:00Z');
      await publishPlacement(newer);
      await eventually(async () => expect((await registration(id)).registrationRequired).toBe(true));
      await publishPlacement(older);
      await eventually(async () => expect(await processed(older.id)).toBe(1));
      expect(await registration(id)).toEqual({ registrationRequired: true, registrationRequiredReason: '5 full-time pupils' });
    });

    it('lets a newer answer (no longer required) replace an older one', async () => {
      const id = await registerId();
      await publishPlacement(registrationRequired(id, true, '2026-03-01T09:00:00Z'), registrationRequired(id, false, '2026-03-05T09:00:00Z'));
      await eventually(async () =>
        expect(await registration(id)).toEqual({ registrationRequired: false, registrationRequiredReason: 'fewer than 5 full-time pupils' }),
      );
    });
  });

  it('publishes its outbox (provider.registered, provider.approved) to Kafka', async () => {
    await eventually(async () =>
      expect(await count(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`)).toBe(0),
    );
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE type IN ('provider.registered', 'provider.approved')`)).toBeGreaterThan(0);
  });
});
