import { DataSource } from 'typeorm';
import { formatOrganisation, RequestContext } from '@ap/auth';
import { PupilAccess } from './entities';

/** The fields that identify a pupil; reading any of them is recorded. */
export const IDENTIFYING_FIELDS = ['upn', 'givenName', 'familyName', 'dateOfBirth'] as const;
export type IdentifyingField = (typeof IDENTIFYING_FIELDS)[number];

type Row = Pick<PupilAccess, 'pupilId' | 'userId' | 'role' | 'organisation' | 'fields' | 'traceId'>;

/** Rows per INSERT: far below PostgreSQL's 65,535 parameters (six a row). */
const MAX_ROWS_PER_STATEMENT = 1000;

/**
 * Writes the access-log rows of every request in flight together: the rows asked for within one
 * turn of the event loop go in one INSERT (a list of 50 pupils, and the other requests of that
 * moment, cost one statement instead of one each). Each caller's promise settles with its
 * statement: resolved once the row is committed, rejected if it could not be written.
 */
export class AccessLogWriter {
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
        await this.db.getRepository(PupilAccess).insert(rows);
        for (const entry of chunk) entry.resolve();
      } catch (err) {
        if (chunk.length === 1) chunk[0].reject(err);
        // One bad row must not refuse the other callers' reads: each on its own.
        else await Promise.all(chunk.map((entry, j) => this.db.getRepository(PupilAccess).insert(rows[j]).then(entry.resolve, entry.reject)));
      }
    }
  }
}

const writers = new WeakMap<DataSource, AccessLogWriter>();
function writerFor(db: DataSource): AccessLogWriter {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new AccessLogWriter(db)));
  return writer;
}

/**
 * Records, once per pupil per request, that the caller read the pupil's identifying data.
 * The read waits for the record: if it cannot be written, the data is not returned.
 */
export class PupilReadLog {
  private readonly pending = new Map<string, { fields: Set<string>; started: boolean; written: Promise<void> }>();

  constructor(
    private readonly db: DataSource,
    private readonly context: RequestContext,
  ) {}

  record(pupilId: string, field: string): Promise<void> {
    const entry = this.pending.get(pupilId);
    if (entry && !entry.started) {
      entry.fields.add(field);
      return entry.written;
    }
    // Written at the end of this turn of the event loop, so the identifying fields read together land in one row.
    const next = { fields: new Set<string>([field]), started: false, written: Promise.resolve() };
    next.written = writerFor(this.db).write(() => {
      next.started = true;
      return this.row(pupilId, [...next.fields]);
    });
    this.pending.set(pupilId, next);
    return next.written;
  }

  private row(pupilId: string, fields: string[]): Row {
    const p = this.context.principal;
    return {
      pupilId,
      userId: p?.userId ?? 'unknown',
      role: p?.role ?? 'NONE',
      organisation: p ? formatOrganisation(p.org) : 'none',
      fields: fields.sort(),
      traceId: this.context.traceId,
    };
  }
}
