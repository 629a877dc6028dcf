import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createOnce, isUuid } from '@ap/db';
import { mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { compareDates, isIsoDate, now, today } from '@ap/domain';
import { conflict, InputProblem, invalidInput, notFound } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { safeguardingAccess } from './access';
import type { SafeguardingContext } from './context';
import type {
  AddAuditActionInput,
  AnswerInput,
  PublishAuditTemplateInput,
  RecordMonitoringVisitInput,
  ScheduleAuditInput,
  StandardRatingInput,
} from './__generated__/resolvers-types';
import { completionProblems, complianceForRating, mergeAnswers, mergeRatings, missingAnswers, overallRating, STEP_FROM } from './domain/audit';
import { auditExpiresOn } from './domain/compliance';
import { checkTemplateInput, standardsOf } from './domain/template';
import { refreshCompliance } from './compliance';
import { Audit, AuditAction, AuditTemplate, DirectoryProvider, MonitoringVisit, VISIT_TYPES } from './entities';
import { auditCompleted } from './events/published';

// The audit cycle's use cases. Each write commits with the events it records; every write that can
// change a provider's compliance refreshes it in the same transaction.

type Operation = keyof typeof safeguardingAccess;

const factsOf = (providerId: string, provider: DirectoryProvider | null) => ({
  providerIds: [providerId],
  providerLaCode: provider?.laCode ?? null,
  providerApproved: provider?.approved ?? false,
});

/** The provider, when the caller's relation to it holds; otherwise NOT_FOUND, as for an unknown one. */
async function providerFor(tx: EntityManager, principal: Principal, operation: Operation, providerId: string, what: string, id: string): Promise<DirectoryProvider> {
  const provider = await tx.getRepository(DirectoryProvider).findOneBy({ id: providerId });
  if (!provider || !mayAccess(safeguardingAccess, operation, principal, factsOf(providerId, provider))) throw notFound(what, id);
  return provider;
}

/** The audit, locked for the change, when the caller may change it; NOT_FOUND otherwise. */
async function auditFor(tx: EntityManager, principal: Principal, operation: Operation, auditId: string): Promise<Audit> {
  if (!isUuid(auditId)) throw invalidInput([{ field: 'auditId', message: 'auditId must be an audit id' }]);
  const audit = await tx.getRepository(Audit).findOne({ where: { id: auditId }, lock: { mode: 'pessimistic_write' } });
  if (!audit) throw notFound('Audit', auditId);
  await providerFor(tx, principal, operation, audit.providerId, 'Audit', auditId);
  return audit;
}

function assertStep(audit: Audit, step: keyof typeof STEP_FROM): void {
  if (!STEP_FROM[step].includes(audit.status)) {
    throw conflict(`The audit is ${audit.status}; ${step} needs it to be ${STEP_FROM[step].join(' or ')}`);
  }
}

async function templateOf(tx: EntityManager, audit: Audit): Promise<AuditTemplate> {
  if (!audit.templateId) throw conflict('This is a one-step audit with no template: it was completed when it was recorded');
  return tx.getRepository(AuditTemplate).findOneByOrFail({ id: audit.templateId });
}

function dateProblem(field: string, value: string, label: string): InputProblem[] {
  return isIsoDate(value) ? [] : [{ field, message: `${label} must be a date, YYYY-MM-DD` }];
}

function text(field: string, value: string | null | undefined, label: string, max: number, required = true): { value: string | null; problems: InputProblem[] } {
  const trimmed = value?.trim() || null;
  if (required && !trimmed) return { value: null, problems: [{ field, message: `${label} is required` }] };
  if (trimmed && trimmed.length > max) return { value: null, problems: [{ field, message: `${label} must be at most ${max} characters` }] };
  return { value: trimmed, problems: [] };
}

export async function publishAuditTemplate(ctx: SafeguardingContext, input: PublishAuditTemplateInput): Promise<AuditTemplate> {
  const principal = requirePrincipal(ctx);
  const checked = checkTemplateInput(input);
  if (!checked.ok) throw invalidInput(checked.problems);
  return createOnce<AuditTemplate>(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'publishAuditTemplate', input },
    {
      create: async (tx) => {
        // One version at a time per name: the advisory lock serialises publishers of the same name.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`audit_template:${checked.name}`]);
        const [{ latest }] = await tx.query(`SELECT coalesce(max(version), 0) AS latest FROM audit_template WHERE name = $1`, [checked.name]);
        const template = Object.assign(new AuditTemplate(), {
          id: randomUUID(),
          name: checked.name,
          version: Number(latest) + 1,
          sections: checked.sections,
          publishedBy: principal.userId,
          publishedAt: now(),
        });
        await tx.getRepository(AuditTemplate).insert(template);
        return template;
      },
      idOf: (t) => t.id,
      replay: (id) => ctx.db.getRepository(AuditTemplate).findOneBy({ id }),
    },
  );
}

