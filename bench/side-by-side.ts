/**
 * Our gateway and Hive Gateway side by side: the same supergraph, the same running subgraphs,
 * the same token work, the same three queries, alternating in one run. Hive Gateway is installed
 * into bench/hive on first use (it is large, and not a dependency of the product).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@ap/config';
import { bearer, Dataset, QUERIES, SCHOOL } from './dataset';
import { BenchArgs, gatewayUrl, GraphQLBody, load, LoadResult, machine, post, printSetup, printTable, ROOT, round, version } from './lib';
import { subgraphRequests } from './metrics';

const HIVE_DIR = join(ROOT, 'bench', 'hive');

function ensureHive(): void {
  if (existsSync(join(HIVE_DIR, 'node_modules', '@graphql-hive', 'gateway', 'package.json'))) return;
  console.log('installing @graphql-hive/gateway into bench/hive (first run only) ...');
  execFileSync('npm', ['install', '--prefix', HIVE_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
}

function startHive(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HIVE_DIR, 'serve.ts')], {
    cwd: ROOT,
    env: { ...process.env, HIVE_PORT: '0', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Hive Gateway did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`Hive Gateway exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /hive listening (\d+)/.exec(chunk.toString());
      if (m) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}/graphql`, child });
      }
    });
  });
}

interface Run extends LoadResult {
  gateway: 'ours' | 'hive';
  subgraphRequestsPerRequest: number;
}

export async function sideBySide(args: BenchArgs, dataset: Dataset) {
  ensureHive();
  const hive = await startHive();
  try {
    const setup = {
      ...machine(),
      ours: `@apollo/gateway ${version('@apollo/gateway')} (gateway/)`,
      hive: `@graphql-hive/gateway ${version('@graphql-hive/gateway', HIVE_DIR)} (bench/hive/serve.ts; deduplicateInflightRequests: false)`,
      connections: args.connections,
      rounds: `${args.rounds} per query, alternating which goes first, ${args.duration} s each`,
      dataset: `${dataset.pupilIds.length} pupils with placements at one provider`,
    };
    printSetup('Side by side: our gateway vs Hive Gateway', setup);
    const headers = await bearer(SCHOOL);
    const queries: [string, GraphQLBody][] = [
      ['one subgraph', QUERIES.oneSubgraph(dataset.pupilIds[0])],
      ['three subgraphs', QUERIES.threeSubgraphs(dataset.pupilIds[0])],
      ['50 pupils', QUERIES.fiftyPupils()],
    ];
    const urls = { ours: gatewayUrl(), hive: hive.url };
    const rows: Record<string, string | number>[] = [];
    const runs: Record<string, Run[]> = {};
    for (const [label, body] of queries) {
      // Both must give the same answer before either is timed.
      const [a, b] = [await post(urls.ours, body, headers), await post(urls.hive, body, headers)];
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${label}: the gateways answer differently:\n${JSON.stringify(a).slice(0, 400)}\n${JSON.stringify(b).slice(0, 400)}`);
      for (const g of ['ours', 'hive'] as const) await load({ url: urls[g], body, headers, connections: args.connections, duration: 2 });
      runs[label] = [];
      for (let r = 0; r < args.rounds; r++) {
        for (const g of r % 2 === 0 ? (['ours', 'hive'] as const) : (['hive', 'ours'] as const)) {
          const before = await subgraphRequests();
          const res = await load({ url: urls[g], body, headers, connections: args.connections, duration: args.duration });
          const after = await subgraphRequests();
          const fetched = SERVICE_NAMES.reduce((n, s) => n + after[s] - before[s], 0);
          runs[label].push({ gateway: g, ...res, subgraphRequestsPerRequest: round(fetched / Math.max(res.requests, 1)) });
        }
      }
      const of = (g: 'ours' | 'hive') => runs[label].filter((x) => x.gateway === g);
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const o = of('ours');
      const h = of('hive');
      rows.push({
        query: label,
        'ours req/s': round(mean(o.map((x) => x.rps)), 0),
        'ours p50': mean(o.map((x) => x.p50)),
        'ours p99': mean(o.map((x) => x.p99)),
        'hive req/s': round(mean(h.map((x) => x.rps)), 0),
        'hive p50': mean(h.map((x) => x.p50)),
        'hive p99': mean(h.map((x) => x.p99)),
        'req/s ours/hive': round(mean(o.map((x) => x.rps)) / mean(h.map((x) => x.rps))),
        'subgraph calls/req ours': mean(o.map((x) => x.subgraphRequestsPerRequest)),
        'subgraph calls/req hive': mean(h.map((x) => x.subgraphRequestsPerRequest)),
        failures: [...o, ...h].reduce((n, x) => n + x.failures, 0),
      });
    }
    printTable(rows);
    console.log('  (latencies in ms, means over the rounds; "subgraph calls/req" checks that neither gateway shares answers between requests)');
    return { setup, rows, runs };
  } finally {
    hive.child.kill('SIGTERM');
  }
}
