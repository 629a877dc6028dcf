import { Column, Entity, EntityManager, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import type { EventHandlers } from './consumer';
import type { EventOf } from './envelope';

/**
 * What a service knows of the directory's providers, from the directory's events: which exist,
 * in which LA's directory, and whether approved. A service that scopes by the provider's LA
 * (audits, outcomes) or refers only to approved providers (referral) keeps this table, so that it
 * never has to call the directory. Each service lists the entity, the two migrations and the handlers.
 */
@Entity({ name: 'directory_provider' })
export class DirectoryProvider {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Null only for providers registered before the directory published the LA. */
  @Column({ name: 'la_code', type: 'text', nullable: true })
  laCode: string | null;

  /** True while the directory's approval status is APPROVED (false once suspended or withdrawn). */
  @Column({ type: 'boolean', default: false })
  approved: boolean;

  /** The directory's approval status: APPLIED, APPROVED, SUSPENDED or WITHDRAWN. */
  @Column({ type: 'text', default: 'APPLIED' })
  status: 'APPLIED' | 'APPROVED' | 'SUSPENDED' | 'WITHDRAWN';

  /** Safeguarding compliance, from the audit service's provider.compliance_changed events. */
  @Column({ type: 'text', default: 'NOT_AUDITED' })
  compliance: 'NOT_AUDITED' | 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT' | 'EXPIRED';

  /** When the compliance above took effect: an older event never overwrites a newer one. */
  @Column({ name: 'compliance_effective_at', type: 'timestamptz', nullable: true })
  complianceEffectiveAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** The same name as the referral service's first version of it, so a database that ran it keeps it. */
export class CreateDirectoryProviderTable1732400000000 implements MigrationInterface {
  name = 'CreateDirectoryProviderTable1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_provider (
        id uuid PRIMARY KEY,
        approved boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE directory_provider`);
  }
}

export class AddDirectoryProviderLaCode1732500000000 implements MigrationInterface {
  name = 'AddDirectoryProviderLaCode1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_provider ADD COLUMN la_code text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_provider DROP COLUMN la_code`);
  }
}

export class AddDirectoryProviderStatusAndCompliance1732600000000 implements MigrationInterface {
  name = 'AddDirectoryProviderStatusAndCompliance1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_provider
      ADD COLUMN status text NOT NULL DEFAULT 'APPLIED',
      ADD COLUMN compliance text NOT NULL DEFAULT 'NOT_AUDITED',
      ADD COLUMN compliance_effective_at timestamptz`);
    await q.query(`UPDATE directory_provider SET status = 'APPROVED' WHERE approved`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_provider DROP COLUMN status, DROP COLUMN compliance, DROP COLUMN compliance_effective_at`);
  }
}

/** All, in order, for a service's migrations list. */
export const directoryProviderMigrations = [
  CreateDirectoryProviderTable1732400000000,
  AddDirectoryProviderLaCode1732500000000,
  AddDirectoryProviderStatusAndCompliance1732600000000,
];

/** The directory keys its events by provider, so registration arrives before approval; each is idempotent. */
async function providerRegistered(event: EventOf<'provider.registered'>, tx: EntityManager): Promise<void> {
  await tx.query(
    `INSERT INTO directory_provider (id, la_code) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET la_code = COALESCE(directory_provider.la_code, EXCLUDED.la_code), updated_at = now()`,
    [event.payload.providerId, event.payload.laCode ?? null],
  );
}

async function providerApproved(event: EventOf<'provider.approved'>, tx: EntityManager): Promise<void> {
  await setStatus(tx, event.payload.providerId, 'APPROVED', null);
}

/** The directory keys every lifecycle event by provider, so they arrive in the order they happened. */
async function setStatus(tx: EntityManager, providerId: string, status: DirectoryProvider['status'], laCode: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO directory_provider (id, la_code, status, approved) VALUES ($1, $2, $3, $3 = 'APPROVED')
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, approved = EXCLUDED.approved,
       la_code = COALESCE(directory_provider.la_code, EXCLUDED.la_code), updated_at = now()`,
    [providerId, laCode, status],
  );
}

async function providerSuspended(event: EventOf<'provider.suspended'>, tx: EntityManager): Promise<void> {
  await setStatus(tx, event.payload.providerId, 'SUSPENDED', event.payload.laCode);
}

async function providerWithdrawn(event: EventOf<'provider.withdrawn'>, tx: EntityManager): Promise<void> {
  await setStatus(tx, event.payload.providerId, 'WITHDRAWN', event.payload.laCode);
}

async function providerReinstated(event: EventOf<'provider.reinstated'>, tx: EntityManager): Promise<void> {
  await setStatus(tx, event.payload.providerId, 'APPROVED', event.payload.laCode);
}

/** Compliance comes from the audit service; a late, older event changes nothing. */
async function providerComplianceChanged(event: EventOf<'provider.compliance_changed'>, tx: EntityManager): Promise<void> {
  const { providerId, compliance, effectiveAt } = event.payload;
  await tx.query(
    `INSERT INTO directory_provider (id, compliance, compliance_effective_at) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET compliance = EXCLUDED.compliance, compliance_effective_at = EXCLUDED.compliance_effective_at, updated_at = now()
     WHERE directory_provider.compliance_effective_at IS NULL OR directory_provider.compliance_effective_at < EXCLUDED.compliance_effective_at`,
    [providerId, compliance, effectiveAt],
  );
}

/** Handlers for a consumer `from: ['directory']`. */
export const directoryProviderHandlers = {
  'provider.registered': providerRegistered,
  'provider.approved': providerApproved,
  'provider.suspended': providerSuspended,
  'provider.withdrawn': providerWithdrawn,
  'provider.reinstated': providerReinstated,
} satisfies EventHandlers;

/** Handlers for a consumer `from: ['safeguarding-audit']` that keeps providers' compliance. */
export const providerComplianceHandlers = {
  'provider.compliance_changed': providerComplianceChanged,
} satisfies EventHandlers;
