import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many started placements the row's pupil has. Most pupils have one, so a group's distinct
 * pupils are counted directly for them and by count(DISTINCT) only for the few with more: one
 * hash aggregation over an LA's rows instead of a pass per pupil.
 */
export class AddPupilPlacements1733000000003 implements MigrationInterface {
  name = 'AddPupilPlacements1733000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outcome_placement ADD COLUMN pupil_placements integer NOT NULL DEFAULT 1`);
    await q.query(`UPDATE outcome_placement p SET pupil_placements = GREATEST(1, (SELECT count(*) FROM outcome_placement q WHERE q.pupil_id = p.pupil_id AND q.started_on IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outcome_placement DROP COLUMN pupil_placements`);
  }
}
