import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Offers made before the directory published offer.changed are announced once by the
 * "offer announcement" job (so the referral and placement services learn of them); offers made
 * from now on are published as they are made, so they start announced.
 */
export class AnnounceExistingOffers1733000000001 implements MigrationInterface {
  name = 'AnnounceExistingOffers1733000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE offer ADD COLUMN announced boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE offer ALTER COLUMN announced SET DEFAULT true`);
    await q.query(`CREATE INDEX offer_unannounced_idx ON offer (id) WHERE NOT announced`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE offer DROP COLUMN announced`);
  }
}