export async function scheduleAudit(ctx: SafeguardingContext, input: ScheduleAuditInput): Promise<Audit> {
  const principal = requirePrincipal(ctx);
  const problems: InputProblem[] = [];
  if (!isUuid(input.providerId)) problems.push({ field: 'providerId', message: 'providerId must be a provider id from the directory' });
  if (!isUuid(input.templateId)) problems.push({ field: 'templateId', message: 'templateId must be an audit template id' });
  problems.push(...dateProblem('dueDate', input.dueDate, 'The due date'));
  if (!problems.length && compareDates(input.dueDate, today()) < 0) problems.push({ field: 'dueDate', message: `The due date ${input.dueDate} is in the past` });
  const period = text('period', input.period, 'The period', 50, false);
  problems.push(...period.problems);
  if (problems.length) throw invalidInput(problems);
  return createOnce<Audit>(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'scheduleAudit', input },
    {
      create: async (tx) => {
        await providerFor(tx, principal, 'Mutation.scheduleAudit', input.providerId, 'Provider', input.providerId);
        const template = await tx.getRepository(AuditTemplate).findOneBy({ id: input.templateId });
        if (!template) throw invalidInput([{ field: 'templateId', message: `There is no audit template ${input.templateId}` }]);
        const audit = Object.assign(new Audit(), {
          id: randomUUID(),
          providerId: input.providerId,
          templateId: template.id,
          period: period.value,
          status: 'SCHEDULED',
          dueDate: input.dueDate,
          answers: [],
          ratings: [],
          rating: null,
          compliance: null,
          summary: null,
          scheduledBy: principal.userId,
          scheduledAt: now(),
          completedAt: null,
          completedBy: null,
          expiresOn: null,
        } satisfies Partial<Audit>);
        await tx.getRepository(Audit).insert(audit);
        return tx.getRepository(Audit).findOneByOrFail({ id: audit.id });
      },
      idOf: (a) => a.id,
      replay: (id) => ctx.db.getRepository(Audit).findOneBy({ id }),
    },
  );
}

/** Saves answers (SELF_ASSESSMENT) or submits them (SUBMITTED, every standard answered). */
export async function answerSelfAssessment(ctx: SafeguardingContext, auditId: string, answers: readonly AnswerInput[], submit: boolean): Promise<Audit> {
  const principal = requirePrincipal(ctx);
  const operation = submit ? 'Mutation.submitSelfAssessment' : 'Mutation.saveSelfAssessment';
  return ctx.db.transaction('READ COMMITTED', async (tx) => {
    const audit = await auditFor(tx, principal, operation, auditId);
    assertStep(audit, submit ? 'submitSelfAssessment' : 'saveSelfAssessment');
    const standards = standardsOf((await templateOf(tx, audit)).sections);
    const merged = mergeAnswers(standards, audit.answers, answers);
    if (!merged.ok) throw invalidInput(merged.problems);
    if (submit) {
      // Nothing is saved when a standard is missing: every missing one is named at once.
      const missing = missingAnswers(standards, merged.answers);
      if (missing.length) throw invalidInput(missing);
    }
    const changes: Partial<Audit> = submit
      ? { answers: merged.answers, status: 'SUBMITTED', submittedBy: principal.userId, submittedAt: now() }
      : { answers: merged.answers, status: 'SELF_ASSESSMENT' };
    await tx.getRepository(Audit).update({ id: audit.id }, changes);
    return tx.getRepository(Audit).findOneByOrFail({ id: audit.id });
  });
}

