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

/** Who reads, as the log records it (the caller formats its principal: `pupilReaderOf` in @ap/auth). */
export interface PupilReader {
  userId: string;
  role: string;
  organisation: string;
  traceId: string;
}

interface Row {
  pupilId: string;
  reader: PupilReader;
  fields: string[];
}

/** Rows per INSERT: one statement of unnest() arrays, kept to a size PostgreSQL parses quickly. */
const MAX_ROWS_PER_STATEMENT = 1000;

/**
 * Writes the access-log rows of every request in flight together: the rows asked for within one
 * turn of the event loop go in one INSERT (a list of 50 pupils, and the other requests of that
 * moment, cost one statement instead of one each). Each caller's promise settles with its
 * statement: resolved once the row is committed, rejected if it could not be written.
 */
class PupilReadWriter {
  private queue: { row: () => Row; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly db: DataSource) {}

  /** `row` is called when the batch is written, so a row can still gather fields until then. */
  write(row: () => Row): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (let i = 0; i < batch.length; i += MAX_ROWS_PER_STATEMENT) {
      const chunk = batch.slice(i, i + MAX_ROWS_PER_STATEMENT);
      const rows = chunk.map((entry) => entry.row());
      try {
        await this.insert(rows);
        for (const entry of chunk) entry.resolve();
      } catch (err) {
        if (chunk.length === 1) chunk[0].reject(err);
        // One bad row must not refuse the other callers' reads: each on its own.
        else await Promise.all(chunk.map((entry, j) => this.insert([rows[j]]).then(entry.resolve, entry.reject)));
      }
    }
  }

  private async insert(rows: Row[]): Promise<void> {
    // Field names are identifiers; joined with a comma because unnest() flattens a text[][].
    await this.db.query(
      `INSERT INTO pupil_access_log (pupil_id, user_id, role, organisation, fields, trace_id)
       SELECT p, u, r, o, string_to_array(f, ','), t FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS i(p, u, r, o, f, t)`,
      [
        rows.map((x) => x.pupilId),
        rows.map((x) => x.reader.userId),
        rows.map((x) => x.reader.role),
        rows.map((x) => x.reader.organisation),
        rows.map((x) => x.fields.join(',')),
        rows.map((x) => x.reader.traceId),
      ],
    );
  }
}

const writers = new WeakMap<DataSource, PupilReadWriter>();
function writerFor(db: DataSource): PupilReadWriter {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new PupilReadWriter(db)));
  return writer;
}

/**
 * Records one request's reads of pupil data: one row per pupil with every field read, written with
 * the other reads of the same moment (of any request) in one INSERT. A read waits for its record:
 * if the record cannot be written, the data is not returned.
 */
export class PupilReadLog {
  private readonly pending = new Map<string, { fields: Set<string>; started: boolean; written: Promise<void> }>();

  constructor(
    private readonly db: DataSource,
    private readonly reader: PupilReader,
  ) {}

  record(pupilId: string, field: string): Promise<void> {
    const entry = this.pending.get(pupilId);
    if (entry && !entry.started) {
      entry.fields.add(field);
      return entry.written;
    }
    // Written at the end of this turn of the event loop, so the fields read together land in one row.
    const next = { fields: new Set<string>([field]), started: false, written: Promise.resolve() };
    next.written = writerFor(this.db).write(() => {
      next.started = true;
      return { pupilId, reader: this.reader, fields: [...next.fields].sort() };
    });
    this.pending.set(pupilId, next);
    return next.written;
  }
}
