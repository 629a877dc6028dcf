import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { now } from '@ap/domain';
import { createOnce, findForUpdate, inTransaction, isUuid, translateDatabaseError } from '@ap/db';
import { assertRoleAllowed, mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { conflict, invalidInput, notFound } from '@ap/errors';
import { EventOf, recordEvent } from '@ap/events';
import { directoryAccess } from './access';
import { DirectoryContext } from './context';
import type { RegisterProviderInput } from './__generated__/resolvers-types';
import { ApprovalStatus, checkCanApprove, checkProviderDetails, complianceAfterAudit } from './domain/provider';
import { Provider } from './entities';
import { providerApproved, providerRegistered } from './events/published';

// The directory's use cases; each write commits with the event it records.

const callerLa = (ctx: DirectoryContext): string => requirePrincipal(ctx).org.id;

export async function registerProvider(ctx: DirectoryContext, input: RegisterProviderInput): Promise<Provider> {
  const checked = checkProviderDetails(input);
  if (!checked.ok) throw invalidInput(checked.problems);
  const provider = Object.assign(new Provider(), {
    id: randomUUID(),
    ...checked.value,
    laCode: callerLa(ctx),
    approvalStatus: 'APPLIED' as const,
    approvedAt: null,
    compliance: 'NOT_AUDITED' as const,
    complianceAsOf: null,
  });
  try {
    return await createOnce(
      ctx.db,
      { key: ctx.idempotencyKey, caller: requirePrincipal(ctx), operation: 'registerProvider', input },
      {
        create: async (tx) => {
          await tx.getRepository(Provider).insert(provider);
          await recordEvent(tx, providerRegistered(provider));
          return tx.getRepository(Provider).findOneByOrFail({ id: provider.id });
        },
        idOf: (saved) => saved.id,
        replay: (id) => ctx.db.getRepository(Provider).findOneBy({ id }),
      },
    );
  } catch (e) {
    translateDatabaseError(e, { provider_la_urn_key: `A provider with URN ${provider.urn} is already in your directory` });
  }
}

export async function approveProvider(ctx: DirectoryContext, id: string): Promise<Provider> {
  const la = callerLa(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const provider = await findForUpdate(tx, Provider, id);
    // Another LA's directory is not the caller's to change, nor to learn about.
    if (!provider || provider.laCode !== la || !mayAccess(directoryAccess, 'Mutation.approveProvider', requirePrincipal(ctx), factsOf(provider))) {
      throw notFound('Provider', id);
    }
    const can = checkCanApprove(provider.approvalStatus);
    if (!can.ok) throw conflict(can.message);
    const approvedAt = now();
    provider.approvalStatus = 'APPROVED';
    provider.approvedAt = approvedAt;
    await tx.getRepository(Provider).save(provider);
    await recordEvent(tx, providerApproved(provider, approvedAt));
    return provider;
  });
}

const factsOf = (p: Provider) => ({ providerIds: [p.id], providerLaCode: p.laCode, providerApproved: p.approvalStatus === 'APPROVED' });

/** Whether the caller may see this provider (Query.provider's row; also for Provider entities other subgraphs reference). */
export const maySeeProvider = (principal: Principal, provider: Provider): boolean =>
  mayAccess(directoryAccess, 'Query.provider', principal, factsOf(provider));

/** A provider the caller may see, else null: the same answer whether or not it exists. */
export async function findProvider(ctx: DirectoryContext, id: string): Promise<Provider | null> {
  // A role that may never read the directory is told so, also when the gateway resolves the entity.
  assertRoleAllowed(directoryAccess, 'Query.provider', requirePrincipal(ctx));
  if (!isUuid(id)) return null;
  const provider = await ctx.providers.load(id);
  return provider && maySeeProvider(requirePrincipal(ctx), provider) ? provider : null;
}

export async function listProviders(ctx: DirectoryContext, approvalStatus?: ApprovalStatus | null): Promise<Provider[]> {
  const principal = requirePrincipal(ctx);
  const providers = await ctx.db.getRepository(Provider).find({
    where: {
      ...(approvalStatus ? { approvalStatus } : {}),
      // Narrow in SQL where the relation names one provider; the table has the last word.
      ...(principal.org.type === 'provider' ? { id: principal.org.id } : {}),
    },
    order: { name: 'ASC', id: 'ASC' },
  });
  return providers.filter((p) => mayAccess(directoryAccess, 'Query.providers', principal, factsOf(p)));
}

/** Applies a completed safeguarding audit to the provider's compliance (consumer of audit.completed). */
export async function applyAuditCompleted(event: EventOf<'audit.completed'>, tx: EntityManager): Promise<void> {
  const provider = await findForUpdate(tx, Provider, event.payload.providerId);
  // An audit of a provider this directory does not list changes nothing here.
  if (!provider) return;
  const next = complianceAfterAudit(provider, { compliance: event.payload.compliance, completedAt: new Date(event.payload.completedAt) });
  if (next) await tx.getRepository(Provider).update({ id: provider.id }, next);
}
