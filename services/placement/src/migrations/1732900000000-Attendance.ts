import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: attendance marks (one per placement, date and session; replaced ones kept in history),
 * the same-day absence alerts, progress notes and behaviour incidents, and the pupil's UPN on the
 * placement (learnt from referral.accepted or given at createPlacement) so that a school's MIS can
 * write attendance back by UPN.
 */
export class Attendance1732900000000 implements MigrationInterface {
  name = 'Attendance1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placement ADD COLUMN upn char(13)`);
    // A MIS push looks its pupils up by the school's URN and their UPNs.
    await q.query(`CREATE INDEX placement_school_upn_idx ON placement (school_urn, upn) WHERE upn IS NOT NULL`);
    // previous_*: the mark this one replaced, set by the upsert from the row it locked, so that the
    // same statement can copy it into attendance_mark_history (RETURNING sees only the new row).
    await q.query(`
      CREATE TABLE attendance_mark (
        placement_id uuid NOT NULL REFERENCES placement (id),
        date date NOT NULL,
        session text NOT NULL CHECK (session IN ('AM', 'PM')),
        code text NOT NULL,
        source text NOT NULL CHECK (source IN ('PROVIDER', 'MIS')),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        previous_code text,
        previous_source text,
        previous_recorded_by text,
        previous_recorded_at timestamptz,
        PRIMARY KEY (placement_id, date, session)
      )`);
    await q.query(`
      CREATE TABLE attendance_mark_history (
        id bigserial PRIMARY KEY,
        placement_id uuid NOT NULL,
        date date NOT NULL,
        session text NOT NULL,
        code text NOT NULL,
        source text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        replaced_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX attendance_mark_history_mark_idx ON attendance_mark_history (placement_id, date, session)`);
    await q.query(`
      CREATE TABLE absence_alert (
        id uuid PRIMARY KEY,
        placement_id uuid NOT NULL REFERENCES placement (id),
        date date NOT NULL,
        session text NOT NULL CHECK (session IN ('AM', 'PM')),
        reason text NOT NULL CHECK (reason IN ('CODE_N', 'CODE_O', 'NO_MARK')),
        code text,
        school_urn char(6),
        la_code char(3),
        raised_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        acknowledgement_note text,
        -- One alert per session however often it is raised (a repeated push, the check run twice).
        CONSTRAINT absence_alert_once UNIQUE (placement_id, date, session)
      )`);
    await q.query(`CREATE INDEX absence_alert_school_idx ON absence_alert (school_urn, date)`);
    await q.query(`CREATE INDEX absence_alert_la_idx ON absence_alert (la_code, date)`);
    await q.query(`
      CREATE TABLE progress_note (
        id uuid PRIMARY KEY,
        placement_id uuid NOT NULL REFERENCES placement (id),
        date date NOT NULL,
        area text NOT NULL CHECK (area IN ('ENGLISH', 'MATHS', 'SEMH', 'VOCATIONAL', 'OTHER')),
        summary text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX progress_note_placement_idx ON progress_note (placement_id, date)`);
    await q.query(`
      CREATE TABLE behaviour_incident (
        id uuid PRIMARY KEY,
        placement_id uuid NOT NULL REFERENCES placement (id),
        occurred_at timestamptz NOT NULL,
        severity text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH')),
        category text NOT NULL,
        action_taken text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX behaviour_incident_placement_idx ON behaviour_incident (placement_id, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE behaviour_incident`);
    await q.query(`DROP TABLE progress_note`);
    await q.query(`DROP TABLE absence_alert`);
    await q.query(`DROP TABLE attendance_mark_history`);
    await q.query(`DROP TABLE attendance_mark`);
    await q.query(`DROP INDEX placement_school_upn_idx`);
    await q.query(`ALTER TABLE placement DROP COLUMN upn`);
  }
}
