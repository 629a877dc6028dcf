import { MigrationInterface, QueryRunner } from 'typeorm';

/** A counter every change to the read model bumps, so a cached figure is used only while nothing changed. */
export class AddReadModelVersion1733000000001 implements MigrationInterface {
  name = 'AddReadModelVersion1733000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE outcome_read_model_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)`);
    await q.query(`INSERT INTO outcome_read_model_version (id, version) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outcome_read_model_version`);
  }
}
