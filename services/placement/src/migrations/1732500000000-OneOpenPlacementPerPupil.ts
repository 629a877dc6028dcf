import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pupil has at most one open (PLANNED or ACTIVE) placement: today every placement is full-time;
 * when timetables arrive (issue 10) the predicate narrows to full-time ones. An accepted referral
 * that would break the rule is kept in refused_placement instead of being lost or dead-lettered.
 */
export class OneOpenPlacementPerPupil1732500000000 implements MigrationInterface {
  name = 'OneOpenPlacementPerPupil1732500000000';

  async up(q: QueryRunner): Promise<void> {
    const duplicates: { n: number }[] = await q.query(`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM placement WHERE status IN ('PLANNED', 'ACTIVE') GROUP BY pupil_id HAVING count(*) > 1) d`);
    if (duplicates[0].n > 0) {
      throw new Error(
        `${duplicates[0].n} pupils have more than one planned or active placement: end or cancel the extra ones ` +
          'before this migration can add the one-placement-at-a-time rule',
      );
    }
    await q.query(`CREATE UNIQUE INDEX placement_one_open_per_pupil ON placement (pupil_id) WHERE status IN ('PLANNED', 'ACTIVE')`);
    await q.query(`
      CREATE TABLE refused_placement (
        referral_id uuid PRIMARY KEY,
        pupil_id uuid NOT NULL,
        provider_id uuid NOT NULL,
        school_urn char(6) NOT NULL,
        home_la_code char(3),
        open_placement_id uuid NOT NULL,
        event_id uuid NOT NULL,
        reason text NOT NULL,
        refused_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refused_placement_pupil_id_idx ON refused_placement (pupil_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refused_placement`);
    await q.query(`DROP INDEX placement_one_open_per_pupil`);
  }
}