export async function rateAudit(ctx: SafeguardingContext, auditId: string, ratings: readonly StandardRatingInput[]): Promise<Audit> {
  const principal = requirePrincipal(ctx);
  return ctx.db.transaction('READ COMMITTED', async (tx) => {
    const audit = await auditFor(tx, principal, 'Mutation.rateAudit', auditId);
    assertStep(audit, 'rateAudit');
    const standards = standardsOf((await templateOf(tx, audit)).sections);
    const merged = mergeRatings(standards, audit.ratings, ratings);
    if (!merged.ok) throw invalidInput(merged.problems);
    const overall = overallRating(merged.ratings);
    if (audit.status === 'COMPLETED') {
      // A re-rating of a completed audit must still leave an action for each AMBER or RED standard.
      const problems = completionProblems(standards, merged.ratings, await actionStandards(tx, audit.id));
      if (problems.length) throw invalidInput(problems);
    }
    await tx.getRepository(Audit).update(
      { id: audit.id },
      { ratings: merged.ratings, rating: overall, compliance: overall && complianceForRating(overall) },
    );
    const saved = await tx.getRepository(Audit).findOneByOrFail({ id: audit.id });
    if (saved.status === 'COMPLETED') {
      await recordEvent(tx, auditCompleted(saved));
      await refreshCompliance(tx, saved.providerId);
    }
    return saved;
  });
}

async function actionStandards(tx: EntityManager, auditId: string): Promise<string[]> {
  return (await tx.getRepository(AuditAction).findBy({ auditId })).map((a) => a.standardId);
}

export async function completeScheduledAudit(ctx: SafeguardingContext, auditId: string): Promise<Audit> {
  const principal = requirePrincipal(ctx);
  return ctx.db.transaction('READ COMMITTED', async (tx) => {
    const audit = await auditFor(tx, principal, 'Mutation.completeScheduledAudit', auditId);
    assertStep(audit, 'completeScheduledAudit');
    const standards = standardsOf((await templateOf(tx, audit)).sections);
    const problems = completionProblems(standards, audit.ratings, await actionStandards(tx, audit.id));
    if (problems.length) throw invalidInput(problems);
    const completedAt = now();
    await tx.getRepository(Audit).update(
      { id: audit.id },
      { status: 'COMPLETED', completedAt, completedBy: principal.userId, expiresOn: auditExpiresOn(completedAt.toISOString().slice(0, 10)) },
    );
    const saved = await tx.getRepository(Audit).findOneByOrFail({ id: audit.id });
    await recordEvent(tx, auditCompleted(saved));
    await refreshCompliance(tx, saved.providerId);
    return saved;
  });
}

export async function addAuditAction(ctx: SafeguardingContext, input: AddAuditActionInput): Promise<AuditAction> {
  const principal = requirePrincipal(ctx);
  const description = text('description', input.description, 'The description', 2000);
  const owner = text('owner', input.owner, 'The owner', 200);
  const problems = [...description.problems, ...owner.problems, ...dateProblem('dueDate', input.dueDate, 'The due date')];
  if (problems.length) throw invalidInput(problems);
  return createOnce<AuditAction>(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'addAuditAction', input },
    {
      create: async (tx) => {
        const audit = await auditFor(tx, principal, 'Mutation.addAuditAction', input.auditId);
        assertStep(audit, 'addAuditAction');
        const standards = standardsOf((await templateOf(tx, audit)).sections);
        if (!standards.some((s) => s.id === input.standardId)) {
          throw invalidInput([{ field: 'standardId', message: `Standard ${input.standardId} is not in this audit’s template` }]);
        }
        const action = Object.assign(new AuditAction(), {
          id: randomUUID(),
          auditId: audit.id,
          providerId: audit.providerId,
          standardId: input.standardId,
          description: description.value!,
          owner: owner.value!,
          dueDate: input.dueDate,
          createdBy: principal.userId,
          createdAt: now(),
          closedAt: null,
          closedBy: null,
        });
        await tx.getRepository(AuditAction).insert(action);
        // An action on a completed audit is open work: it may change compliance at once.
        if (audit.status === 'COMPLETED') await refreshCompliance(tx, audit.providerId);
        return action;
      },
      idOf: (a) => a.id,
      replay: (id) => ctx.db.getRepository(AuditAction).findOneBy({ id }),
    },
  );
}

