import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pupil access log (UK GDPR accountability: who read which pupil's data, in what role, for
 * which organisation, which fields, when, under which trace id). One table per service database
 * that holds pupil data; a service creates it with the shared migration below.
 */
export class CreatePupilAccessLogTable1733200000000 implements MigrationInterface {
  name = 'CreatePupilAccessLogTable1733200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
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
    await db.query(`CREATE INDEX pupil_access_log_pupil_id_id_idx ON pupil_access_log (pupil_id, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE pupil_access_log`);
  }
}

/** Who reads, as the log records it (the caller formats its principal). */
export interface PupilReader {
  userId: string;
  role: string;
  organisation: string;
  traceId: string;
}

/**
 * Records one request's reads of pupil data. The reads of one tick are written together, one row
 * per pupil with every field read, in one INSERT. A read waits for its record: if the record
 * cannot be written, the data is not returned.
 */
export class PupilReadLog {
  private batch: { fields: Map<string, Set<string>>; written: Promise<void> } | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly reader: PupilReader,
  ) {}

  record(pupilId: string, field: string): Promise<void> {
    if (!this.batch) {
      const batch = { fields: new Map<string, Set<string>>(), written: Promise.resolve() };
      // Deferred a tick so that the fields and pupils resolved together land in one statement.
      batch.written = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (this.batch === batch) this.batch = null;
        return this.write(batch.fields);
      });
      this.batch = batch;
    }
    const fields = this.batch.fields.get(pupilId) ?? new Set<string>();
    fields.add(field);
    this.batch.fields.set(pupilId, fields);
    return this.batch.written;
  }

  private async write(byPupil: Map<string, Set<string>>): Promise<void> {
    const pupils = [...byPupil.keys()];
    // Field names are identifiers; joined with a comma because unnest() flattens a text[][].
    const fields = pupils.map((p) => [...(byPupil.get(p) as Set<string>)].sort().join(','));
    const r = this.reader;
    await this.db.query(
      `INSERT INTO pupil_access_log (pupil_id, user_id, role, organisation, fields, trace_id)
       SELECT p, $3, $4, $5, string_to_array(f, ','), $6 FROM unnest($1::uuid[], $2::text[]) AS i(p, f)`,
      [pupils, fields, r.userId, r.role, r.organisation, r.traceId],
    );
  }
}
