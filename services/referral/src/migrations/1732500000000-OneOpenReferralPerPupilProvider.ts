import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open referral per pupil and provider: twenty identical submissions in parallel create one.
 * Open means not ACCEPTED, DECLINED or WITHDRAWN (CLOSED_REFERRAL_STATUSES), so later open states
 * are covered without another migration.
 */
export class OneOpenReferralPerPupilProvider1732500000000 implements MigrationInterface {
  name = 'OneOpenReferralPerPupilProvider1732500000000';

  async up(q: QueryRunner): Promise<void> {
    const duplicates: { n: number }[] = await q.query(`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM referral WHERE status NOT IN ('ACCEPTED', 'DECLINED', 'WITHDRAWN')
        GROUP BY pupil_id, provider_id HAVING count(*) > 1) d`);
    if (duplicates[0].n > 0) {
      throw new Error(
        `${duplicates[0].n} pupil/provider pairs have more than one open referral: withdraw the extra ones ` +
          `(UPDATE referral SET status = 'WITHDRAWN' …) before this migration can add the one-open-referral rule`,
      );
    }
    await q.query(`
      CREATE UNIQUE INDEX referral_one_open_per_pupil_provider ON referral (pupil_id, provider_id)
      WHERE status NOT IN ('ACCEPTED', 'DECLINED', 'WITHDRAWN')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX referral_one_open_per_pupil_provider`);
  }
}
