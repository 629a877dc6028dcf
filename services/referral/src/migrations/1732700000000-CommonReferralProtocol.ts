import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 9: the pupil's fields, the single form's sections, the status flow with its history,
 * the response deadline, the LA panel route, what the service learns of placements, and the
 * day-6 alert (sent once). A draft may lack consent; anything past DRAFT still needs it.
 */
export class CommonReferralProtocol1732700000000 implements MigrationInterface {
  name = 'CommonReferralProtocol1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pupil
      ADD COLUMN sen_status text NOT NULL DEFAULT 'NONE',
      ADD COLUMN has_social_worker boolean NOT NULL DEFAULT false,
      ADD COLUMN pupil_premium boolean NOT NULL DEFAULT false,
      ADD COLUMN looked_after boolean NOT NULL DEFAULT false,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX pupil_registered_by_school_urn_idx ON pupil (registered_by_school_urn)`);
    await q.query(`CREATE INDEX pupil_home_la_code_idx ON pupil (home_la_code)`);

    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_consent_required`);
    await q.query(`ALTER TABLE referral
      ALTER COLUMN provider_id DROP NOT NULL,
      ALTER COLUMN submitted_at DROP NOT NULL,
      ALTER COLUMN submitted_at DROP DEFAULT,
      ALTER COLUMN submitted_by DROP NOT NULL,
      ALTER COLUMN reason DROP NOT NULL,
      ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN route text NOT NULL DEFAULT 'DIRECT',
      ADD COLUMN offer_id uuid,
      ADD COLUMN needs_and_strengths text,
      ADD COLUMN risks text,
      ADD COLUMN risk_level text,
      ADD COLUMN interventions_tried text,
      ADD COLUMN current_attendance_percent numeric(5,2),
      ADD COLUMN outcomes_wanted text,
      ADD COLUMN proposed_start_date date,
      ADD COLUMN hours_wanted numeric(4,1),
      ADD COLUMN pupil_voice text,
      ADD COLUMN parent_voice text,
      ADD COLUMN consent_given_by text,
      ADD COLUMN consent_given_on date,
      ADD COLUMN data_sharing_agreed boolean NOT NULL DEFAULT false,
      ADD COLUMN respond_by date,
      ADD COLUMN agreed_start_date date,
      ADD COLUMN decline_reason_code text,
      ADD COLUMN decline_reason text,
      ADD COLUMN withdraw_reason text,
      ADD COLUMN placement_id uuid,
      ADD COLUMN placement_status text,
      ADD COLUMN day6_alerted_at timestamptz,
      ADD COLUMN history jsonb NOT NULL DEFAULT '[]'::jsonb`);
    // Referrals made before the form had these sections: consent then covered data sharing too.
    await q.query(`UPDATE referral SET created_at = submitted_at, data_sharing_agreed = parental_consent,
      history = jsonb_build_array(jsonb_build_object('status', 'SUBMITTED', 'at', submitted_at, 'by', submitted_by, 'role', NULL, 'organisation', 'school:' || school_urn, 'note', NULL))
        || CASE WHEN accepted_at IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('status', 'ACCEPTED', 'at', accepted_at, 'by', decided_by, 'role', NULL, 'organisation', NULL, 'note', NULL)) END`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_consent_required CHECK (status = 'DRAFT' OR (parental_consent AND submitted_at IS NOT NULL AND reason IS NOT NULL))`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_direct_has_provider CHECK (route <> 'DIRECT' OR status = 'DRAFT' OR provider_id IS NOT NULL)`);
    await q.query(`CREATE INDEX referral_awaiting_idx ON referral (submitted_at, id) WHERE status IN ('SUBMITTED', 'UNDER_REVIEW')`);
    await q.query(`CREATE INDEX referral_day6_idx ON referral (day6_deadline) WHERE day6_deadline IS NOT NULL`);

    /** N school days an LA gives providers to answer a referral; an LA without a row gets the default (5). */
    await q.query(`CREATE TABLE la_referral_setting (
      la_code char(3) PRIMARY KEY,
      respond_within_school_days int NOT NULL CHECK (respond_within_school_days BETWEEN 1 AND 60)
    )`);
    await q.query(`CREATE INDEX pupil_access_log_pupil_id_id_idx ON pupil_access_log (pupil_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX pupil_access_log_pupil_id_id_idx`);
    await q.query(`DROP TABLE la_referral_setting`);
    await q.query(`DROP INDEX referral_day6_idx`);
    await q.query(`DROP INDEX referral_awaiting_idx`);
    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_direct_has_provider`);
    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_consent_required`);
    await q.query(`DELETE FROM referral WHERE status = 'DRAFT' OR provider_id IS NULL`);
    await q.query(`ALTER TABLE referral
      DROP COLUMN created_at, DROP COLUMN updated_at, DROP COLUMN route, DROP COLUMN offer_id, DROP COLUMN needs_and_strengths,
      DROP COLUMN risks, DROP COLUMN risk_level, DROP COLUMN interventions_tried, DROP COLUMN current_attendance_percent,
      DROP COLUMN outcomes_wanted, DROP COLUMN proposed_start_date, DROP COLUMN hours_wanted, DROP COLUMN pupil_voice,
      DROP COLUMN parent_voice, DROP COLUMN consent_given_by, DROP COLUMN consent_given_on, DROP COLUMN data_sharing_agreed,
      DROP COLUMN respond_by, DROP COLUMN agreed_start_date, DROP COLUMN decline_reason_code, DROP COLUMN decline_reason,
      DROP COLUMN withdraw_reason, DROP COLUMN placement_id, DROP COLUMN placement_status, DROP COLUMN day6_alerted_at, DROP COLUMN history,
      ALTER COLUMN provider_id SET NOT NULL, ALTER COLUMN submitted_at SET NOT NULL, ALTER COLUMN submitted_at SET DEFAULT now(),
      ALTER COLUMN submitted_by SET NOT NULL, ALTER COLUMN reason SET NOT NULL`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_consent_required CHECK (parental_consent)`);
    await q.query(`DROP INDEX pupil_home_la_code_idx`);
    await q.query(`DROP INDEX pupil_registered_by_school_urn_idx`);
    await q.query(`ALTER TABLE pupil DROP COLUMN sen_status, DROP COLUMN has_social_worker, DROP COLUMN pupil_premium, DROP COLUMN looked_after, DROP COLUMN updated_at`);
  }
}
