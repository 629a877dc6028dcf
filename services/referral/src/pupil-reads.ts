import { DataSource } from 'typeorm';
import { formatOrganisation, RequestContext } from '@ap/auth';
import { PupilAccess } from './entities';

/** The fields that identify a pupil; reading any of them is recorded. */
export const IDENTIFYING_FIELDS = ['upn', 'givenName', 'familyName', 'dateOfBirth'] as const;
export type IdentifyingField = (typeof IDENTIFYING_FIELDS)[number];

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
    const fields = new Set<string>([field]);
    // Deferred a tick so that the identifying fields read together land in one row.
    const next = { fields, started: false, written: Promise.resolve() };
    next.written = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      next.started = true;
      return this.write(pupilId, [...fields]);
    });
    this.pending.set(pupilId, next);
    return next.written;
  }

  private async write(pupilId: string, fields: string[]): Promise<void> {
    const p = this.context.principal;
    await this.db.getRepository(PupilAccess).insert({
      pupilId,
      userId: p?.userId ?? 'unknown',
      role: p?.role ?? 'NONE',
      organisation: p ? formatOrganisation(p.org) : 'none',
      fields: fields.sort(),
      traceId: this.context.traceId,
    });
  }
}
