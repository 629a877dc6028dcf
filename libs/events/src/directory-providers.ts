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

  @Column({ type: 'boolean', default: false })
  approved: boolean;

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

/** Both, in order, for a service's migrations list. */
export const directoryProviderMigrations = [CreateDirectoryProviderTable1732400000000, AddDirectoryProviderLaCode1732500000000];

/** The directory keys its events by provider, so registration arrives before approval; each is idempotent. */
async function providerRegistered(event: EventOf<'provider.registered'>, tx: EntityManager): Promise<void> {
  await tx.query(
    `INSERT INTO directory_provider (id, la_code) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET la_code = COALESCE(directory_provider.la_code, EXCLUDED.la_code), updated_at = now()`,
    [event.payload.providerId, event.payload.laCode ?? null],
  );
}

async function providerApproved(event: EventOf<'provider.approved'>, tx: EntityManager): Promise<void> {
  await tx.query(
    `INSERT INTO directory_provider (id, approved) VALUES ($1, true)
     ON CONFLICT (id) DO UPDATE SET approved = true, updated_at = now()`,
    [event.payload.providerId],
  );
}

/** Handlers for a consumer `from: ['directory']`. */
export const directoryProviderHandlers = {
  'provider.registered': providerRegistered,
  'provider.approved': providerApproved,
} satisfies EventHandlers;
