import { randomUUID } from 'node:crypto';
import { PupilReadLog, statementsSent } from '@ap/db';
import { pupilReaderOf } from '@ap/auth';
import { withTrace } from '@ap/logger';
import { principal, startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { referralService } from '../src/server';

describe('the pupil access log, written in batches', () => {
  let service: RunningService;
  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(referralService, { waitForConsumer: false });
  });
  afterAll(() => service?.stop());

  const rowsOf = (traceId: string) =>
    service.dataSource.query(`SELECT pupil_id, user_id, role, organisation, fields FROM pupil_access_log WHERE trace_id = $1 ORDER BY pupil_id`, [traceId]);

  it('records 50 pupils read by one request and those of another request at the same moment in one statement, a row per pupil and request', async () => {
    const pupils = Array.from({ length: 50 }, () => randomUUID()).sort();
    const a = { principal: principal('SCHOOL_USER', 'school:100001', 'reader-a'), traceId: `a-${randomUUID()}`, viaGateway: true };
    const b = { principal: principal('LA_ADMIN', 'la:865', 'reader-b'), traceId: `b-${randomUUID()}`, viaGateway: true };
    const before = statementsSent(service.dataSource).traced;
    await withTrace('batch', async () => {
      const logA = new PupilReadLog(service.dataSource, pupilReaderOf(a));
      const logB = new PupilReadLog(service.dataSource, pupilReaderOf(b));
      // As the resolvers do: each identifying field of each pupil, in one pass.
      await Promise.all([
        ...pupils.flatMap((id) => [logA.record(id, 'upn'), logA.record(id, 'givenName')]),
        logB.record(pupils[0], 'dateOfBirth'),
      ]);
    });
    expect(statementsSent(service.dataSource).traced - before).toBe(1);
    const rowsA = await rowsOf(a.traceId);
    expect(rowsA).toHaveLength(50);
    expect(rowsA.map((r: { pupil_id: string }) => r.pupil_id)).toEqual(pupils);
    expect(rowsA[0]).toMatchObject({ user_id: 'reader-a', role: 'SCHOOL_USER', organisation: 'school:100001', fields: ['givenName', 'upn'] });
    expect(await rowsOf(b.traceId)).toEqual([{ pupil_id: pupils[0], user_id: 'reader-b', role: 'LA_ADMIN', organisation: 'la:865', fields: ['dateOfBirth'] }]);
  });

  it('refuses the read whose row cannot be written, and still writes the others of its batch', async () => {
    const ctx = { principal: principal('SCHOOL_USER', 'school:100001'), traceId: `c-${randomUUID()}`, viaGateway: true };
    const log = new PupilReadLog(service.dataSource, pupilReaderOf(ctx));
    const good = randomUUID();
    const [bad, fine] = await Promise.allSettled([log.record('not-a-uuid', 'upn'), log.record(good, 'upn')]);
    expect(bad.status).toBe('rejected');
    expect(fine.status).toBe('fulfilled');
    expect((await rowsOf(ctx.traceId)).map((r: { pupil_id: string }) => r.pupil_id)).toEqual([good]);
  });
});
