import { startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { searchSql } from '../src/search';
import { directoryService } from '../src/server';

jest.setTimeout(120_000);

/**
 * The search is one SQL statement answered from indexes: at 10k offers (2,500 providers spread
 * over England, 20 LAs) the plan of a distance search with key stage and need has no sequential scan.
 */
describe('searchProviders plan at 10k offers', () => {
  let service: RunningService;

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(directoryService, { waitForConsumer: false });
    const db = service.dataSource;
    await db.query(`
      INSERT INTO provider (id, name, registration_type, la_code, approval_status, compliance, latitude, longitude)
      SELECT gen_random_uuid(), 'Provider ' || i, 'UNREGISTERED', lpad((800 + i % 20)::text, 3, '0'),
             CASE WHEN i % 5 = 0 THEN 'APPLIED' ELSE 'APPROVED' END,
             (ARRAY['COMPLIANT','ACTION_REQUIRED','NOT_AUDITED','NON_COMPLIANT'])[1 + i % 4],
             50.2 + random() * 5, -5 + random() * 6.5
      FROM generate_series(1, 2500) AS i`);
    await db.query(`
      INSERT INTO offer (id, provider_id, name, key_stages, needs, delivery_modes, sessions_offered, price_per_day, capacity, places_in_use)
      SELECT gen_random_uuid(), p.id, 'Offer ' || k, ARRAY[(ARRAY['KS1','KS2','KS3','KS4','KS5'])[1 + (k + n) % 5]],
             ARRAY[(ARRAY['SEMH','ASD','SLCN','MLD','MEDICAL','OTHER'])[1 + (k * 7 + n) % 6]], ARRAY['ON_SITE'], 10, 80 + (k * 13 + n) % 120, 4, (k + n) % 5
      FROM (SELECT id, row_number() OVER () AS n FROM provider) p, generate_series(1, 4) AS k`);
    await db.query(`ANALYZE provider; ANALYZE offer`);
  });
  afterAll(() => service?.stop());

  const plan = async (sql: string, params: unknown[]) =>
    ((await service.dataSource.query(`EXPLAIN ${sql}`, params)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');

  it('holds 10k offers', async () => {
    expect(Number((await service.dataSource.query(`SELECT count(*) AS n FROM offer`))[0].n)).toBe(10_000);
  });

  it.each([
    ['an LA officer', { kind: 'la', laCode: '805' }],
    ['a school', { kind: 'school', laCode: '805' }],
    ['the public local offer', { kind: 'localOffer', laCode: '805' }],
  ] as const)('uses indexes, not a sequential scan, for %s searching near a point', async (_who, scope) => {
    const { sql, params } = searchSql(scope, { keyStage: 'KS3', need: 'SEMH', hasFreePlaces: true, near: { latitude: 51.35, longitude: -1.99, withinKm: 25 } }, 20, 0);
    const text = await plan(sql, params);
    expect(text).not.toMatch(/Seq Scan/);
    expect(text).toMatch(/provider_location_idx/);
  });
});
