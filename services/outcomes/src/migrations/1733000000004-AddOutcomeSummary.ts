import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSummary, SUMMARY_TABLE_SQL } from '../summary';

/**
 * The pre-aggregate the dashboards read (src/summary.ts): per LA, provider or school, academic
 * year, key stage, SEN status (and the full grain with every filter's column) the totals of the
 * started placements, kept by the consumer in each event's transaction. Derived data, so it is
 * filled here from the placement rows by the same definitions the consumer uses.
 */
export class AddOutcomeSummary1733000000004 implements MigrationInterface {
  name = 'AddOutcomeSummary1733000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(SUMMARY_TABLE_SQL);
    await q.query(`CREATE INDEX outcome_summary_school ON outcome_summary (grain, school_urn)`);
    await q.query(`CREATE INDEX outcome_summary_provider ON outcome_summary (grain, provider_id)`);
    // The pupils with more than one started placement are counted distinct from their rows (figures.ts):
    // an LA's straight from this index (an index-only scan), with every column a filter, a grouping or a per-pupil count reads.
    await q.query(
      `CREATE INDEX outcome_placement_multi ON outcome_placement (la_code)
         INCLUDE (provider_id, school_urn, academic_year, key_stage, sen_status, pupil_premium, looked_after, has_social_worker, pupil_id, destination)
         WHERE pupil_placements > 1 AND started_on IS NOT NULL`,
    );
    await rebuildSummary(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outcome_placement_multi`);
    await q.query(`DROP TABLE outcome_summary`);
  }
}
