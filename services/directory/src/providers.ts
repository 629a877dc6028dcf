import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { now } from '@ap/domain';
import { createOnce, findForUpdate, inTransaction, isUuid, translateDatabaseError } from '@ap/db';
import { assertRoleAllowed, mayAccess, Principal, requirePrincipal } from '@ap/auth';
import { badUserInput, conflict, invalidInput, notFound } from '@ap/errors';
import { EventOf, recordEvent } from '@ap/events';
import type { Logger } from '@ap/logger';
import { directoryAccess } from './access';
import { DirectoryContext } from './context';
import type { ProviderProfileInput, RegisterProviderInput } from './__generated__/resolvers-types';
import { ApprovalStatus, checkCanApprove, checkLifecycle, checkPostcode, checkProviderDetails, checkProviderProfile, complianceAfterAudit, Compliance, expiredCompliance, LifecycleAction, registrationRequirementAfter } from './domain/provider';
import { Provider, ProviderStatusChange } from './entities';
import { providerApproved, providerLifecycle, providerRegistered } from './events/published';
import { callerSchoolLa } from './schools';

// The directory's use cases; each write commits with the event it records.

const callerLa = (ctx: DirectoryContext): string => requirePrincipal(ctx).org.id;

export async function registerProvider(ctx: DirectoryContext, input: RegisterProviderInput): Promise<Provider> {
  const checked = checkProviderDetails(input);
  const profile = checkProviderProfile(input);
  const problems = [...(checked.ok ? [] : checked.problems), ...(profile.ok ? [] : profile.problems)];
  if (!checked.ok || !profile.ok) throw invalidInput(problems);
  const principal = requirePrincipal(ctx);
  const provider = Object.assign(new Provider(), {
    id: randomUUID(),
    ...checked.value,
    ...profile.value,
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
          await recordStatusChange(tx, provider.id, null, 'APPLIED', null, principal);
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
    await recordStatusChange(tx, provider.id, provider.approvalStatus, 'APPROVED', null, requirePrincipal(ctx), approvedAt);
    provider.approvalStatus = 'APPROVED';
    provider.approvedAt = approvedAt;
    await tx.getRepository(Provider).save(provider);
    await recordEvent(tx, providerApproved(provider, approvedAt));
    return provider;
  });
}

/** What the access table tests; approval and compliance decide how other LAs see it (as its local offer shows it). */
export const factsOf = (p: Provider) => ({ providerIds: [p.id], providerLaCode: p.laCode, providerApproved: p.approvalStatus === 'APPROVED', providerCompliance: p.compliance });

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
  // A school the directory knows lists its own LA's directory, as its search does (not every LA's).
  const schoolLa = await callerSchoolLa(ctx);
  const providers = await ctx.db.getRepository(Provider).find({
    where: {
      ...(approvalStatus ? { approvalStatus } : {}),
      // Narrow in SQL where the relation names one provider; the table has the last word.
      ...(principal.org.type === 'provider' ? { id: principal.org.id } : {}),
      ...(schoolLa ? { laCode: schoolLa } : {}),
    },
    order: { name: 'ASC', id: 'ASC' },
  });
  return providers.filter((p) => mayAccess(directoryAccess, 'Query.providers', principal, factsOf(p)));
}

async function recordStatusChange(
  tx: EntityManager,
  providerId: string,
  from: ApprovalStatus | null,
  to: ApprovalStatus,
  reason: string | null,
  by: Principal,
  at: Date = now(),
): Promise<void> {
  await tx.getRepository(ProviderStatusChange).insert({ id: randomUUID(), providerId, fromStatus: from, toStatus: to, reason, changedBy: by.userId, changedAt: at });
}

/** Suspend, withdraw or reinstate (LA_ADMIN of the provider's LA), with the reason in the history and the event. */
export async function changeLifecycle(ctx: DirectoryContext, action: LifecycleAction, id: string, reason: string): Promise<Provider> {
  const principal = requirePrincipal(ctx);
  const operation = { suspend: 'Mutation.suspendProvider', withdraw: 'Mutation.withdrawProvider', reinstate: 'Mutation.reinstateProvider' }[action];
  return inTransaction(ctx.db, async (tx) => {
    const provider = isUuid(id) ? await findForUpdate(tx, Provider, id) : null;
    if (!provider || !mayAccess(directoryAccess, operation, principal, factsOf(provider))) throw notFound('Provider', id);
    const can = checkLifecycle(action, provider.approvalStatus, reason);
    if (!can.ok) throw can.code === 'CONFLICT' ? conflict(can.message) : badUserInput(can.message, 'reason');
    const at = now();
    await recordStatusChange(tx, provider.id, provider.approvalStatus, can.to, reason.trim(), principal, at);
    provider.approvalStatus = can.to;
    await tx.getRepository(Provider).save(provider);
    await recordEvent(tx, providerLifecycle(action, provider, reason.trim(), at));
    return provider;
  });
}

