import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { DeliveredMessage, EventEnvelope, KafkaEventBus, newEvent, Subscription, topicFor, validateEvent } from '@ap/events';
import { errorCodes, eventually, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { safeguardingService } from '../src/server';

jest.setTimeout(60_000);

const qa = principal('QA_OFFICER', 'la:865', 'qa-officer-1');

const COMPLETE = `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id provider { id } rating compliance summary completedBy completedAt } }`;
const AUDIT = `query($id: ID!) { audit(id: $id) { id rating } }`;
const PROVIDER_AUDITS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { id audits { id rating compliance } } } }`;

describe('safeguarding-audit subgraph', () => {
  let service: RunningService;
  let bus: KafkaEventBus;
  let listener: Subscription;
  const heard: DeliveredMessage[] = [];

  const call = async (who: Principal | null, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('safeguarding-audit', who) });
  const count = async (sql: string, params: unknown[] = []) => Number((await service.dataSource.query(sql, params))[0].n);
  /** A provider of this LA's directory, as the directory's provider.registered event tells the service. */
  const known = async (laCode = '865', id: string = randomUUID()) => {
    await service.dataSource.query(`INSERT INTO directory_provider (id, la_code) VALUES ($1, $2)`, [id, laCode]);
    return id;
  };
  const complete = (providerId: string, rating: string, who: Principal = qa, summary?: string) =>
    call(who, COMPLETE, { input: { providerId, rating, summary } });
  const auditsOf = async (who: Principal, ...providerIds: string[]) => {
    const res = await call(who, PROVIDER_AUDITS, { r: providerIds.map((id) => ({ __typename: 'Provider', id })) });
    expect(res.errors).toBeUndefined();
    return res.data._entities.map((p: { audits: { id: string }[] }) => p.audits.map((a) => a.id)) as string[][];
  };

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(safeguardingService);
    // Listens on the topic the directory consumes, to see what actually leaves the service.
    bus = new KafkaEventBus({ clientId: 'safeguarding-audit-test-listener' });
    listener = await bus.subscribe({
      groupId: `${process.env.KAFKA_NAMESPACE}.listener`,
      topics: [topicFor('safeguarding-audit')],
      handle: async (m) => void heard.push(m),
    });
  });
  afterAll(async () => {
    await listener?.stop();
    await bus?.close();
    await service?.stop();
  });

  describe('completeAudit by a QA officer', () => {
    it.each([
      ['GREEN', 'COMPLIANT'],
      ['AMBER', 'ACTION_REQUIRED'],
      ['RED', 'NON_COMPLIANT'],
    ])('records a %s audit as %s, with an audit.completed event that meets its contract', async (rating, compliance) => {
      const providerId = await known();
      const res = await complete(providerId, rating, qa, '  Visit on site; records checked. ');
      expect(res.errors).toBeUndefined();
      const audit = res.data.completeAudit;
      expect(audit).toMatchObject({
        provider: { id: providerId },
        rating,
        compliance,
        summary: 'Visit on site; records checked.',
        completedBy: 'qa-officer-1',
      });
      expect(Math.abs(Date.parse(audit.completedAt) - Date.now())).toBeLessThan(60_000);

      const rows = await service.dataSource.query(`SELECT topic, key, envelope FROM outbox WHERE type = 'audit.completed' AND key = $1`, [providerId]);
      expect(rows).toHaveLength(1);
      expect(rows[0].topic).toBe(topicFor('safeguarding-audit'));
      expect(validateEvent(rows[0].envelope)).toEqual({ ok: true });
      expect(rows[0].envelope).toMatchObject({ type: 'audit.completed', version: 1, producer: 'safeguarding-audit', key: providerId });
      expect(rows[0].envelope.payload).toEqual({ auditId: audit.id, providerId, rating, compliance, completedAt: audit.completedAt });
    });

    it('treats a blank summary as none', async () => {
      const res = await complete(await known(), 'GREEN', qa, '   ');
      expect(res.errors).toBeUndefined();
      expect(res.data.completeAudit.summary).toBeNull();
    });

    it('sends the event to Kafka on the safeguarding-audit topic, keyed by provider', async () => {
      const providerId = await known();
      const auditId = (await complete(providerId, 'AMBER')).data.completeAudit.id;
      const message = await eventually(() => {
        const found = heard.find((m) => m.key === providerId);
        expect(found).toBeDefined();
        return found as DeliveredMessage;
      });
      const envelope = JSON.parse(message.value as string) as EventEnvelope<{ auditId: string }>;
      expect(envelope.type).toBe('audit.completed');
      expect(envelope.payload.auditId).toBe(auditId);
      expect(validateEvent(envelope)).toEqual({ ok: true });
    });
  });

  describe('refusals', () => {
    it.each([
      ['PROVIDER_USER', () => principal('PROVIDER_USER', `provider:${randomUUID()}`)],
      ['LA_OFFICER', () => principal('LA_OFFICER', 'la:865')],
      ['SCHOOL_USER', () => principal('SCHOOL_USER', 'school:100001')],
      ['ANALYST', () => principal('ANALYST', 'la:865')],
    ])('a %s cannot complete an audit (FORBIDDEN), and nothing is written', async (_role, who) => {
      const before = await count('SELECT count(*) AS n FROM audit');
      const outboxBefore = await count('SELECT count(*) AS n FROM outbox');
      expect(errorCodes(await complete(await known(), 'GREEN', who()))).toEqual(['FORBIDDEN']);
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(before);
      expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
    });

    it('lets an LA admin complete an audit too', async () => {
      const res = await complete(await known(), 'RED', principal('LA_ADMIN', 'la:865'));
      expect(res.errors).toBeUndefined();
      expect(res.data.completeAudit.compliance).toBe('NON_COMPLIANT');
    });

    it.each([
      ['a QA officer', () => principal('QA_OFFICER', 'la:999')],
      ['an LA admin', () => principal('LA_ADMIN', 'la:999')],
    ])('refuses %s of another LA with NOT_FOUND (as for an unknown provider), and writes nothing', async (_who, who) => {
      const providerId = await known('865');
      const before = await count('SELECT count(*) AS n FROM audit');
      const outboxBefore = await count('SELECT count(*) AS n FROM outbox');
      const res = await complete(providerId, 'RED', who());
      expect(errorCodes(res)).toEqual(['NOT_FOUND']);
      expect(res.data).toBeNull();
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(before);
      expect(await count('SELECT count(*) AS n FROM audit WHERE provider_id = $1', [providerId])).toBe(0);
      expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
    });

    it('refuses a provider the directory never announced with NOT_FOUND: no orphan audit, and never {"data":null} without errors', async () => {
      const providerId = randomUUID();
      const before = await count('SELECT count(*) AS n FROM audit');
      const outboxBefore = await count('SELECT count(*) AS n FROM outbox');
      const res = await complete(providerId, 'RED');
      expect(res.data).toBeNull();
      expect(errorCodes(res)).toEqual(['NOT_FOUND']);
      expect(res.errors?.[0].message).toMatch(/not found/i);
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(before);
      expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
      // The other LA's refusal and this one are the same answer, so existence is not revealed.
      const otherLaProvider = await known('865');
      const other = await complete(otherLaProvider, 'RED', principal('QA_OFFICER', 'la:999'));
      expect(other.errors?.[0].message.replace(otherLaProvider, 'X')).toBe(res.errors?.[0].message.replace(providerId, 'X'));
    });

    it('learns a provider and its LA from the directory’s provider.registered event', async () => {
      const id = randomUUID();
      const bus = new KafkaEventBus({ clientId: 'safeguarding-test-directory' });
      try {
        const registered = newEvent({ type: 'provider.registered', producer: 'directory', key: id, payload: { providerId: id, name: 'Horizons', registrationType: 'UNREGISTERED', laCode: '865' } });
        await bus.publish(topicFor('directory'), [{ key: id, value: JSON.stringify(registered) }]);
      } finally {
        await bus.close();
      }
      const res = await eventually(async () => {
        const r = await complete(id, 'GREEN');
        expect(r.errors).toBeUndefined();
        return r;
      });
      expect(res.data.completeAudit.provider).toEqual({ id });
      expect(errorCodes(await complete(id, 'GREEN', principal('QA_OFFICER', 'la:999')))).toEqual(['NOT_FOUND']);
    });

    it('refuses a providerId that is not a provider id with BAD_USER_INPUT naming it, and writes nothing', async () => {
      const before = await count('SELECT count(*) AS n FROM audit');
      const outboxBefore = await count('SELECT count(*) AS n FROM outbox');
      const res = await complete('provider-42', 'GREEN');
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('providerId');
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(before);
      expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
    });

    it('refuses an over-long summary with BAD_USER_INPUT naming it', async () => {
      const res = await complete(await known(), 'GREEN', qa, 'x'.repeat(4001));
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('summary');
    });

    it('refuses an unknown rating before it reaches the service', async () => {
      const res = await complete(await known(), 'PURPLE');
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('reading audits', () => {
    const ownId = randomUUID();
    const otherId = randomUUID();
    const otherLaId = randomUUID();
    const own = principal('PROVIDER_USER', `provider:${ownId}`);
    let ownAudits: string[];
    let otherAudit: string;
    let otherLaAudit: string;

    beforeAll(async () => {
      await known('865', ownId);
      await known('865', otherId);
      await known('999', otherLaId);
      otherLaAudit = (await complete(otherLaId, 'RED', principal('QA_OFFICER', 'la:999'))).data.completeAudit.id;
      const first = (await complete(ownId, 'RED')).data.completeAudit.id;
      const second = (await complete(ownId, 'GREEN')).data.completeAudit.id;
      ownAudits = [second, first]; // newest first
      otherAudit = (await complete(otherId, 'AMBER')).data.completeAudit.id;
    });

    it('shows a provider user its own audits on the Provider entity, newest first', async () => {
      expect(await auditsOf(own, ownId)).toEqual([ownAudits]);
    });

    it('shows a provider user nothing of another provider’s audits', async () => {
      expect(await auditsOf(own, otherId)).toEqual([[]]);
      expect((await call(own, AUDIT, { id: otherAudit })).data.audit).toBeNull();
      expect((await call(own, AUDIT, { id: ownAudits[0] })).data.audit).toMatchObject({ id: ownAudits[0], rating: 'GREEN' });
    });

    it('shows QA and LA staff every provider’s audits, in one _entities call', async () => {
      for (const who of [qa, principal('LA_OFFICER', 'la:865')]) {
        expect(await auditsOf(who, ownId, otherId)).toEqual([ownAudits, [otherAudit]]);
        expect((await call(who, AUDIT, { id: otherAudit })).data.audit).toMatchObject({ id: otherAudit, rating: 'AMBER' });
      }
    });

    it('shows QA and LA staff nothing of another LA’s audits, summary included', async () => {
      for (const who of [qa, principal('LA_OFFICER', 'la:865'), principal('LA_ADMIN', 'la:865')]) {
        expect((await call(who, AUDIT, { id: otherLaAudit })).data.audit).toBeNull();
        expect(await auditsOf(who, otherLaId, ownId)).toEqual([[], ownAudits]);
      }
      const theirs = principal('QA_OFFICER', 'la:999');
      expect((await call(theirs, AUDIT, { id: otherLaAudit })).data.audit).toMatchObject({ id: otherLaAudit, rating: 'RED' });
      expect(await auditsOf(theirs, otherLaId, ownId)).toEqual([[otherLaAudit], []]);
    });

    it('keeps audits from schools and analysts', async () => {
      const school = principal('SCHOOL_USER', 'school:100001');
      expect(errorCodes(await call(school, AUDIT, { id: otherAudit }))).toEqual(['FORBIDDEN']);
      const res = await call(principal('ANALYST', 'la:865'), PROVIDER_AUDITS, { r: [{ __typename: 'Provider', id: ownId }] });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    });

    it('answers null for an unknown or malformed audit id', async () => {
      expect((await call(qa, AUDIT, { id: randomUUID() })).data.audit).toBeNull();
      expect((await call(qa, AUDIT, { id: 'nope' })).data.audit).toBeNull();
    });
  });
});
