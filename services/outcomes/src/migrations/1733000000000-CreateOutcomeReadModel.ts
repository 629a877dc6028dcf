import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outcomes read model (issue 13). Built only from events (referrals, placements, attendance day
 * summaries, the directory) and from the records entered here (attainment, destinations,
 * suspensions), which outcomes also publishes so that a rebuild from the topics gives the same figures.
 * outcome_placement is the pre-aggregate the dashboards read: one row per placement with its cohort,
 * referral facts and running attendance totals, so an LA's figures are one scan of its rows.
 */
export class CreateOutcomeReadModel1733000000000 implements MigrationInterface {
  name = 'CreateOutcomeReadModel1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outcome_pupil (
        pupil_id uuid PRIMARY KEY,
        home_la_code text,
        sen_status text NOT NULL,
        pupil_premium boolean NOT NULL,
        looked_after boolean NOT NULL,
        has_social_worker boolean NOT NULL,
        year_group integer,
        key_stage text,
        facts_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE outcome_referral (
        referral_id uuid PRIMARY KEY,
        pupil_id uuid NOT NULL,
        provider_id uuid,
        school_urn text NOT NULL,
        reason text NOT NULL,
        sen_status text,
        home_la_code text,
        day6_deadline date,
        attendance_at_referral numeric(5,2),
        academic_year text,
        submitted_at timestamptz,
        accepted_at timestamptz,
        declined_at timestamptz,
        withdrawn_at timestamptz
      )`);
    await q.query(`CREATE INDEX outcome_referral_pupil ON outcome_referral (pupil_id)`);
    await q.query(`CREATE INDEX outcome_referral_la_year ON outcome_referral (home_la_code, academic_year)`);
    await q.query(`
      CREATE TABLE outcome_placement (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        placement_id uuid PRIMARY KEY,
        referral_id uuid,
        pupil_id uuid NOT NULL,
        provider_id uuid NOT NULL,
        school_urn text,
        offer_id uuid,
        placement_type text,
        full_time boolean,
        sessions_per_week integer,
        cost_per_day numeric(10,2),
        home_la_code text,
        commissioner_la_code text,
        status text NOT NULL DEFAULT 'UNKNOWN',
        started_on date,
        ended_on date,
        end_reason text,
        cancelled_on date,
        academic_year text,
        la_code text,
        sen_status text,
        pupil_premium boolean,
        looked_after boolean,
        has_social_worker boolean,
        year_group integer,
        key_stage text,
        referral_reason text,
        day6_deadline date,
        accepted_on date,
        attendance_at_referral numeric(5,2),
        possible_sessions integer NOT NULL DEFAULT 0,
        attended_sessions integer NOT NULL DEFAULT 0,
        authorised_sessions integer NOT NULL DEFAULT 0,
        unauthorised_sessions integer NOT NULL DEFAULT 0,
        last_mark_on date,
        english_achieved boolean NOT NULL DEFAULT false,
        maths_achieved boolean NOT NULL DEFAULT false,
        destination text,
        suspensions integer NOT NULL DEFAULT 0,
        reviews integer NOT NULL DEFAULT 0,
        last_review_on date
      )`);
    await q.query(`CREATE INDEX outcome_placement_la ON outcome_placement (la_code, seq)`);
    await q.query(`CREATE INDEX outcome_placement_school ON outcome_placement (school_urn, seq)`);
    await q.query(`CREATE INDEX outcome_placement_provider ON outcome_placement (provider_id, seq)`);
    await q.query(`CREATE INDEX outcome_placement_pupil ON outcome_placement (pupil_id)`);
    await q.query(`
      CREATE TABLE outcome_attendance_day (
        placement_id uuid NOT NULL,
        date date NOT NULL,
        possible smallint NOT NULL,
        attended smallint NOT NULL,
        authorised smallint NOT NULL,
        unauthorised smallint NOT NULL,
        as_of timestamptz NOT NULL,
        PRIMARY KEY (placement_id, date)
      )`);
    await q.query(`
      CREATE TABLE outcome_attendance_month (
        placement_id uuid NOT NULL,
        month date NOT NULL,
        possible integer NOT NULL DEFAULT 0,
        attended integer NOT NULL DEFAULT 0,
        authorised integer NOT NULL DEFAULT 0,
        unauthorised integer NOT NULL DEFAULT 0,
        PRIMARY KEY (placement_id, month)
      )`);
    await q.query(`
      CREATE TABLE outcome_attainment (
        attainment_id uuid PRIMARY KEY,
        placement_id uuid NOT NULL,
        pupil_id uuid NOT NULL,
        subject text NOT NULL,
        qualification text NOT NULL,
        grade text NOT NULL,
        achieved_on date NOT NULL
      )`);
    await q.query(`CREATE INDEX outcome_attainment_placement ON outcome_attainment (placement_id)`);
    await q.query(`
      CREATE TABLE outcome_destination (
        pupil_id uuid NOT NULL,
        academic_year text NOT NULL,
        destination_id uuid NOT NULL UNIQUE,
        destination text NOT NULL,
        recorded_on date NOT NULL,
        PRIMARY KEY (pupil_id, academic_year)
      )`);
    await q.query(`
      CREATE TABLE outcome_suspension (
        suspension_id uuid PRIMARY KEY,
        pupil_id uuid NOT NULL,
        start_date date NOT NULL,
        days numeric(4,1) NOT NULL
      )`);
    await q.query(`CREATE INDEX outcome_suspension_pupil ON outcome_suspension (pupil_id)`);
    await q.query(`
      CREATE TABLE cafe_review (
        id uuid PRIMARY KEY,
        pupil_id uuid NOT NULL,
        la_code text NOT NULL,
        decision text NOT NULL,
        notes text NOT NULL,
        reviewed_by text NOT NULL,
        reviewed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX cafe_review_pupil ON cafe_review (pupil_id, reviewed_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['cafe_review', 'outcome_suspension', 'outcome_destination', 'outcome_attainment', 'outcome_attendance_month', 'outcome_attendance_day', 'outcome_placement', 'outcome_referral', 'outcome_pupil']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
