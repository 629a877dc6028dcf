import { randomUUID } from 'node:crypto';
import { createOnce, isUuid } from '@ap/db';
import { assertRoleAllowed, mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { now } from '@ap/domain';
import { invalidInput, notFound } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { safeguardingAccess } from './access';
import { SafeguardingContext } from './context';
import type { CompleteAuditInput } from './__generated__/resolvers-types';
import { checkAuditInput, complianceForRating, Rating, RATINGS } from './domain/audit';
import { auditExpiresOn } from './domain/compliance';
import { refreshCompliance } from './compliance';
import { Audit, AuditTemplate, DirectoryProvider, MonitoringVisit, ProviderComplianceRecord } from './entities';
import { auditCompleted } from './events/published';

// The one-step audit and the reads; the cycle's writes are in src/cycle.ts.

/** What the access table tests: the provider itself and the LA whose directory lists it. */
const factsOf = (providerId: string, provider: DirectoryProvider | null) => ({
  providerIds: [providerId],
  providerLaCode: provider?.laCode ?? null,
  providerApproved: provider?.approved ?? false,
});

/** A one-step audit (kept for existing clients): completed at once with an overall rating, no template. */
export async function completeAudit(ctx: SafeguardingContext, input: CompleteAuditInput): Promise<Audit> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(input.providerId)) throw invalidInput([{ field: 'providerId', message: 'providerId must be a provider id from the directory' }]);
  const checked = checkAuditInput(input);
  if (!checked.ok) throw invalidInput(checked.problems);
  return createOnce(
    ctx.db,
    { key: ctx.idempotencyKey, caller: principal, operation: 'completeAudit', input },
    {
      create: async (tx) => {
        // An unknown provider and another LA's provider answer alike, so neither is revealed; nothing is written.
        const provider = await tx.getRepository(DirectoryProvider).findOneBy({ id: input.providerId });
        if (!provider || !mayAccess(safeguardingAccess, 'Mutation.completeAudit', principal, factsOf(input.providerId, provider))) {
          throw notFound('Provider', input.providerId);
        }
        const completedAt = now();
        const audit = Object.assign(new Audit(), {
          id: randomUUID(),
          providerId: input.providerId,
          templateId: null,
          status: 'COMPLETED',
          rating: input.rating,
          compliance: complianceForRating(input.rating),
          summary: checked.summary,
          completedBy: principal.userId,
          completedAt,
          expiresOn: auditExpiresOn(completedAt.toISOString().slice(0, 10)),
        } satisfies Partial<Audit>);
        await tx.getRepository(Audit).insert(audit);
        const saved = await tx.getRepository(Audit).findOneByOrFail({ id: audit.id });
        await recordEvent(tx, auditCompleted(saved));
        await refreshCompliance(tx, saved.providerId);
        return saved;
      },
      idOf: (saved) => saved.id,
      replay: (id) => ctx.db.getRepository(Audit).findOneBy({ id }),
    },
  );
}

type ProviderRead = 'Query.audit' | 'Provider.audits' | 'Provider.monitoringVisits' | 'Provider.safeguardingCompliance';

async function mayRead(ctx: SafeguardingContext, principal: Principal, operation: ProviderRead, providerId: string): Promise<boolean> {
  const provider = await ctx.directoryProviders.load(providerId);
  // Other LAs see a provider as its local offer shows it, which turns on its compliance (this service's own word).
  const compliance = (await ctx.complianceByProvider.load(providerId))?.compliance ?? 'NOT_AUDITED';
  return mayAccess(safeguardingAccess, operation, principal, { ...factsOf(providerId, provider), providerCompliance: compliance });
}

export async function findAudit(ctx: SafeguardingContext, id: string): Promise<Audit | null> {
  // A role that may never read an audit is told so, also when the gateway resolves the entity.
  assertRoleAllowed(safeguardingAccess, 'Query.audit', requirePrincipal(ctx));
  if (!isUuid(id)) return null;
  const audit = await ctx.db.getRepository(Audit).findOneBy({ id });
  return audit && (await mayRead(ctx, requirePrincipal(ctx), 'Query.audit', audit.providerId)) ? audit : null;
}

export async function auditsOfProvider(ctx: SafeguardingContext, providerId: string): Promise<Audit[]> {
  if (!isUuid(providerId)) return [];
  return (await mayRead(ctx, requirePrincipal(ctx), 'Provider.audits', providerId)) ? ctx.auditsByProvider.load(providerId) : [];
}

export async function visitsOfProvider(ctx: SafeguardingContext, providerId: string): Promise<MonitoringVisit[]> {
  if (!isUuid(providerId)) return [];
  return (await mayRead(ctx, requirePrincipal(ctx), 'Provider.monitoringVisits', providerId)) ? ctx.visitsByProvider.load(providerId) : [];
}

/** A provider's compliance as last derived; a provider known but never looked at is NOT_AUDITED. */
export async function complianceOfProvider(ctx: SafeguardingContext, providerId: string): Promise<ProviderComplianceRecord | null> {
  assertRoleAllowed(safeguardingAccess, 'Provider.safeguardingCompliance', requirePrincipal(ctx));
  if (!isUuid(providerId) || !(await mayRead(ctx, requirePrincipal(ctx), 'Provider.safeguardingCompliance', providerId))) return null;
  const record = await ctx.complianceByProvider.load(providerId);
  return (
    record ??
    Object.assign(new ProviderComplianceRecord(), { providerId, compliance: 'NOT_AUDITED', reason: 'Not audited yet', effectiveAt: null, knownSince: '', lastAuditCompletedAt: null })
  );
}

export async function auditTemplates(ctx: SafeguardingContext): Promise<AuditTemplate[]> {
  return ctx.db.getRepository(AuditTemplate).find({ order: { name: 'ASC', version: 'DESC' } });
}

/** Providers of the caller's LA by the overall rating of their latest completed audit. */
export async function auditRatingCounts(ctx: SafeguardingContext): Promise<{ rating: Rating; count: number }[]> {
  const principal = requirePrincipal(ctx);
  const counts = new Map<string, number>();
  if (principal.org.type === 'la') {
    const rows: { rating: Rating; n: string }[] = await ctx.db.query(
      `SELECT rating, count(*) AS n FROM (
         SELECT DISTINCT ON (a.provider_id) a.rating FROM audit a JOIN directory_provider d ON d.id = a.provider_id
         WHERE d.la_code = $1 AND a.status IN ('COMPLETED', 'EXPIRED') ORDER BY a.provider_id, a.completed_at DESC
       ) latest GROUP BY rating`,
      [principal.org.id],
    );
    for (const r of rows) counts.set(r.rating, Number(r.n));
  }
  return RATINGS.map((rating) => ({ rating, count: counts.get(rating) ?? 0 }));
}
