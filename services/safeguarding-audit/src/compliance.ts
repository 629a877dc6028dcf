import type { DataSource, EntityManager } from 'typeorm';
import { In, IsNull, Not } from 'typeorm';
import { now, sampleLaCalendar, today } from '@ap/domain';
import { recordEvent } from '@ap/events';
import type { Logger } from '@ap/logger';
import { deriveCompliance } from './domain/compliance';
import { Audit, AuditAction, DirectoryProvider, MonitoringVisit, ProviderComplianceRecord } from './entities';
import { complianceChanged } from './events/published';

/** Overdue actions are counted in school days on the LA's calendar (libs/domain). */
const laCalendar = sampleLaCalendar();

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Works out a provider's compliance again, inside the caller's transaction, and when it differs
 * from the last one published records it with a provider.compliance_changed event. The row is
 * locked first, so two refreshes of one provider (a write and the job, or two job runs) publish
 * one change, not two. Returns the record as it now stands.
 */
export async function refreshCompliance(tx: EntityManager, providerId: string): Promise<ProviderComplianceRecord> {
  const at = now();
  await tx.query(
    `INSERT INTO provider_compliance (provider_id, compliance, reason, known_since) VALUES ($1, 'NOT_AUDITED', 'Not audited yet', $2) ON CONFLICT DO NOTHING`,
    [providerId, dateOf(at)],
  );
  const record = await tx.getRepository(ProviderComplianceRecord).findOneOrFail({ where: { providerId }, lock: { mode: 'pessimistic_write' } });
  // A completed audit past its expiry date is EXPIRED; it is still the provider's latest audit.
  await tx.query(`UPDATE audit SET status = 'EXPIRED' WHERE provider_id = $1 AND status = 'COMPLETED' AND expires_on <= $2`, [providerId, today()]);
  const latest = await tx.getRepository(Audit).findOne({ where: { providerId, status: In(['COMPLETED', 'EXPIRED']), completedAt: Not(IsNull()) }, order: { completedAt: 'DESC' } });
  const actions = await tx.getRepository(AuditAction).findBy({ providerId });
  const visits = await tx.getRepository(MonitoringVisit).findBy({ providerId });
  const verdict = deriveCompliance(
    {
      today: today(),
      knownSince: record.knownSince,
      latestAudit: latest?.rating && latest.completedAt ? { overallRating: latest.rating, completedOn: dateOf(latest.completedAt) } : null,
      actions: [
        ...actions.map((a) => ({ description: a.description, dueDate: a.dueDate, closed: a.closedAt !== null })),
        ...visits.flatMap((v) => v.followUps.map((f) => ({ description: f.action, dueDate: f.dueDate, closed: f.closedAt !== null }))),
      ],
      visits: visits.map((v) => ({ type: v.type, visitedOn: v.visitedOn, findings: v.findings })),
    },
    laCalendar,
  );
  const lastAuditCompletedAt = latest?.completedAt ?? null;
  if (verdict.compliance === record.compliance) {
    // The same compliance: no event; keep the reason and last audit date current for readers.
    if (verdict.reason !== record.reason || lastAuditCompletedAt?.getTime() !== record.lastAuditCompletedAt?.getTime()) {
      await tx.getRepository(ProviderComplianceRecord).update({ providerId }, { reason: verdict.reason, lastAuditCompletedAt });
    }
    return { ...record, reason: verdict.reason, lastAuditCompletedAt };
  }
  const next: ProviderComplianceRecord = { ...record, compliance: verdict.compliance, reason: verdict.reason, effectiveAt: at, lastAuditCompletedAt };
  await tx.getRepository(ProviderComplianceRecord).update({ providerId }, next);
  await recordEvent(tx, complianceChanged(next));
  return next;
}

/**
 * The compliance review: time alone changes compliance (an audit runs out after 12 months, an
 * action becomes more than 20 school days overdue), so every known provider is looked at again.
 * Safe to run twice, or in two processes at once: only a change publishes, one provider per
 * transaction. Returns how many providers' compliance changed.
 */
export async function reviewCompliance(db: DataSource): Promise<number> {
  const ids: { id: string }[] = await db.query(`SELECT id FROM directory_provider UNION SELECT provider_id FROM provider_compliance ORDER BY 1`);
  let changed = 0;
  for (const { id } of ids) {
    const before = await db.getRepository(ProviderComplianceRecord).findOneBy({ providerId: id });
    const after = await db.transaction('READ COMMITTED', (tx) => refreshCompliance(tx, id));
    if ((before?.compliance ?? 'NOT_AUDITED') !== after.compliance) changed++;
  }
  return changed;
}

/** Hourly is ample for day-granular rules; it also runs once at start-up. */
export const COMPLIANCE_REVIEW_INTERVAL_MS = 60 * 60 * 1000;

export const complianceReviewJob = (deps: { dataSource: DataSource; logger: Logger }) => ({
  name: 'compliance-review',
  intervalMs: COMPLIANCE_REVIEW_INTERVAL_MS,
  run: async () => {
    const changed = await reviewCompliance(deps.dataSource);
    if (changed) deps.logger.info({ changed }, 'compliance review changed providers’ compliance');
  },
});

/** Registration: a provider never audited is EXPIRED 12 months after this service first heard of it. */
export async function rememberProvider(tx: EntityManager, providerId: string, knownSince: string): Promise<void> {
  await tx.query(
    `INSERT INTO provider_compliance (provider_id, compliance, reason, known_since) VALUES ($1, 'NOT_AUDITED', 'Not audited yet', $2) ON CONFLICT DO NOTHING`,
    [providerId, knownSince],
  );
}

export type { DirectoryProvider };
