import { MigrationInterface, QueryRunner } from 'typeorm';
import { SECTION_175_TEMPLATE, SECTION_175_TEMPLATE_NAME } from '../domain/template';

/** Version 1 of the Section 175 template, with a fixed id so every environment names it alike; idempotent. */
export const SECTION_175_TEMPLATE_V1_ID = '175a0000-0000-4000-8000-000000000001';

export class SeedSection175Template1732700000001 implements MigrationInterface {
  name = 'SeedSection175Template1732700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO audit_template (id, name, version, sections, published_by, published_at) VALUES ($1, $2, 1, $3, 'seed', now())
       ON CONFLICT DO NOTHING`,
      [SECTION_175_TEMPLATE_V1_ID, SECTION_175_TEMPLATE_NAME, JSON.stringify(SECTION_175_TEMPLATE)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM audit_template WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM audit WHERE template_id = $1)`, [SECTION_175_TEMPLATE_V1_ID]);
  }
}
