import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit cycle: versioned templates, scheduled audits with answers and ratings, actions,
 * monitoring visits, and each provider's derived compliance. One-step audits recorded before this
 * stay as COMPLETED audits without a template.
 */
export class AuditCycle1732700000000 implements MigrationInterface {
  name = 'AuditCycle1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_template (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        sections jsonb NOT NULL,
        published_by text NOT NULL,
        published_at timestamptz NOT NULL,
        UNIQUE (name, version)
      )`);
    await q.query(`ALTER TABLE audit
      ALTER COLUMN rating DROP NOT NULL,
      ALTER COLUMN compliance DROP NOT NULL,
      ALTER COLUMN completed_by DROP NOT NULL,
      ALTER COLUMN completed_at DROP NOT NULL,
      ALTER COLUMN completed_at DROP DEFAULT,
      ADD COLUMN template_id uuid REFERENCES audit_template (id),
      ADD COLUMN period text,
      ADD COLUMN status text NOT NULL DEFAULT 'COMPLETED' CHECK (status IN ('SCHEDULED', 'SELF_ASSESSMENT', 'SUBMITTED', 'COMPLETED', 'EXPIRED')),
      ADD COLUMN due_date date,
      ADD COLUMN answers jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN ratings jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN scheduled_by text,
      ADD COLUMN scheduled_at timestamptz,
      ADD COLUMN submitted_by text,
      ADD COLUMN submitted_at timestamptz,
      ADD COLUMN expires_on date`);
    await q.query(`UPDATE audit SET expires_on = ((completed_at AT TIME ZONE 'UTC')::date + interval '12 months')::date WHERE completed_at IS NOT NULL`);
    await q.query(`ALTER TABLE audit ADD CONSTRAINT audit_completed_has_rating CHECK (status NOT IN ('COMPLETED', 'EXPIRED') OR (rating IS NOT NULL AND completed_at IS NOT NULL))`);
    await q.query(`
      CREATE TABLE audit_action (
        id uuid PRIMARY KEY,
        audit_id uuid NOT NULL REFERENCES audit (id),
        provider_id uuid NOT NULL,
        standard_id text NOT NULL,
        description text NOT NULL,
        owner text NOT NULL,
        due_date date NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        closed_at timestamptz,
        closed_by text
      )`);
    await q.query(`CREATE INDEX audit_action_provider_idx ON audit_action (provider_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX audit_action_audit_idx ON audit_action (audit_id)`);
    await q.query(`
      CREATE TABLE monitoring_visit (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('SAFEGUARDING', 'HEALTH_AND_SAFETY', 'TEACHING_AND_LEARNING', 'ATTENDANCE')),
        visited_on date NOT NULL,
        visited_by text NOT NULL,
        findings jsonb NOT NULL,
        follow_ups jsonb NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX monitoring_visit_provider_idx ON monitoring_visit (provider_id, visited_on DESC)`);
    await q.query(`
      CREATE TABLE provider_compliance (
        provider_id uuid PRIMARY KEY,
        compliance text NOT NULL,
        reason text NOT NULL,
        effective_at timestamptz,
        known_since date NOT NULL,
        last_audit_completed_at timestamptz
      )`);
    // Providers already known start where the directory has them: not audited (the first review publishes any change).
    await q.query(`INSERT INTO provider_compliance (provider_id, compliance, reason, known_since)
      SELECT id, 'NOT_AUDITED', 'Not audited yet', (updated_at AT TIME ZONE 'UTC')::date FROM directory_provider ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_compliance, monitoring_visit, audit_action`);
    await q.query(`DELETE FROM audit WHERE status <> 'COMPLETED'`);
    await q.query(`ALTER TABLE audit DROP CONSTRAINT audit_completed_has_rating,
      DROP COLUMN template_id, DROP COLUMN period, DROP COLUMN status, DROP COLUMN due_date, DROP COLUMN answers, DROP COLUMN ratings,
      DROP COLUMN scheduled_by, DROP COLUMN scheduled_at, DROP COLUMN submitted_by, DROP COLUMN submitted_at, DROP COLUMN expires_on,
      ALTER COLUMN completed_at SET DEFAULT now()`);
    await q.query(`DROP TABLE audit_template`);
  }
}