/** The provider's LA admin, or the provider itself while APPLIED, updates the profile. */
export async function updateProviderProfile(ctx: DirectoryContext, id: string, input: ProviderProfileInput): Promise<Provider> {
  const principal = requirePrincipal(ctx);
  const profile = checkProviderProfile(input);
  const postcode = checkPostcode(input.postcode);
  const problems = [...(profile.ok ? [] : profile.problems), ...(postcode.ok ? [] : [postcode.problem])];
  if (!profile.ok || problems.length) throw invalidInput(problems);
  return inTransaction(ctx.db, async (tx) => {
    const provider = isUuid(id) ? await findForUpdate(tx, Provider, id) : null;
    if (!provider || !mayAccess(directoryAccess, 'Mutation.updateProviderProfile', principal, factsOf(provider))) throw notFound('Provider', id);
    if (principal.org.type === 'provider' && provider.approvalStatus !== 'APPLIED') {
      throw conflict(`Your profile can be changed only while your application is open; the provider is ${provider.approvalStatus}: ask your LA to change it`);
    }
    // Only what the input names changes.
    if (input.address !== undefined) provider.address = profile.value.address;
    if (input.location !== undefined) Object.assign(provider, { latitude: profile.value.latitude, longitude: profile.value.longitude });
    if (input.contacts !== undefined) provider.contacts = profile.value.contacts;
    if (input.postcode !== undefined && postcode.ok) provider.postcode = postcode.value;
    await tx.getRepository(Provider).save(provider);
    return provider;
  });
}

export const approvalHistory = (ctx: DirectoryContext, providerId: string) =>
  ctx.db.getRepository(ProviderStatusChange).find({ where: { providerId }, order: { changedAt: 'ASC', id: 'ASC' } });

/**
 * Whether the caller sees the provider's contacts and approval history: LA staff of its LA and the
 * provider itself; not analysts, not schools, not other LAs (the local offer shows neither).
 */
export function maySeeProviderDetail(principal: Principal, provider: Provider): boolean {
  if (principal.org.type === 'provider') return principal.org.id === provider.id;
  return principal.org.type === 'la' && principal.role !== 'ANALYST' && provider.laCode === principal.org.id;
}

/**
 * Compliance from the audit service's provider.compliance_changed (authoritative, EXPIRED included):
 * an older change never overwrites a newer one (compliance_as_of is the effective time).
 */
export async function applyComplianceChanged(event: EventOf<'provider.compliance_changed'>, tx: EntityManager): Promise<void> {
  await setCompliance(tx, event.payload.providerId, event.payload.compliance, new Date(event.payload.effectiveAt));
}

async function setCompliance(tx: EntityManager, providerId: string, compliance: Compliance, effectiveAt: Date): Promise<void> {
  const provider = await findForUpdate(tx, Provider, providerId);
  if (!provider) return;
  const next = complianceAfterAudit(provider, { compliance, completedAt: effectiveAt });
  if (next) await tx.getRepository(Provider).update({ id: provider.id }, next);
}

/**
 * The expiry job: compliance becomes EXPIRED once the audit behind it is more than 12 months old,
 * effective from when it ran out (the same time the audit service's EXPIRED event carries, so the
 * two agree and neither undoes the other). Safe to run twice, or in two processes at once.
 */
export async function expireCompliance(db: DataSource, at: Date = now()): Promise<number> {
  const candidates: { id: string }[] = await db.query(
    `SELECT id FROM provider WHERE compliance NOT IN ('EXPIRED', 'NOT_AUDITED') AND compliance_as_of IS NOT NULL AND compliance_as_of + interval '12 months' <= $1`,
    [at],
  );
  let expired = 0;
  for (const { id } of candidates) {
    await inTransaction(db, async (tx) => {
      const provider = await findForUpdate(tx, Provider, id);
      const next = provider && expiredCompliance(provider, at);
      if (next) {
        await tx.getRepository(Provider).update({ id }, next);
        expired++;
      }
    });
  }
  return expired;
}

/** The daily compliance expiry (a scheduled job of the service: at start-up, then daily; safe to run twice). */
export async function runComplianceExpiry(db: DataSource, logger: Logger): Promise<void> {
  const expired = await expireCompliance(db);
  if (expired) logger.info({ expired }, 'compliance expired after 12 months without an audit');
}

/** Applies a completed safeguarding audit to the provider's compliance (consumer of audit.completed). */
export async function applyAuditCompleted(event: EventOf<'audit.completed'>, tx: EntityManager): Promise<void> {
  const provider = await findForUpdate(tx, Provider, event.payload.providerId);
  // An audit of a provider this directory does not list changes nothing here.
  if (!provider) return;
  const next = complianceAfterAudit(provider, { compliance: event.payload.compliance, completedAt: new Date(event.payload.completedAt) });
  if (next) await tx.getRepository(Provider).update({ id: provider.id }, next);
}

/**
 * The placement service's provider.registration_required: whether the provider must now register
 * as an independent school. The newest answer by effective time wins, whatever order events arrive in.
 */
export async function applyRegistrationRequired(event: EventOf<'provider.registration_required'>, tx: EntityManager): Promise<void> {
  const provider = await findForUpdate(tx, Provider, event.payload.providerId);
  if (!provider) return;
  const { required, reason, effectiveAt } = event.payload;
  const next = registrationRequirementAfter(provider, { required, reason, effectiveAt: new Date(effectiveAt) });
  if (next) await tx.getRepository(Provider).update({ id: provider.id }, next);
}
