import { requirePrincipal } from '@ap/auth';
import { actionStatus } from '../domain/compliance';
import { today } from '@ap/domain';
import type { CompleteResolvers } from '../__generated__/resolvers-types';
import { auditRatingCounts, auditsOfProvider, auditTemplates, completeAudit, complianceOfProvider, findAudit, visitsOfProvider } from '../audits';
import { addAuditAction, answerSelfAssessment, closeAuditAction, closeFollowUp, completeScheduledAudit, publishAuditTemplate, rateAudit, recordMonitoringVisit, scheduleAudit } from '../cycle';
import { ratingsVisible } from '../domain/audit';
import type { Audit } from '../entities';
import type { SafeguardingContext } from '../context';

const iso = (d: Date | null) => d?.toISOString() ?? null;
/** The officer's ratings reach the provider only once the audit is completed. */
const rated = <T>(a: Audit, ctx: SafeguardingContext, value: T): T | null => (ratingsVisible(requirePrincipal(ctx).role, a.status) ? value : null);

export const resolvers: CompleteResolvers = {
  Query: {
    audit: (_, { id }, ctx) => findAudit(ctx, id),
    auditTemplates: (_, __, ctx) => auditTemplates(ctx),
    auditRatingCounts: (_, __, ctx) => auditRatingCounts(ctx),
  },
  Mutation: {
    completeAudit: (_, { input }, ctx) => completeAudit(ctx, input),
    publishAuditTemplate: (_, { input }, ctx) => publishAuditTemplate(ctx, input),
    scheduleAudit: (_, { input }, ctx) => scheduleAudit(ctx, input),
    saveSelfAssessment: (_, { auditId, answers }, ctx) => answerSelfAssessment(ctx, auditId, answers, false),
    submitSelfAssessment: (_, { auditId, answers }, ctx) => answerSelfAssessment(ctx, auditId, answers, true),
    rateAudit: (_, { auditId, ratings }, ctx) => rateAudit(ctx, auditId, ratings),
    addAuditAction: (_, { input }, ctx) => addAuditAction(ctx, input),
    closeAuditAction: (_, { id }, ctx) => closeAuditAction(ctx, id),
    completeScheduledAudit: (_, { auditId }, ctx) => completeScheduledAudit(ctx, auditId),
    recordMonitoringVisit: (_, { input }, ctx) => recordMonitoringVisit(ctx, input),
    closeFollowUp: (_, { visitId, followUpId }, ctx) => closeFollowUp(ctx, visitId, followUpId),
  },
  Audit: {
    __resolveReference: (ref, ctx) => findAudit(ctx, ref.id),
    provider: (a) => ({ id: a.providerId }),
    template: (a, _, ctx) => (a.templateId ? ctx.templates.load(a.templateId) : null),
    ratings: (a, _, ctx) => rated(a, ctx, a.ratings),
    overallRating: (a, _, ctx) => rated(a, ctx, a.rating),
    rating: (a, _, ctx) => rated(a, ctx, a.rating),
    compliance: (a, _, ctx) => rated(a, ctx, a.compliance),
    actions: (a, _, ctx) => ctx.actionsByAudit.load(a.id),
    completedAt: (a) => iso(a.completedAt),
  },
  AuditTemplate: {
    publishedAt: (t) => t.publishedAt.toISOString(),
  },
  AuditAction: {
    status: (a) => actionStatus({ dueDate: a.dueDate, closed: a.closedAt !== null }, today()),
    closedAt: (a) => iso(a.closedAt),
  },
  MonitoringVisit: {
    followUps: (v) => v.followUps,
  },
  FollowUp: {
    status: (f) => actionStatus({ dueDate: f.dueDate, closed: f.closedAt !== null }, today()),
  },
  SafeguardingCompliance: {
    effectiveAt: (c) => iso(c.effectiveAt),
    lastAuditCompletedAt: (c) => iso(c.lastAuditCompletedAt),
  },
  Provider: {
    __resolveReference: (ref) => ({ id: ref.id }),
    audits: (p, _args, ctx) => auditsOfProvider(ctx, p.id),
    monitoringVisits: (p, _args, ctx) => visitsOfProvider(ctx, p.id),
    safeguardingCompliance: (p, _args, ctx) => complianceOfProvider(ctx, p.id),
  },
};
