import { randomUUID } from 'node:crypto';
import { inTransaction, isUuid } from '@ap/db';
import { requirePrincipal } from '@ap/auth';
import { invalidInput } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { SafeguardingContext } from './context';
import type { CompleteAuditInput } from './__generated__/resolvers-types';
import { checkAuditInput, complianceForRating } from './domain/audit';
import { Audit } from './entities';
import { auditCompleted } from './events/published';

// The safeguarding-audit use cases; each write commits with the event it records.

export async function completeAudit(ctx: SafeguardingContext, input: CompleteAuditInput): Promise<Audit> {
  const principal = requirePrincipal(ctx);
  if (!isUuid(input.providerId)) throw invalidInput([{ field: 'providerId', message: 'providerId must be a provider id from the directory' }]);
  const checked = checkAuditInput(input);
  if (!checked.ok) throw invalidInput(checked.problems);
  const audit = Object.assign(new Audit(), {
    id: randomUUID(),
    providerId: input.providerId,
    rating: input.rating,
    compliance: complianceForRating(input.rating),
    summary: checked.summary,
    completedBy: principal.userId,
  });
  return inTransaction(ctx.db, async (tx) => {
    await tx.getRepository(Audit).insert(audit);
    const saved = await tx.getRepository(Audit).findOneByOrFail({ id: audit.id });
    await recordEvent(tx, auditCompleted(saved));
    return saved;
  });
}

/** A provider's own users see their audits; QA and LA staff see all. */
function mayRead(ctx: SafeguardingContext, providerId: string): boolean {
  const p = ctx.principal;
  if (!p) return false;
  if (p.role === 'PROVIDER_USER') return p.org.id === providerId;
  return p.role === 'QA_OFFICER' || p.role === 'LA_ADMIN' || p.role === 'LA_OFFICER';
}

export async function findAudit(ctx: SafeguardingContext, id: string): Promise<Audit | null> {
  if (!isUuid(id)) return null;
  const audit = await ctx.db.getRepository(Audit).findOneBy({ id });
  return audit && mayRead(ctx, audit.providerId) ? audit : null;
}

export async function auditsOfProvider(ctx: SafeguardingContext, providerId: string): Promise<Audit[]> {
  return mayRead(ctx, providerId) ? ctx.auditsByProvider.load(providerId) : [];
}
