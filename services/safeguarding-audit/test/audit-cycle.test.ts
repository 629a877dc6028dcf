import { randomUUID } from 'node:crypto';
import type { Principal } from '@ap/auth';
import { sampleLaCalendar, setClock, today } from '@ap/domain';
import { validateEvent } from '@ap/events';
import { errorCodes, graphql, internalToken, principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { reviewCompliance, safeguardingService, SECTION_175_TEMPLATE_V1_ID } from '../src/server';
import { SECTION_175_TEMPLATE, SECTION_175_TEMPLATE_NAME, standardsOf } from '../src/domain/template';

jest.setTimeout(60_000);

const qa = principal('QA_OFFICER', 'la:865', 'qa-officer-1');
const STANDARDS = standardsOf(SECTION_175_TEMPLATE).map((s) => s.id);
const calendar = sampleLaCalendar();

const AUDIT_FIELDS = `id status period dueDate template { id version sections { standards { id } } } answers { standardId selfRating evidence }
  ratings { standardId rating comment } overallRating rating compliance actions { id standardId status } completedBy completedAt expiresOn`;
const SCHEDULE = `mutation($input: ScheduleAuditInput!) { scheduleAudit(input: $input) { ${AUDIT_FIELDS} } }`;
const SAVE = `mutation($id: ID!, $answers: [AnswerInput!]!) { saveSelfAssessment(auditId: $id, answers: $answers) { ${AUDIT_FIELDS} } }`;
const SUBMIT = `mutation($id: ID!, $answers: [AnswerInput!]!) { submitSelfAssessment(auditId: $id, answers: $answers) { ${AUDIT_FIELDS} } }`;
const RATE = `mutation($id: ID!, $ratings: [StandardRatingInput!]!) { rateAudit(auditId: $id, ratings: $ratings) { ${AUDIT_FIELDS} } }`;
const ADD_ACTION = `mutation($input: AddAuditActionInput!) { addAuditAction(input: $input) { id status dueDate } }`;
const CLOSE_ACTION = `mutation($id: ID!) { closeAuditAction(id: $id) { id status closedBy } }`;
const COMPLETE = `mutation($id: ID!) { completeScheduledAudit(auditId: $id) { ${AUDIT_FIELDS} } }`;
const VISIT = `mutation($input: RecordMonitoringVisitInput!) { recordMonitoringVisit(input: $input) { id type findings { area rating } followUps { action status } } }`;
const PUBLISH = `mutation($input: PublishAuditTemplateInput!) { publishAuditTemplate(input: $input) { id name version sections { id standards { id } } } }`;
const AUDIT = `query($id: ID!) { audit(id: $id) { ${AUDIT_FIELDS} } }`;
const PROVIDER = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { id safeguardingCompliance { compliance effectiveAt lastAuditCompletedAt } } } }`;
const PROVIDER_VISITS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { monitoringVisits { id findings { rating } } } } }`;

