import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePlacementTables1732300000000 implements MigrationInterface {
  name = 'CreatePlacementTables1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE placement (
        id uuid PRIMARY KEY,
        referral_id uuid NOT NULL CONSTRAINT placement_referral_id_key UNIQUE,
        pupil_id uuid NOT NULL,
        provider_id uuid NOT NULL,
        school_urn char(6) NOT NULL,
        home_la_code char(3),
        status text NOT NULL CHECK (status IN ('PLANNED', 'ACTIVE', 'ENDED', 'CANCELLED')),
        planned_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz
      )`);
    await q.query(`CREATE INDEX placement_pupil_id_idx ON placement (pupil_id)`);
    await q.query(`CREATE INDEX placement_provider_id_idx ON placement (provider_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE placement`);
  }
}
