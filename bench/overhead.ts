/**
 * Gateway overhead: the one-subgraph query sent straight to its subgraph (referral, with an
 * internal token minted as the gateway would) and through the gateway, at 1, 10 and 50
 * connections; then the three-subgraph query through the gateway at 50 connections.
 */
import { issueInternalToken } from '@ap/auth';
import { randomUUID } from 'node:crypto';
import { bearer, Dataset, QUERIES, SCHOOL } from './dataset';
import { BenchArgs, gatewayUrl, load, machine, post, printSetup, printTable, round, subgraphUrl, version } from './lib';

export async function overhead(args: BenchArgs, dataset: Dataset) {
  const setup = {
    ...machine(),
    '@apollo/gateway': version('@apollo/gateway'),
    '@apollo/server': version("@apollo/server"),
    query: 'pupil(id) { upn referrals { status day6Deadline } } (referral subgraph only)',
    dataset: `${dataset.pupilIds.length} bench pupils with placements; one pupil read per request`,
    loadGenerator: `autocannon ${version('autocannon')}, ${args.duration} s per run, keep-alive, 127.0.0.1`,
  };
  printSetup('Gateway overhead (direct to the subgraph vs through the gateway)', setup);
  const body = QUERIES.oneSubgraph(dataset.pupilIds[0]);
  const client = await bearer(SCHOOL);
  const direct = subgraphUrl('referral');
  // Minted per run (valid 60 s, longer than a run), as the gateway mints one per subgraph request.
  const internal = async () => ({ authorization: `Bearer ${await issueInternalToken({ principal: SCHOOL, audience: 'referral', traceId: randomUUID() })}` });
  await post(direct, body, await internal());
  await post(gatewayUrl(), body, client);
  // Warm both (JIT, pools, plan cache).
  await load({ url: direct, body, headers: await internal(), connections: 10, duration: 2 });
  await load({ url: gatewayUrl(), body, headers: client, connections: 10, duration: 2 });

  const rows: Record<string, string | number>[] = [];
  for (const connections of [1, 10, 50]) {
    const d = await load({ url: direct, body, headers: await internal(), connections, duration: args.duration });
    const g = await load({ url: gatewayUrl(), body, headers: client, connections, duration: args.duration });
    rows.push({
      connections,
      'direct req/s': round(d.rps, 0),
      'direct p50 ms': d.p50,
      'direct p99 ms': d.p99,
      'gateway req/s': round(g.rps, 0),
      'gateway p50 ms': g.p50,
      'gateway p99 ms': g.p99,
      'p50 gateway/direct': round(g.p50 / Math.max(d.p50, 0.5)),
      'req/s gateway/direct': round(g.rps / d.rps),
      failures: d.failures + g.failures,
    });
  }
  printTable(rows);

  const three = QUERIES.threeSubgraphs(dataset.pupilIds[0]);
  await post(gatewayUrl(), three, client);
  const t = await load({ url: gatewayUrl(), body: three, headers: client, connections: 50, duration: args.duration });
  const threeRow = { query: 'three subgraphs (README pupil query)', connections: 50, 'req/s': round(t.rps, 0), 'p50 ms': t.p50, 'p99 ms': t.p99, failures: t.failures };
  printTable([threeRow]);
  return { setup, rows, threeSubgraphsAt50: threeRow };
}