describe('the audit cycle', () => {
  let service: RunningService;
  const call = async (who: Principal, query: string, variables: Record<string, unknown> = {}) =>
    graphql(service.graphqlUrl, query, variables, { token: await internalToken('safeguarding-audit', who) });
  const ok = async (who: Principal, query: string, variables: Record<string, unknown> = {}) => {
    const res = await call(who, query, variables);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const known = async (laCode = '865', approved = true, id: string = randomUUID()) => {
    await service.dataSource.query(`INSERT INTO directory_provider (id, la_code, approved, status) VALUES ($1, $2, $3, $4)`, [id, laCode, approved, approved ? 'APPROVED' : 'APPLIED']);
    return id;
  };
  const changes = async (providerId: string) =>
    (await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'provider.compliance_changed' AND key = $1 ORDER BY created_at`, [providerId])).map(
      (r: { envelope: { payload: { compliance: string } } }) => r.envelope,
    );
  const complianceOf = async (providerId: string, who: Principal = qa) => (await ok(who, PROVIDER, { r: [{ __typename: 'Provider', id: providerId }] }))._entities[0].safeguardingCompliance;
  const allAnswers = (ids = STANDARDS) => ids.map((standardId) => ({ standardId, selfRating: 'GREEN', evidence: `Evidence for ${standardId}` }));
  const schedule = async (providerId: string, templateId = SECTION_175_TEMPLATE_V1_ID) =>
    (await ok(qa, SCHEDULE, { input: { providerId, templateId, dueDate: '2099-01-31', period: '2026/27' } })).scheduleAudit;

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(safeguardingService);
  });
  afterAll(async () => {
    setClock(undefined);
    await service?.stop();
  });

  it('ships the Section 175 template as version 1, once', async () => {
    const { auditTemplates } = await ok(qa, `{ auditTemplates { id name version sections { id title standards { id text evidenceAsked } } } }`);
    const seeded = auditTemplates.filter((t: { name: string }) => t.name === SECTION_175_TEMPLATE_NAME);
    expect(seeded).toHaveLength(1);
    expect(seeded[0]).toMatchObject({ id: SECTION_175_TEMPLATE_V1_ID, version: 1 });
    expect(seeded[0].sections.map((s: { title: string }) => s.title)).toEqual(SECTION_175_TEMPLATE.map((s) => s.title));
    // Running the seed again (as a re-run migration would) adds nothing.
    const { SeedSection175Template1732700000001: Seed } = await import('../src/migrations/1732700000001-SeedSection175Template');
    const runner = service.dataSource.createQueryRunner();
    try {
      await new Seed().up(runner);
    } finally {
      await runner.release();
    }
    expect(Number((await service.dataSource.query(`SELECT count(*) AS n FROM audit_template WHERE name = $1`, [SECTION_175_TEMPLATE_NAME]))[0].n)).toBe(1);
  });

  it('runs schedule → self-assessment → rating with an action → completion, and compliance follows, published only on change', async () => {
    const providerId = await known();
    const provider = principal('PROVIDER_USER', `provider:${providerId}`);
    const audit = await schedule(providerId);
    expect(audit).toMatchObject({ status: 'SCHEDULED', period: '2026/27', dueDate: '2099-01-31', template: { id: SECTION_175_TEMPLATE_V1_ID, version: 1 }, answers: [], overallRating: null });

    // A draft moves it to SELF_ASSESSMENT; a submission with two standards missing names both and saves nothing.
    const saved = (await ok(provider, SAVE, { id: audit.id, answers: allAnswers(['LEAD.1']) })).saveSelfAssessment;
    expect(saved).toMatchObject({ status: 'SELF_ASSESSMENT', answers: [{ standardId: 'LEAD.1' }] });
    const missing = await call(provider, SUBMIT, { id: audit.id, answers: allAnswers(STANDARDS.filter((s) => s !== 'SR.2' && s !== 'ONL.1' && s !== 'LEAD.1')) });
    expect(errorCodes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(missing.errors![0].extensions!.problems).toEqual([
      { field: 'answers.SR.2', message: 'Standard SR.2 has no answer' },
      { field: 'answers.ONL.1', message: 'Standard ONL.1 has no answer' },
    ]);
    expect((await ok(qa, AUDIT, { id: audit.id })).audit).toMatchObject({ status: 'SELF_ASSESSMENT', answers: [{ standardId: 'LEAD.1' }] });
    const submitted = (await ok(provider, SUBMIT, { id: audit.id, answers: allAnswers(STANDARDS.filter((s) => s !== 'LEAD.1')) })).submitSelfAssessment;
    expect(submitted.status).toBe('SUBMITTED');
    expect(submitted.answers.map((a: { standardId: string }) => a.standardId)).toEqual(STANDARDS);

    // One standard RED: completion needs its action first, and names what is missing.
    const rated = (await ok(qa, RATE, { id: audit.id, ratings: STANDARDS.map((standardId) => ({ standardId, rating: standardId === 'SR.2' ? 'RED' : 'GREEN', comment: null })) })).rateAudit;
    expect(rated.overallRating).toBe('RED');
    // The provider does not see the officer's ratings before completion.
    expect((await ok(provider, AUDIT, { id: audit.id })).audit).toMatchObject({ ratings: null, overallRating: null, rating: null, compliance: null });
    const early = await call(qa, COMPLETE, { id: audit.id });
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.errors![0].extensions!.problems).toEqual([{ field: 'actions.SR.2', message: 'Standard SR.2 is rated RED: add an action for it first' }]);
    const dueDate = calendar.addSchoolDays(today(), 10);
    const action = (await ok(qa, ADD_ACTION, { input: { auditId: audit.id, standardId: 'SR.2', description: 'Complete the single central record', owner: 'Head of centre', dueDate } })).addAuditAction;
    expect(action).toMatchObject({ status: 'OPEN', dueDate });
    expect(await changes(providerId)).toEqual([]);

    const completed = (await ok(qa, COMPLETE, { id: audit.id })).completeScheduledAudit;
    expect(completed).toMatchObject({ status: 'COMPLETED', overallRating: 'RED', completedBy: 'qa-officer-1' });
    expect(completed.expiresOn).toBe(`${Number(today().slice(0, 4)) + 1}${today().slice(4)}`);
    let events = await changes(providerId);
    expect(events).toHaveLength(1);
    expect(validateEvent(events[0])).toEqual({ ok: true });
    expect(events[0].payload).toMatchObject({ providerId, compliance: 'NON_COMPLIANT', lastAuditCompletedAt: completed.completedAt });
    expect(events[0].payload.reason).toMatch(/RED overall/);
    const [auditCompleted] = await service.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'audit.completed' AND key = $1`, [providerId]);
    expect(auditCompleted.envelope.payload).toMatchObject({ auditId: audit.id, rating: 'RED', compliance: 'NON_COMPLIANT' });
    expect(await complianceOf(providerId)).toMatchObject({ compliance: 'NON_COMPLIANT', lastAuditCompletedAt: completed.completedAt });
    // Now completed, the provider sees its ratings and its action.
    expect((await ok(provider, AUDIT, { id: audit.id })).audit).toMatchObject({ overallRating: 'RED', actions: [{ id: action.id, status: 'OPEN' }] });

    // Re-rating GREEN while the action is open still leaves it open: ACTION_REQUIRED; closing it makes it COMPLIANT.
    await ok(qa, RATE, { id: audit.id, ratings: [{ standardId: 'SR.2', rating: 'GREEN', comment: 'Record complete on revisit' }] });
    expect((await complianceOf(providerId)).compliance).toBe('ACTION_REQUIRED');
    expect((await ok(provider, CLOSE_ACTION, { id: action.id })).closeAuditAction).toMatchObject({ status: 'DONE' });
    expect((await complianceOf(providerId)).compliance).toBe('COMPLIANT');
    // Closing twice changes nothing, and publishes nothing.
    await ok(provider, CLOSE_ACTION, { id: action.id });
    events = await changes(providerId);
    expect(events.map((e: { payload: { compliance: string } }) => e.payload.compliance)).toEqual(['NON_COMPLIANT', 'ACTION_REQUIRED', 'COMPLIANT']);

    // A monitoring visit with a RED safeguarding finding: NON_COMPLIANT.
    await ok(qa, VISIT, {
      input: { providerId, type: 'SAFEGUARDING', visitedOn: today(), findings: [{ area: 'Single central record', rating: 'GREEN' }, { area: 'Supervision at lunch', rating: 'RED', comment: 'Pupils unsupervised' }] },
    });
    expect((await complianceOf(providerId)).compliance).toBe('NON_COMPLIANT');
    const visits = (await ok(provider, PROVIDER_VISITS, { r: [{ __typename: 'Provider', id: providerId }] }))._entities[0].monitoringVisits;
    expect(visits[0].findings.map((f: { rating: string }) => f.rating)).toEqual(['GREEN', 'RED']);
  });

  it('refuses steps out of order with CONFLICT, and callers of another provider or LA with NOT_FOUND', async () => {
    const providerId = await known();
    const audit = await schedule(providerId);
    expect(errorCodes(await call(qa, COMPLETE, { id: audit.id }))).toEqual(['CONFLICT']);
    expect(errorCodes(await call(qa, RATE, { id: audit.id, ratings: [{ standardId: 'LEAD.1', rating: 'GREEN' }] }))).toEqual(['CONFLICT']);
    const stranger = principal('PROVIDER_USER', `provider:${randomUUID()}`);
    expect(errorCodes(await call(stranger, SUBMIT, { id: audit.id, answers: allAnswers() }))).toEqual(['NOT_FOUND']);
    expect((await ok(stranger, AUDIT, { id: audit.id })).audit).toBeNull();
    expect(errorCodes(await call(principal('QA_OFFICER', 'la:999'), SCHEDULE, { input: { providerId, templateId: SECTION_175_TEMPLATE_V1_ID, dueDate: '2099-01-01' } }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${providerId}`), SCHEDULE, { input: { providerId, templateId: SECTION_175_TEMPLATE_V1_ID, dueDate: '2099-01-01' } }))).toEqual(['FORBIDDEN']);
    const bad = await call(qa, SCHEDULE, { input: { providerId: 'p-1', templateId: randomUUID(), dueDate: '2020-02-30' } });
    expect((bad.errors![0].extensions!.problems as { field: string }[]).map((p: { field: string }) => p.field)).toEqual(['providerId', 'dueDate']);
    const unknownTemplate = await call(qa, SCHEDULE, { input: { providerId, templateId: randomUUID(), dueDate: '2099-01-01' } });
    expect(unknownTemplate.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'templateId' });
  });

  it('leaves an audit in progress on the old template version untouched when a new version is published', async () => {
    const providerId = await known();
    const provider = principal('PROVIDER_USER', `provider:${providerId}`);
    const name = `Test template ${randomUUID().slice(0, 8)}`;
    const v1 = (await ok(qa, PUBLISH, { input: { name, sections: [{ id: 'A', title: 'Leadership', standards: [{ id: 'A.1', text: 'A DSL is named' }, { id: 'A.2', text: 'A deputy is named' }] }] } })).publishAuditTemplate;
    const audit = await schedule(providerId, v1.id);
    await ok(provider, SAVE, { id: audit.id, answers: [{ standardId: 'A.1', selfRating: 'AMBER' }] });
    const v2 = (await ok(qa, PUBLISH, { input: { name, sections: [{ id: 'B', title: 'Recruitment', standards: [{ id: 'B.1', text: 'DBS checks are recorded' }] }] } })).publishAuditTemplate;
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const after = (await ok(qa, AUDIT, { id: audit.id })).audit;
    expect(after).toMatchObject({ status: 'SELF_ASSESSMENT', template: { id: v1.id, version: 1, sections: [{ standards: [{ id: 'A.1' }, { id: 'A.2' }] }] }, answers: [{ standardId: 'A.1', selfRating: 'AMBER' }] });
    // It is still answered against version 1: v2's standard is unknown to it, v1's last one completes it.
    expect(errorCodes(await call(provider, SUBMIT, { id: audit.id, answers: [{ standardId: 'B.1', selfRating: 'GREEN' }] }))).toEqual(['BAD_USER_INPUT']);
    expect((await ok(provider, SUBMIT, { id: audit.id, answers: [{ standardId: 'A.2', selfRating: 'GREEN' }] })).submitSelfAssessment.status).toBe('SUBMITTED');
  });

  it('counts an open visit follow-up as an open action until it is closed', async () => {
    const providerId = await known();
    await ok(qa, `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id } }`, { input: { providerId, rating: 'GREEN' } });
    expect((await complianceOf(providerId)).compliance).toBe('COMPLIANT');
    const visit = (await ok(qa, VISIT, {
      input: { providerId, type: 'HEALTH_AND_SAFETY', visitedOn: today(), findings: [{ area: 'Fire doors', rating: 'AMBER' }], followUps: [{ action: 'Fix the fire door closer', dueDate: '2099-01-31' }] },
    })).recordMonitoringVisit;
    expect(visit.followUps).toEqual([{ action: 'Fix the fire door closer', status: 'OPEN' }]);
    expect((await complianceOf(providerId)).compliance).toBe('ACTION_REQUIRED');
    const [{ follow_ups: [{ id: followUpId }] }] = await service.dataSource.query(`SELECT follow_ups FROM monitoring_visit WHERE id = $1`, [visit.id]);
    const CLOSE = `mutation($v: ID!, $f: ID!) { closeFollowUp(visitId: $v, followUpId: $f) { followUps { status } } }`;
    expect(errorCodes(await call(principal('PROVIDER_USER', `provider:${randomUUID()}`), CLOSE, { v: visit.id, f: followUpId }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(qa, CLOSE, { v: visit.id, f: randomUUID() }))).toEqual(['BAD_USER_INPUT']);
    expect((await ok(principal('PROVIDER_USER', `provider:${providerId}`), CLOSE, { v: visit.id, f: followUpId })).closeFollowUp.followUps).toEqual([{ status: 'DONE' }]);
    expect((await complianceOf(providerId)).compliance).toBe('COMPLIANT');
  });

  it('shows a school only compliance (of approved providers), and an analyst only counts by rating', async () => {
    const providerId = await known();
    const hidden = await known('865', false);
    await ok(qa, `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id } }`, { input: { providerId, rating: 'AMBER' } });
    const school = principal('SCHOOL_USER', 'school:100001');
    expect(await complianceOf(providerId, school)).toMatchObject({ compliance: 'ACTION_REQUIRED' });
    expect(await complianceOf(hidden, school)).toBeNull();
    expect(errorCodes(await call(school, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { audits { id } } } }`, { r: [{ __typename: 'Provider', id: providerId }] }))).toEqual(['FORBIDDEN']);
    const analyst = principal('ANALYST', 'la:865');
    const counts = (await ok(analyst, `{ auditRatingCounts { rating count } }`)).auditRatingCounts;
    expect(counts.find((c: { rating: string }) => c.rating === 'AMBER').count).toBeGreaterThanOrEqual(1);
    expect((await ok(principal('ANALYST', 'la:998'), `{ auditRatingCounts { rating count } }`)).auditRatingCounts).toEqual([
      { rating: 'GREEN', count: 0 },
      { rating: 'AMBER', count: 0 },
      { rating: 'RED', count: 0 },
    ]);
    expect(errorCodes(await call(analyst, PROVIDER, { r: [{ __typename: 'Provider', id: providerId }] }))).toEqual(['FORBIDDEN']);
  });

  it('the compliance review makes a provider NON_COMPLIANT once an action is more than 20 school days overdue', async () => {
    const providerId = await known();
    const audit = await schedule(providerId);
    await ok(principal('PROVIDER_USER', `provider:${providerId}`), SUBMIT, { id: audit.id, answers: allAnswers() });
    await ok(qa, RATE, { id: audit.id, ratings: STANDARDS.map((standardId) => ({ standardId, rating: standardId === 'TRN.2' ? 'AMBER' : 'GREEN' })) });
    const dueDate = calendar.addSchoolDays(today(), 5);
    await ok(qa, ADD_ACTION, { input: { auditId: audit.id, standardId: 'TRN.2', description: 'Renew the DSL’s training', owner: 'DSL', dueDate } });
    await ok(qa, COMPLETE, { id: audit.id });
    expect((await complianceOf(providerId)).compliance).toBe('ACTION_REQUIRED');
    try {
      // 20 school days past the due date: still ACTION_REQUIRED; 21: NON_COMPLIANT.
      setClock(`${calendar.addSchoolDays(dueDate, 20)}T12:00:00Z`);
      await reviewCompliance(service.dataSource);
      expect((await complianceOf(providerId)).compliance).toBe('ACTION_REQUIRED');
      setClock(`${calendar.addSchoolDays(dueDate, 21)}T12:00:00Z`);
      await reviewCompliance(service.dataSource);
      const now = await complianceOf(providerId);
      expect(now.compliance).toBe('NON_COMPLIANT');
      expect((await changes(providerId)).at(-1).payload.reason).toMatch(/21 school days overdue/);
    } finally {
      setClock(undefined);
    }
  });

  it('schedules once per Idempotency-Key: a retry answers the same audit and writes nothing', async () => {
    const providerId = await known();
    const key = randomUUID();
    const input = { providerId, templateId: SECTION_175_TEMPLATE_V1_ID, dueDate: '2099-01-31' };
    const send = async (variables: Record<string, unknown>) =>
      graphql(service.graphqlUrl, SCHEDULE, variables, { token: await internalToken('safeguarding-audit', qa), headers: { 'idempotency-key': key } });
    const first = await send({ input });
    const again = await send({ input });
    expect(again.data.scheduleAudit.id).toBe(first.data.scheduleAudit.id);
    expect(Number((await service.dataSource.query(`SELECT count(*) AS n FROM audit WHERE provider_id = $1`, [providerId]))[0].n)).toBe(1);
    expect(errorCodes(await send({ input: { ...input, dueDate: '2099-02-28' } }))).toEqual(['CONFLICT']);
  });

  it('refuses bad input with BAD_USER_INPUT naming every field, and writes nothing', async () => {
    const providerId = await known();
    const audit = await schedule(providerId);
    const provider = principal('PROVIDER_USER', `provider:${providerId}`);
    await ok(provider, SUBMIT, { id: audit.id, answers: allAnswers() });
    const fields = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field);
    const before = Number((await service.dataSource.query(`SELECT count(*) AS n FROM audit_action`))[0].n);
    expect(fields(await call(qa, ADD_ACTION, { input: { auditId: audit.id, standardId: 'SR.1', description: ' ', owner: '', dueDate: '2026-13-01' } }))).toEqual(['description', 'owner', 'dueDate']);
    expect(fields(await call(qa, ADD_ACTION, { input: { auditId: audit.id, standardId: 'NOPE', description: 'x', owner: 'y', dueDate: '2099-01-01' } }))).toEqual(['standardId']);
    expect(Number((await service.dataSource.query(`SELECT count(*) AS n FROM audit_action`))[0].n)).toBe(before);
    expect(fields(await call(qa, VISIT, { input: { providerId, type: 'SAFEGUARDING', visitedOn: '2099-01-01', findings: [] } }))).toEqual(['visitedOn', 'findings']);
    expect(fields(await call(qa, RATE, { id: audit.id, ratings: [{ standardId: 'Z.1', rating: 'RED' }] }))).toEqual(['ratings[0].standardId']);
    expect(fields(await call(qa, PUBLISH, { input: { name: '', sections: [] } }))).toEqual(['name', 'sections']);
    expect(Number((await service.dataSource.query(`SELECT count(*) AS n FROM monitoring_visit WHERE provider_id = $1`, [providerId]))[0].n)).toBe(0);
    expect((await ok(qa, AUDIT, { id: audit.id })).audit.ratings).toEqual([]);
  });

  it('the compliance review expires a provider never audited in 12 months, and one whose audit ran out; twice is the same as once', async () => {
    const never = await known();
    const audited = await known();
    await ok(qa, `mutation($input: CompleteAuditInput!) { completeAudit(input: $input) { id } }`, { input: { providerId: audited, rating: 'GREEN' } });
    await reviewCompliance(service.dataSource);
    expect((await complianceOf(never)).compliance).toBe('NOT_AUDITED');
    expect(await changes(never)).toEqual([]);
    try {
      const later = new Date(Date.now() + 366 * 86_400_000);
      setClock(later);
      await reviewCompliance(service.dataSource);
      await reviewCompliance(service.dataSource);
      for (const id of [never, audited]) {
        const events = await changes(id);
        expect(events.at(-1).payload).toMatchObject({ compliance: 'EXPIRED', effectiveAt: later.toISOString() });
        expect(events.filter((e: { payload: { compliance: string } }) => e.payload.compliance === 'EXPIRED')).toHaveLength(1);
      }
      // The audit itself is EXPIRED now, and still the provider's last audit.
      expect((await service.dataSource.query(`SELECT status FROM audit WHERE provider_id = $1`, [audited]))[0].status).toBe('EXPIRED');
      expect((await complianceOf(audited)).lastAuditCompletedAt).not.toBeNull();
    } finally {
      setClock(undefined);
    }
  });
});
