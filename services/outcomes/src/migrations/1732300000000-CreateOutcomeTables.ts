import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutcomeTables1732300000000 implements MigrationInterface {
  name = 'CreateOutcomeTables1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider_outcome (
        provider_id uuid PRIMARY KEY,
        placements_started integer NOT NULL DEFAULT 0 CHECK (placements_started >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_outcome`);
  }
}
