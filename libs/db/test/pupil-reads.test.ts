import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@ap/testing';
import { CreatePupilAccessLogTable1733200000000, openDatabase, PupilReadLog } from '../src';

describe('PupilReadLog on a real database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const reader = { userId: 'u-1', role: 'SCHOOL_USER', organisation: 'school:100001', traceId: 'trace-1' };
  const rows = (pupils: string[]) =>
    ds.query(`SELECT pupil_id, user_id, role, organisation, fields, trace_id, read_at IS NOT NULL AS dated FROM pupil_access_log WHERE pupil_id = ANY($1::uuid[]) ORDER BY pupil_id, id`, [pupils]);

  beforeAll(async () => {
    db = await createTestDatabase('placement');
    ds = await openDatabase({ url: db.url, entities: [], migrations: [CreatePupilAccessLogTable1733200000000] });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('writes the reads of one tick as one row per pupil with every field read', async () => {
    const log = new PupilReadLog(ds, reader);
    const [a, b] = [randomUUID(), randomUUID()].sort();
    await Promise.all([log.record(a, 'attendance'), log.record(b, 'attendance'), log.record(a, 'progressNotes'), log.record(a, 'attendance')]);
    const common = { user_id: 'u-1', role: 'SCHOOL_USER', organisation: 'school:100001', trace_id: 'trace-1', dated: true };
    expect(await rows([a, b])).toEqual([
      { pupil_id: a, fields: ['attendance', 'progressNotes'], ...common },
      { pupil_id: b, fields: ['attendance'], ...common },
    ]);
  });

  it('writes a later read of the same request as a row of its own', async () => {
    const log = new PupilReadLog(ds, reader);
    const a = randomUUID();
    await log.record(a, 'attendance');
    await log.record(a, 'behaviourIncidents');
    expect((await rows([a])).map((r: { fields: string[] }) => r.fields)).toEqual([['attendance'], ['behaviourIncidents']]);
  });

  it('fails the read when the record cannot be written', async () => {
    const log = new PupilReadLog(ds, reader);
    await expect(log.record('not-a-uuid', 'attendance')).rejects.toThrow();
  });
});
