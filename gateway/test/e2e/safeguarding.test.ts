import { randomUUID } from 'node:crypto';
import { sampleLaCalendar, setClock, today } from '@ap/domain';
import { validateEvent } from '@ap/events';
import { reviewCompliance, SECTION_175_TEMPLATE, SECTION_175_TEMPLATE_V1_ID, standardsOf } from '@ap/safeguarding-audit';
import { clientToken, errorCodes, eventually, graphql } from '@ap/testing';
import { cast, ok } from './flow';
import { startStack, Stack } from './stack';

jest.setTimeout(120_000);

/**
 * Issue 12's "done when", through the gateway: the Section 175 audit cycle, and the provider's
 * compliance following from its audit, actions and monitoring visits.
 */
const STANDARDS = standardsOf(SECTION_175_TEMPLATE).map((s) => s.id);
const REGISTER = `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }`;
const APPROVE = `mutation($id: ID!) { approveProvider(id: $id) { approvalStatus } }`;
const SCHEDULE = `mutation($input: ScheduleAuditInput!) { scheduleAudit(input: $input) { id status template { version } } }`;
const SUBMIT = `mutation($id: ID!, $answers: [AnswerInput!]!) { submitSelfAssessment(auditId: $id, answers: $answers) { id status } }`;
const RATE = `mutation($id: ID!, $ratings: [StandardRatingInput!]!) { rateAudit(auditId: $id, ratings: $ratings) { overallRating } }`;
const ADD_ACTION = `mutation($input: AddAuditActionInput!) { addAuditAction(input: $input) { id status dueDate } }`;
const CLOSE_ACTION = `mutation($id: ID!) { closeAuditAction(id: $id) { status } }`;
const COMPLETE = `mutation($id: ID!) { completeScheduledAudit(auditId: $id) { status overallRating completedAt } }`;
const VISIT = `mutation($input: RecordMonitoringVisitInput!) { recordMonitoringVisit(input: $input) { id } }`;
const PROVIDER = `query($id: ID!) { provider(id: $id) { id compliance safeguardingCompliance { compliance lastAuditCompletedAt } } }`;
const AUDIT = `query($id: ID!) { audit(id: $id) { id status answers { standardId } } }`;