export async function closeAuditAction(ctx: SafeguardingContext, id: string): Promise<AuditAction> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(id)) throw invalidInput([{ field: 'id', message: 'id must be an audit action id' }]);
  return ctx.db.transaction('READ COMMITTED', async (tx) => {
    const action = await tx.getRepository(AuditAction).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!action) throw notFound('Audit action', id);
    await providerFor(tx, principal, 'Mutation.closeAuditAction', action.providerId, 'Audit action', id);
    // Closing twice is harmless: the first close stands.
    if (action.closedAt) return action;
    await tx.getRepository(AuditAction).update({ id }, { closedAt: now(), closedBy: principal.userId });
    await refreshCompliance(tx, action.providerId);
    return tx.getRepository(AuditAction).findOneByOrFail({ id });
  });
}

export async function recordMonitoringVisit(ctx: SafeguardingContext, input: RecordMonitoringVisitInput): Promise<MonitoringVisit> {
  const principal = requirePrincipal(ctx);
  const problems: InputProblem[] = [];
  if (!isUuid(input.providerId)) problems.push({ field: 'providerId', message: 'providerId must be a provider id from the directory' });
  if (!(VISIT_TYPES as readonly string[]).includes(input.type)) problems.push({ field: 'type', message: 'Unknown visit type' });
  problems.push(...dateProblem('visitedOn', input.visitedOn, 'The visit date'));
  if (!problems.length && compareDates(input.visitedOn, today()) > 0) problems.push({ field: 'visitedOn', message: `The visit date ${input.visitedOn} is in the future` });
  if (input.findings.length === 0) problems.push({ field: 'findings', message: 'Record at least one finding' });
  const findings = input.findings.map((f, i) => {
    const area = text(`findings[${i}].area`, f.area, 'A finding’s area', 200);
    const comment = text(`findings[${i}].comment`, f.comment, 'A finding’s comment', 4000, false);
    problems.push(...area.problems, ...comment.problems);
    return { area: area.value ?? '', rating: f.rating, comment: comment.value };
  });
  const followUps = (input.followUps ?? []).map((f, i) => {
    const action = text(`followUps[${i}].action`, f.action, 'A follow-up', 2000);
    problems.push(...action.problems, ...dateProblem(`followUps[${i}].dueDate`, f.dueDate, 'A follow-up’s due date'));
    return { id: randomUUID(), action: action.value ?? '', dueDate: f.dueDate, closedAt: null };
  });
  if (problems.length) throw invalidInput(problems);
  return createOnce<MonitoringVisit>(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'recordMonitoringVisit', input },
    {
      create: async (tx) => {
        await providerFor(tx, principal, 'Mutation.recordMonitoringVisit', input.providerId, 'Provider', input.providerId);
        const visit = Object.assign(new MonitoringVisit(), {
          id: randomUUID(),
          providerId: input.providerId,
          type: input.type,
          visitedOn: input.visitedOn,
          visitedBy: principal.userId,
          findings,
          followUps,
          recordedAt: now(),
        });
        await tx.getRepository(MonitoringVisit).insert(visit);
        await refreshCompliance(tx, input.providerId);
        return visit;
      },
      idOf: (v) => v.id,
      replay: (id) => ctx.db.getRepository(MonitoringVisit).findOneBy({ id }),
    },
  );
}

export async function closeFollowUp(ctx: SafeguardingContext, visitId: string, followUpId: string): Promise<MonitoringVisit> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(visitId)) throw invalidInput([{ field: 'visitId', message: 'visitId must be a monitoring visit id' }]);
  return ctx.db.transaction('READ COMMITTED', async (tx) => {
    const visit = await tx.getRepository(MonitoringVisit).findOne({ where: { id: visitId }, lock: { mode: 'pessimistic_write' } });
    if (!visit) throw notFound('Monitoring visit', visitId);
    await providerFor(tx, principal, 'Mutation.closeFollowUp', visit.providerId, 'Monitoring visit', visitId);
    const followUp = visit.followUps.find((f) => f.id === followUpId);
    if (!followUp) throw invalidInput([{ field: 'followUpId', message: `The visit has no follow-up ${followUpId}` }]);
    // Closing twice is harmless: the first close stands.
    if (followUp.closedAt) return visit;
    const followUps = visit.followUps.map((f) => (f.id === followUpId ? { ...f, closedAt: now().toISOString() } : f));
    await tx.getRepository(MonitoringVisit).update({ id: visitId }, { followUps });
    await refreshCompliance(tx, visit.providerId);
    return { ...visit, followUps };
  });
}
