/**
 * Entity batching: the 50-pupil list through the gateway, N times one after another; for each
 * subgraph, the GraphQL requests it received and the SQL statements it ran inside them (its
 * db_statements_total{scope="traced"} on /metrics). The target is one statement per `_entities`
 * call per subgraph, never one per entity; writes the subgraph must make (the pupil access log)
 * are counted too, and shown.
 */
import { SERVICE_NAMES } from '@ap/config';
import { bearer, Dataset, LIST_SIZE, QUERIES, SCHOOL } from './dataset';
import { gatewayUrl, machine, post, printSetup, printTable, round } from './lib';
import { scrape, sumCounter } from './metrics';

const REPEATS = 20;

async function snapshot() {
  const out: Record<string, { requests: number; statements: number }> = {};
  for (const name of SERVICE_NAMES) {
    const text = await scrape(name);
    out[name] = { requests: sumCounter(text, 'http_requests_total', { route: 'graphql' }), statements: sumCounter(text, 'db_statements_total', { scope: 'traced' }) };
  }
  return out;
}

export async function batching(dataset: Dataset) {
  const setup = { ...machine(), query: `reviewsDue(first: ${LIST_SIZE}) → pupil { upn placements { status provider { name compliance } } }`, repeats: REPEATS, dataset: `${dataset.pupilIds.length} pupils` };
  printSetup('Entity batching: SQL statements per subgraph request', setup);
  const headers = await bearer(SCHOOL);
  const body = QUERIES.fiftyPupils();
  const first = await post(gatewayUrl(), body, headers);
  const listed = first.reviewsDue.reviews.length as number;
  // Events being applied also count as traced statements: wait (up to 15 s) until a second passes without any.
  let before = await snapshot();
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await snapshot();
    const quiet = SERVICE_NAMES.every((n) => now[n].statements === before[n].statements);
    before = now;
    if (quiet) break;
  }
  for (let i = 0; i < REPEATS; i++) await post(gatewayUrl(), body, headers);
  const after = await snapshot();
  const rows = SERVICE_NAMES.map((name) => {
    const requests = after[name].requests - before[name].requests;
    const statements = after[name].statements - before[name].statements;
    return {
      subgraph: name,
      'requests per query': round(requests / REPEATS),
      'statements per query': round(statements / REPEATS),
      'statements per request': requests ? round(statements / requests) : 0,
    };
  }).filter((r) => r['requests per query'] > 0);
  console.log(`  pupils listed per query: ${listed}`);
  printTable(rows);
  console.log('  (a subgraph request is the root fetch or an `_entities` call; statements include BEGIN/COMMIT and the pupil access log)');
  return { setup, listed, rows };
}
