import { startTestService, useKafkaNamespace } from '@ap/testing';
import type { RunningService } from '@ap/subgraph';
import { searchSql } from '../src/search';
import { directoryService } from '../src/server';

jest.setTimeout(120_000);

/**
 * The search is one SQL statement answered from indexes: at 10k offers (2,500 providers spread
 * over England, 20 LAs) the plan of a distance search with key stage and need, and of a free-text
 * search over provider and offer names, has no sequential scan.
 */
describe('searchProviders plan at 10k offers', () => {
  let service: RunningService;

  beforeAll(async () => {
    useKafkaNamespace();
    service = await startTestService(directoryService, { waitForConsumer: false });
    const db = service.dataSource;
    await db.query(`
      INSERT INTO provider (id, name, registration_type, la_code, approval_status, compliance, latitude, longitude)
      SELECT gen_random_uuid(),
             (ARRAY['Horizons','Pathways','Bridge','Phoenix','Oakwood','Willow','Riverside','Compass','Beacon','Harbour'])[1 + i % 10] || ' '
               || (ARRAY['Centre','Academy','Learning','Project','Hub'])[1 + (i / 10) % 5] || ' ' || i, 'UNREGISTERED', lpad((800 + i % 20)::text, 3, '0'),
             CASE WHEN i % 5 = 0 THEN 'APPLIED' ELSE 'APPROVED' END,
             (ARRAY['COMPLIANT','ACTION_REQUIRED','NOT_AUDITED','NON_COMPLIANT'])[1 + i % 4],
             50.2 + random() * 5, -5 + random() * 6.5
      FROM generate_series(1, 2500) AS i`);
    await db.query(`
      INSERT INTO offer (id, provider_id, name, key_stages, needs, delivery_modes, sessions_offered, price_per_day, capacity, places_in_use)
      SELECT gen_random_uuid(), p.id, (ARRAY['Forest school','Construction','Hair and beauty','Catering','Motor vehicle','Music'])[1 + (k + n) % 6] || ' ' || n, ARRAY[(ARRAY['KS1','KS2','KS3','KS4','KS5'])[1 + (k + n) % 5]],
             ARRAY[(ARRAY['SEMH','ASD','SLCN','MLD','MEDICAL','OTHER'])[1 + (k * 7 + n) % 6]], ARRAY['ON_SITE'], 10, 80 + (k * 13 + n) % 120, 4, (k + n) % 5
      FROM (SELECT id, row_number() OVER () AS n FROM provider) p, generate_series(1, 4) AS k`);
    // VACUUM too: a GIN index costs itself from the statistics in its metapage, which VACUUM keeps (autovacuum, in service).
    await db.query(`VACUUM ANALYZE provider`);
    await db.query(`VACUUM ANALYZE offer`);
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

  it.each([
    ['an LA officer', '1234', { kind: 'la', laCode: '805' }],
    ['a school', '1999', { kind: 'school', laCode: '805' }],
    ['the public local offer', '2015', { kind: 'localOffer', laCode: '805' }],
  ] as const)('finds free text from the trigram indexes of both names, with no sequential scan, for %s searching "%s"', async (_who, words, scope) => {
    const { sql, params } = searchSql(scope, { text: words }, 20, 0);
    const text = await plan(sql, params);
    expect(text).not.toMatch(/Seq Scan/);
    expect(text).toMatch(/provider_name_trgm_idx/);
    expect(text).toMatch(/offer_name_trgm_idx/);
  });

  // A longer phrase has more trigrams, each costed by the planner: it then reads the 2,500 providers
  // (cheaper than their index) but never the 10k offers.
  it.each([
    ['an LA officer', 'Motor vehicle 77', { kind: 'la', laCode: '805' }],
    ['a school', 'catering 1999', { kind: 'school', laCode: '805' }],
    ['the public local offer', 'Phoenix Hub 1234', { kind: 'localOffer', laCode: '805' }],
  ] as const)('finds a phrase from the offers’ trigram index, never a scan of the 10k offers, for %s searching "%s"', async (_who, words, scope) => {
    const { sql, params } = searchSql(scope, { text: words }, 20, 0);
    const text = await plan(sql, params);
    expect(text).not.toMatch(/Seq Scan on offer/);
    expect(text).toMatch(/offer_name_trgm_idx/);
  });

  it('answers free text as before: a provider by its name with all its open offers, or by an offer’s name with that offer', async () => {
    const run = async (words: string) => {
      const { sql, params } = searchSql({ kind: 'la', laCode: '800' }, { text: words }, 100, 0);
      return (await service.dataSource.query(sql, params)) as { id: string; offer_ids: string[] }[];
    };
    const [{ id: providerId, name }] = await service.dataSource.query(`SELECT id, name FROM provider WHERE name LIKE '% 1240'`);
    const byName = await run(name.toLowerCase());
    expect(byName.map((r) => r.id)).toEqual([providerId]);
    expect(byName[0].offer_ids).toHaveLength(4);
    const [offer] = await service.dataSource.query(`SELECT id, provider_id, name FROM offer WHERE provider_id = $1 ORDER BY name LIMIT 1`, [providerId]);
    const byOffer = await run(offer.name.toUpperCase());
    expect(byOffer.find((r) => r.id === providerId)?.offer_ids).toEqual([offer.id]);
  });
});
