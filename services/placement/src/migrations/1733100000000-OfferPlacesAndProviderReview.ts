import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: places on an offer are counted from this service's active placements (against the
 * capacity the directory publishes), with an override recorded per placement; and the provider's
 * part of a review (its account of progress and attendance, and its view).
 */
export class OfferPlacesAndProviderReview1733100000000 implements MigrationInterface {
  name = 'OfferPlacesAndProviderReview1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placement ADD COLUMN offer_place_overridden boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX placement_active_offer_idx ON placement (offer_id) WHERE status = 'ACTIVE' AND offer_id IS NOT NULL`);
    await q.query(`ALTER TABLE placement_review
      ADD COLUMN provider_progress_summary text,
      ADD COLUMN provider_attendance_comment text,
      ADD COLUMN provider_view text,
      ADD COLUMN provider_recommendation text,
      ADD COLUMN provider_recorded_by text,
      ADD COLUMN provider_recorded_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placement_review
      DROP COLUMN provider_progress_summary, DROP COLUMN provider_attendance_comment, DROP COLUMN provider_view,
      DROP COLUMN provider_recommendation, DROP COLUMN provider_recorded_by, DROP COLUMN provider_recorded_at`);
    await q.query(`DROP INDEX placement_active_offer_idx`);
    await q.query(`ALTER TABLE placement DROP COLUMN offer_place_overridden`);
  }
}
