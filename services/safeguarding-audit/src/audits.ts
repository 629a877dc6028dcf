import { randomUUID } from 'node:crypto';
import { createOnce, isUuid } from '@ap/db';
import { assertRoleAllowed, mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { invalidInput, notFound } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { safeguardingAccess } from './access';
import { SafeguardingContext } from './context';
import type { CompleteAuditInput } from './__generated__/resolvers-types';
import { checkAuditInput, complianceForRating } from './domain/audit';
import { Audit, DirectoryProvider } from './entities';
import { auditCompleted } from './events/published';

// The safeguarding-audit use cases; each write commits with the event it records.

/** What the access table tests: the provider itself and the LA whose directory lists it. */
const factsOf = (providerId: string, provider: DirectoryProvider | null) => ({
  providerIds: [providerId],
  providerLaCode: provider?.laCode ?? null,
});

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
        const audit = Object.assign(new Audit(), {
          id: randomUUID(),
          providerId: input.providerId,
          rating: input.rating,
          compliance: complianceForRating(input.rating),
          summary: checked.summary,
          completedBy: principal.userId,
        });
        await tx.getRepository(Audit).insert(audit);
        const saved = await tx.getRepository(Audit).findOneByOrFail({ id: audit.id });
        await recordEvent(tx, auditCompleted(saved));
        return saved;
      },
      idOf: (saved) => saved.id,
      replay: (id) => ctx.db.getRepository(Audit).findOneBy({ id }),
    },
  );
}

async function mayRead(ctx: SafeguardingContext, principal: Principal, operation: 'Query.audit' | 'Provider.audits', providerId: string): Promise<boolean> {
  const provider = await ctx.directoryProviders.load(providerId);
  return mayAccess(safeguardingAccess, operation, principal, factsOf(providerId, provider));
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
