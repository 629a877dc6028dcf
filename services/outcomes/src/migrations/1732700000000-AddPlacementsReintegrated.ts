import { MigrationInterface, QueryRunner } from 'typeorm';

/** Placements that ended with the pupil back in mainstream school (placement.ended, REINTEGRATED_MAINSTREAM). */
export class AddPlacementsReintegrated1732700000000 implements MigrationInterface {
  name = 'AddPlacementsReintegrated1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provider_outcome ADD COLUMN placements_reintegrated integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provider_outcome DROP COLUMN placements_reintegrated`);
  }
}