describe('safeguarding audits and compliance, end to end through the gateway', () => {
  let stack: Stack;
  let url: string;
  let people: Awaited<ReturnType<typeof cast>>;

  const outboxChanges = async (providerId: string) =>
    (
      await stack.services['safeguarding-audit'].dataSource.query(
        `SELECT envelope, published_at FROM outbox WHERE type = 'provider.compliance_changed' AND key = $1 ORDER BY created_at`,
        [providerId],
      )
    ).map((r: { envelope: { payload: { compliance: string } }; published_at: Date | null }) => ({ envelope: r.envelope, payload: r.envelope.payload, published: r.published_at !== null }));
  const approvedProvider = async () => {
    const { registerProvider } = await ok(url, people.laAdmin, REGISTER, { input: { name: `Haven ${randomUUID().slice(0, 6)}`, registrationType: 'UNREGISTERED', postcode: 'SN10 1AA' } });
    await ok(url, people.laAdmin, APPROVE, { id: registerProvider.id });
    return registerProvider.id as string;
  };
  /** The derived compliance (this service's field) and, once it has heard, the directory's. */
  const compliance = async (providerId: string) => (await ok(url, people.qa, PROVIDER, { id: providerId })).provider;

  beforeAll(async () => {
    stack = await startStack();
    url = stack.gateway.url;
    people = await cast();
  });
  afterAll(async () => {
    setClock(undefined);
    await stack?.stop();
  });

  it('schedules, self-assesses, rates, acts and visits; compliance follows each step', async () => {
    const providerId = await approvedProvider();
    const providerToken = await people.provider(providerId);
    // The audit service learns the provider (and its LA) from the directory's events, a moment later.
    const audit = (await eventually(() => ok(url, people.qa, SCHEDULE, { input: { providerId, templateId: SECTION_175_TEMPLATE_V1_ID, dueDate: '2099-01-31', period: '2026/27' } }))).scheduleAudit;
    expect(audit).toMatchObject({ status: 'SCHEDULED', template: { version: 1 } });

    // Two standards missing: the error names both, and nothing is saved.
    const partial = STANDARDS.filter((s) => s !== 'SR.2' && s !== 'KCSIE.1').map((standardId) => ({ standardId, selfRating: 'GREEN', evidence: 'On file' }));
    const refused = await graphql(url, SUBMIT, { id: audit.id, answers: partial }, { token: providerToken });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0].extensions!.problems).toEqual([
      { field: 'answers.SR.2', message: 'Standard SR.2 has no answer' },
      { field: 'answers.KCSIE.1', message: 'Standard KCSIE.1 has no answer' },
    ]);
    expect((await ok(url, people.qa, AUDIT, { id: audit.id })).audit).toMatchObject({ status: 'SCHEDULED', answers: [] });
    const all = STANDARDS.map((standardId) => ({ standardId, selfRating: standardId === 'SR.2' ? 'AMBER' : 'GREEN', evidence: 'On file' }));
    expect((await ok(url, providerToken, SUBMIT, { id: audit.id, answers: all })).submitSelfAssessment.status).toBe('SUBMITTED');

    // One standard RED, with an action due in 10 school days on the LA's calendar.
    const rated = await ok(url, people.qa, RATE, { id: audit.id, ratings: STANDARDS.map((standardId) => ({ standardId, rating: standardId === 'SR.2' ? 'RED' : 'GREEN' })) });
    expect(rated.rateAudit.overallRating).toBe('RED');
    const dueDate = sampleLaCalendar().addSchoolDays(today(), 10);
    const action = (await ok(url, people.qa, ADD_ACTION, {
      input: { auditId: audit.id, standardId: 'SR.2', description: 'Bring the single central record up to date', owner: 'Centre manager', dueDate },
    })).addAuditAction;
    expect(action).toMatchObject({ status: 'OPEN', dueDate });
    const completed = (await ok(url, people.qa, COMPLETE, { id: audit.id })).completeScheduledAudit;
    expect(completed).toMatchObject({ status: 'COMPLETED', overallRating: 'RED' });

    // NON_COMPLIANT: derived at once, published once, and in the directory within 2 seconds.
    expect((await compliance(providerId)).safeguardingCompliance).toEqual({ compliance: 'NON_COMPLIANT', lastAuditCompletedAt: completed.completedAt });
    await eventually(async () => expect((await compliance(providerId)).compliance).toBe('NON_COMPLIANT'), { timeoutMs: 2_000 });
    const [first] = await outboxChanges(providerId);
    expect(validateEvent(first.envelope)).toEqual({ ok: true });
    expect(first.payload).toMatchObject({ providerId, compliance: 'NON_COMPLIANT' });
    await eventually(async () => expect((await outboxChanges(providerId))[0].published).toBe(true));

    // Closing the action leaves the RED rating: still NON_COMPLIANT, nothing published. Re-rated GREEN: COMPLIANT.
    expect((await ok(url, providerToken, CLOSE_ACTION, { id: action.id })).closeAuditAction.status).toBe('DONE');
    expect((await compliance(providerId)).safeguardingCompliance.compliance).toBe('NON_COMPLIANT');
    expect(await outboxChanges(providerId)).toHaveLength(1);
    await ok(url, people.qa, RATE, { id: audit.id, ratings: [{ standardId: 'SR.2', rating: 'GREEN', comment: 'Checked on revisit' }] });
    expect((await compliance(providerId)).safeguardingCompliance.compliance).toBe('COMPLIANT');
    await eventually(async () => expect((await compliance(providerId)).compliance).toBe('COMPLIANT'), { timeoutMs: 2_000 });

    // A monitoring visit with a RED safeguarding finding: NON_COMPLIANT again.
    await ok(url, people.qa, VISIT, {
      input: { providerId, type: 'SAFEGUARDING', visitedOn: today(), findings: [{ area: 'Supervision of pupils off site', rating: 'RED', comment: 'No risk assessment for the trip' }] },
    });
    expect((await compliance(providerId)).safeguardingCompliance.compliance).toBe('NON_COMPLIANT');
    const changes = await outboxChanges(providerId);
    expect(changes.map((e: { payload: { compliance: string } }) => e.payload.compliance)).toEqual(['NON_COMPLIANT', 'COMPLIANT', 'NON_COMPLIANT']);
    expect(changes[2].payload.reason).toMatch(/safeguarding monitoring visit/);
    // audit.completed still goes out, for the directory until it reads provider.compliance_changed.
    const completedEvents = await stack.services['safeguarding-audit'].dataSource.query(`SELECT 1 FROM outbox WHERE type = 'audit.completed' AND key = $1`, [providerId]);
    expect(completedEvents.length).toBeGreaterThanOrEqual(1);

    // Who sees what: another provider nothing of this audit; a school only the compliance.
    const stranger = await clientToken('PROVIDER_USER', `provider:${randomUUID()}`);
    expect((await ok(url, stranger, AUDIT, { id: audit.id })).audit).toBeNull();
    const schoolView = await graphql(url, `query($id: ID!) { provider(id: $id) { safeguardingCompliance { compliance lastAuditCompletedAt } } }`, { id: providerId }, { token: people.school });
    expect(schoolView.errors).toBeUndefined();
    expect(schoolView.data.provider.safeguardingCompliance).toEqual({ compliance: 'NON_COMPLIANT', lastAuditCompletedAt: completed.completedAt });
    expect(errorCodes(await graphql(url, AUDIT, { id: audit.id }, { token: people.school }))).toEqual(['FORBIDDEN']);
    const schoolAudits = await graphql(url, `query($id: ID!) { provider(id: $id) { audits { id } } }`, { id: providerId }, { token: people.school });
    expect(errorCodes(schoolAudits)).toEqual(['FORBIDDEN']);
  });

  it('expires a provider never audited in 12 months when the compliance review runs (twice is once)', async () => {
    const providerId = await approvedProvider();
    await eventually(async () => expect((await compliance(providerId)).safeguardingCompliance).toEqual({ compliance: 'NOT_AUDITED', lastAuditCompletedAt: null }));
    const known = await stack.services['safeguarding-audit'].dataSource.query(`SELECT 1 FROM provider_compliance WHERE provider_id = $1`, [providerId]);
    expect(known).toHaveLength(1);
    try {
      setClock(new Date(Date.now() + 13 * 31 * 86_400_000));
      await reviewCompliance(stack.services['safeguarding-audit'].dataSource);
      await reviewCompliance(stack.services['safeguarding-audit'].dataSource);
    } finally {
      setClock(undefined);
    }
    expect((await compliance(providerId)).safeguardingCompliance.compliance).toBe('EXPIRED');
    const changes = await outboxChanges(providerId);
    expect(changes.map((e: { payload: { compliance: string; reason: string } }) => e.payload.compliance)).toEqual(['EXPIRED']);
    expect(changes[0].payload.reason).toMatch(/Never audited/);
  });
});
