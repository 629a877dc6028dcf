import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDirectoryTables1732300000000 implements MigrationInterface {
  name = 'CreateDirectoryTables1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        registration_type text NOT NULL,
        urn char(6),
        ukprn char(8),
        postcode text,
        la_code char(3) NOT NULL,
        approval_status text NOT NULL,
        approved_at timestamptz,
        compliance text NOT NULL DEFAULT 'NOT_AUDITED',
        compliance_as_of timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT provider_la_urn_key UNIQUE (la_code, urn)
      )`);
    await q.query(`CREATE INDEX provider_la_status_idx ON provider (la_code, approval_status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider`);
  }
}
