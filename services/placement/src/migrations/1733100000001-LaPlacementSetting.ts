import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 10: reviews fall due every 6 school weeks unless the LA sets its own interval. */
export class LaPlacementSetting1733100000001 implements MigrationInterface {
  name = 'LaPlacementSetting1733100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE la_placement_setting (
      la_code char(3) PRIMARY KEY,
      review_interval_school_weeks int NOT NULL CHECK (review_interval_school_weeks BETWEEN 1 AND 12)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE la_placement_setting`);
  }
}
