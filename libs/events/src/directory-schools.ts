import { Column, Entity, EntityManager, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import type { EventHandlers } from './consumer';
import type { EventOf } from './envelope';

/**
 * What a service knows of the directory's schools, from `school.registered`: which LA a school is
 * in, so that the LA's staff see that school's pupils, referrals and placements. A service that
 * needs it lists the entity, the migration and the handlers (consumer `from: ['directory']`).
 */
@Entity({ name: 'directory_school' })
export class DirectorySchool {
  @PrimaryColumn({ type: 'text' })
  urn: string;

  @Column({ name: 'la_code', type: 'text' })
  laCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

export class CreateDirectorySchoolTable1732600000001 implements MigrationInterface {
  name = 'CreateDirectorySchoolTable1732600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_school (
        urn text PRIMARY KEY,
        la_code text NOT NULL,
        name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX directory_school_la ON directory_school (la_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE directory_school`);
  }
}

export const directorySchoolMigrations = [CreateDirectorySchoolTable1732600000001];

/** Re-registration (a bulk import run again) updates in place; redelivery changes nothing. */
async function schoolRegistered(event: EventOf<'school.registered'>, tx: EntityManager): Promise<void> {
  const { urn, laCode, name } = event.payload;
  await tx.query(
    `INSERT INTO directory_school (urn, la_code, name) VALUES ($1, $2, $3)
     ON CONFLICT (urn) DO UPDATE SET la_code = EXCLUDED.la_code, name = EXCLUDED.name, updated_at = now()
     WHERE (directory_school.la_code, directory_school.name) IS DISTINCT FROM (EXCLUDED.la_code, EXCLUDED.name)`,
    [urn, laCode, name],
  );
}

export const directorySchoolHandlers = { 'school.registered': schoolRegistered } satisfies EventHandlers;
