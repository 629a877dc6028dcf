import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free text over provider and offer names (`ILIKE '%words%'`) from trigram GIN indexes. pg_trgm is a
 * trusted extension (PostgreSQL 13+), so the service's own role, owning its database, creates it.
 */
export class SearchTextIndexes1733000000000 implements MigrationInterface {
  name = 'SearchTextIndexes1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX provider_name_trgm_idx ON provider USING gin (name gin_trgm_ops)`);
    await q.query(`CREATE INDEX offer_name_trgm_idx ON offer USING gin (name gin_trgm_ops) WHERE closed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX offer_name_trgm_idx`);
    await q.query(`DROP INDEX provider_name_trgm_idx`);
  }
}
