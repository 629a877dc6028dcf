import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { now } from '@ap/domain';
import { findForUpdate, inTransaction, isUuid, translateDatabaseError } from '@ap/db';
import { requirePrincipal } from '@ap/auth';
import { conflict, invalidInput, notFound } from '@ap/errors';
import { EventOf, recordEvent } from '@ap/events';
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
    return await inTransaction(ctx.db, async (tx) => {
      await tx.getRepository(Provider).insert(provider);
      await recordEvent(tx, providerRegistered(provider));
      return tx.getRepository(Provider).findOneByOrFail({ id: provider.id });
    });
  } catch (e) {
    translateDatabaseError(e, { provider_la_urn_key: `A provider with URN ${provider.urn} is already in your directory` });
  }
}

export async function approveProvider(ctx: DirectoryContext, id: string): Promise<Provider> {
  const la = callerLa(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const provider = await findForUpdate(tx, Provider, id);
    // Another LA's directory is not the caller's to change.
    if (!provider || provider.laCode !== la) throw notFound('Provider', id);
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

export function findProvider(ctx: DirectoryContext, id: string): Promise<Provider | null> {
  return isUuid(id) ? ctx.providers.load(id) : Promise.resolve(null);
}

export function listProviders(ctx: DirectoryContext, approvalStatus?: ApprovalStatus | null): Promise<Provider[]> {
  return ctx.db.getRepository(Provider).find({
    where: approvalStatus ? { approvalStatus } : {},
    order: { name: 'ASC', id: 'ASC' },
  });
}

/** Applies a completed safeguarding audit to the provider's compliance (consumer of audit.completed). */
export async function applyAuditCompleted(event: EventOf<'audit.completed'>, tx: EntityManager): Promise<void> {
  const provider = await findForUpdate(tx, Provider, event.payload.providerId);
  // An audit of a provider this directory does not list changes nothing here.
  if (!provider) return;
  const next = complianceAfterAudit(provider, { compliance: event.payload.compliance, completedAt: new Date(event.payload.completedAt) });
  if (next) await tx.getRepository(Provider).update({ id: provider.id }, next);
}
