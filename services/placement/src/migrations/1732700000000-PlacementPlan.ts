import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: a placement's type, offer, commissioner, dates, timetable, cost, end and override;
 * its reviews and history; providers' registration type (from provider.registered) and whether
 * they must register. A pupil may combine part-time placements, but has at most one open
 * full-time placement: the one-open-placement index narrows to full-time ones (every placement
 * before this migration came from a referral and counts as full-time).
 */
export class PlacementPlan1732700000000 implements MigrationInterface {
  name = 'PlacementPlan1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placement
      ALTER COLUMN referral_id DROP NOT NULL,
      ALTER COLUMN school_urn DROP NOT NULL,
      ADD COLUMN type text NOT NULL DEFAULT 'SCHOOL_COMMISSIONED',
      ADD COLUMN offer_id uuid,
      ADD COLUMN commissioner_la_code char(3),
      ADD COLUMN planned_start_date date,
      ADD COLUMN planned_end_date date,
      ADD COLUMN start_date date,
      ADD COLUMN end_date date,
      ADD COLUMN end_reason text,
      ADD COLUMN destination_urn char(6),
      ADD COLUMN cancel_reason text,
      ADD COLUMN cost_per_day numeric(10, 2),
      ADD COLUMN timetable jsonb,
      ADD COLUMN hours_per_week numeric(5, 2),
      ADD COLUMN full_time boolean NOT NULL DEFAULT true,
      ADD COLUMN sessions_per_week int,
      ADD COLUMN notice_given_on date,
      ADD COLUMN pupil_looked_after boolean NOT NULL DEFAULT false,
      ADD COLUMN pupil_has_ehcp boolean NOT NULL DEFAULT false,
      ADD COLUMN reintegration_plan jsonb,
      ADD COLUMN override_reason text`);
    await q.query(`UPDATE placement SET start_date = (started_at AT TIME ZONE 'UTC')::date WHERE started_at IS NOT NULL`);
    await q.query(`DROP INDEX placement_one_open_per_pupil`);
    await q.query(`CREATE UNIQUE INDEX placement_one_full_time_per_pupil ON placement (pupil_id) WHERE full_time AND status IN ('PLANNED', 'ACTIVE')`);
    await q.query(`ALTER TABLE placement ADD CONSTRAINT placement_commissioned CHECK (school_urn IS NOT NULL OR commissioner_la_code IS NOT NULL)`);
    await q.query(`
      CREATE TABLE placement_review (
        id uuid PRIMARY KEY,
        placement_id uuid NOT NULL REFERENCES placement (id),
        due_date date NOT NULL,
        held_on date,
        decision text CHECK (decision IN ('CONTINUE', 'EXTEND', 'REINTEGRATE', 'END')),
        notes text,
        pupil_voice text,
        parent_voice text,
        recorded_by text,
        recorded_at timestamptz
      )`);
    await q.query(`CREATE INDEX placement_review_placement_idx ON placement_review (placement_id)`);
    // At most one review waiting to be held per placement: the schedule's next one.
    await q.query(`CREATE UNIQUE INDEX placement_review_one_due ON placement_review (placement_id) WHERE held_on IS NULL`);
    await q.query(`CREATE INDEX placement_review_due_idx ON placement_review (due_date, id) WHERE held_on IS NULL`);
    await q.query(`
      CREATE TABLE placement_history (
        id bigserial PRIMARY KEY,
        placement_id uuid NOT NULL REFERENCES placement (id),
        at timestamptz NOT NULL DEFAULT now(),
        action text NOT NULL,
        by_role text NOT NULL,
        by_org text NOT NULL,
        detail text
      )`);
    await q.query(`CREATE INDEX placement_history_placement_idx ON placement_history (placement_id, id)`);
    await q.query(`
      CREATE TABLE provider_registration (
        provider_id uuid PRIMARY KEY,
        registration_type text,
        registration_required boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_registration`);
    await q.query(`DROP TABLE placement_history`);
    await q.query(`DROP TABLE placement_review`);
    await q.query(`ALTER TABLE placement DROP CONSTRAINT placement_commissioned`);
    await q.query(`DROP INDEX placement_one_full_time_per_pupil`);
    await q.query(`CREATE UNIQUE INDEX placement_one_open_per_pupil ON placement (pupil_id) WHERE status IN ('PLANNED', 'ACTIVE')`);
    await q.query(`ALTER TABLE placement
      DROP COLUMN type, DROP COLUMN offer_id, DROP COLUMN commissioner_la_code, DROP COLUMN planned_start_date,
      DROP COLUMN planned_end_date, DROP COLUMN start_date, DROP COLUMN end_date, DROP COLUMN end_reason,
      DROP COLUMN destination_urn, DROP COLUMN cancel_reason, DROP COLUMN cost_per_day, DROP COLUMN timetable,
      DROP COLUMN hours_per_week, DROP COLUMN full_time, DROP COLUMN sessions_per_week, DROP COLUMN notice_given_on,
      DROP COLUMN pupil_looked_after, DROP COLUMN pupil_has_ehcp, DROP COLUMN reintegration_plan, DROP COLUMN override_reason`);
  }
}
