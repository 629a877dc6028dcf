/**
 * npm run bench:directory — not a test: starts the whole stack on port 0 (throwaway databases, the
 * configured Kafka), seeds 10k offers (2,500 providers over southern England, 20 LAs), then times
 * searchProviders through the gateway as a school and as an LA officer, and the anonymous local
 * offer, printing p50/p95 of each.
 */
import 'reflect-metadata';
import { clientToken, graphql } from '@ap/testing';
import { startStack } from '../e2e/stack';
import { timeSequential } from '../../../bench/lib';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const SEARCH = `query($f: ProviderSearchFilter) { searchProviders(filter: $f, first: 20) { totalCount edges { distanceKm node { id name } offers { id name freePlaces pricePerDay } } } }`;
const LOCAL = `query($f: LocalOfferFilter) { localOffer(laCode: "805", filter: $f, first: 20) { totalCount edges { node { name } offers { name freePlaces } } } }`;


const time = (label: string, run: (i: number) => Promise<{ errors?: unknown[] }>) => timeSequential(label, RUNS, run, 58);

async function main() {
  const stack = await startStack();
  try {
    const db = stack.services.directory.dataSource;
    await db.query(`
      INSERT INTO provider (id, name, registration_type, la_code, approval_status, compliance, latitude, longitude)
      SELECT gen_random_uuid(), 'Provider ' || i, 'UNREGISTERED', lpad((800 + i % 20)::text, 3, '0'),
             CASE WHEN i % 5 = 0 THEN 'APPLIED' ELSE 'APPROVED' END,
             (ARRAY['COMPLIANT','ACTION_REQUIRED','NOT_AUDITED','NON_COMPLIANT'])[1 + i % 4],
             50.2 + random() * 2.5, -5 + random() * 6.5
      FROM generate_series(1, 2500) AS i`);
    await db.query(`
      INSERT INTO offer (id, provider_id, name, key_stages, needs, delivery_modes, sessions_offered, price_per_day, capacity, places_in_use)
      SELECT gen_random_uuid(), p.id, 'Offer ' || k, ARRAY[(ARRAY['KS1','KS2','KS3','KS4','KS5'])[1 + (k + n) % 5]],
             ARRAY[(ARRAY['SEMH','ASD','SLCN','MLD','MEDICAL','OTHER'])[1 + (k * 7 + n) % 6]], ARRAY['ON_SITE'], 10, 80 + (k * 13 + n) % 120, 4, (k + n) % 5
      FROM (SELECT id, row_number() OVER () AS n FROM provider) p, generate_series(1, 4) AS k`);
    await db.query(`ANALYZE provider; ANALYZE offer`);
    const offers = Number((await db.query(`SELECT count(*) AS n FROM offer`))[0].n);
    console.log(`seeded ${offers} offers of 2500 providers`);
    const url = stack.gateway.url;
    const school = await clientToken('SCHOOL_USER', 'school:100001');
    const officer = await clientToken('LA_OFFICER', 'la:805');
    const point = (i: number) => ({ latitude: 50.6 + (i % 10) * 0.15, longitude: -4 + (i % 13) * 0.35 });
    await time('school: KS3 + SEMH + free places within 25 km', (i) =>
      graphql(url, SEARCH, { f: { keyStage: 'KS3', need: 'SEMH', hasFreePlaces: true, near: { ...point(i), withinKm: 25 } } }, { token: school }));
    await time('LA officer: within 50 km, max £150/day', (i) => graphql(url, SEARCH, { f: { maxPricePerDay: 150, near: { ...point(i), withinKm: 50 } } }, { token: officer }));
    await time('LA officer: KS4, no distance (whole directory)', () => graphql(url, SEARCH, { f: { keyStage: 'KS4' } }, { token: officer }));
    await time('anonymous local offer of LA 805, KS3', () => graphql(url, LOCAL, { f: { keyStage: 'KS3' } }));
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
