import { MigrationInterface, QueryRunner } from 'typeorm';

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
