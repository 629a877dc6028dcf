import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReferralTables1732300000000 implements MigrationInterface {
  name = 'CreateReferralTables1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pupil (
        id uuid PRIMARY KEY,
        upn char(13) NOT NULL CONSTRAINT pupil_upn_key UNIQUE,
        given_name text NOT NULL,
        family_name text NOT NULL,
        date_of_birth date NOT NULL,
        home_la_code char(3),
        registered_by_school_urn char(6),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE referral (
        id uuid PRIMARY KEY,
        pupil_id uuid NOT NULL REFERENCES pupil(id),
        school_urn char(6) NOT NULL,
        provider_id uuid NOT NULL,
        reason text NOT NULL,
        status text NOT NULL,
        first_day_of_exclusion date,
        day6_deadline date,
        parental_consent boolean NOT NULL,
        submitted_by text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        decided_by text,
        accepted_at timestamptz,
        CONSTRAINT referral_consent_required CHECK (parental_consent)
      )`);
    await q.query(`CREATE INDEX referral_pupil_id_idx ON referral (pupil_id)`);
    await q.query(`CREATE INDEX referral_school_urn_idx ON referral (school_urn)`);
    await q.query(`CREATE INDEX referral_provider_id_idx ON referral (provider_id)`);
    await q.query(`
      CREATE TABLE pupil_access_log (
        id bigserial PRIMARY KEY,
        pupil_id uuid NOT NULL,
        user_id text NOT NULL,
        role text NOT NULL,
        organisation text NOT NULL,
        fields text[] NOT NULL,
        trace_id text NOT NULL,
        read_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX pupil_access_log_pupil_id_idx ON pupil_access_log (pupil_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pupil_access_log`);
    await q.query(`DROP TABLE referral`);
    await q.query(`DROP TABLE pupil`);
  }
}
