import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditTables1732300000000 implements MigrationInterface {
  name = 'CreateAuditTables1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL,
        rating text NOT NULL CHECK (rating IN ('GREEN', 'AMBER', 'RED')),
        compliance text NOT NULL,
        summary text,
        completed_by text NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_provider_id_idx ON audit (provider_id, completed_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit`);
  }
}
