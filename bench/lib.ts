/**
 * What every part of the bench shares: where the stack is (the same settings as `npm start`:
 * infra/stack.env, overridden by the environment), a bounded load run with autocannon, the
 * machine's description and a plain table printer.
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { serviceConfig, ServiceName, setting } from '@ap/config';

export const ROOT = join(__dirname, '..');

export interface BenchArgs {
  /** Seconds of load per measured run. */
  duration: number;
  /** Parts to run (all when empty). */
  only: string[];
  json?: string;
  /** Rounds per query in the side-by-side comparison. */
  rounds: number;
  /** Connections in the side-by-side comparison. */
  connections: number;
}

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { duration: 10, only: [], rounds: 2, connections: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') args.json = value();
    else if (a === '--duration') args.duration = Number(value());
    else if (a === '--only') args.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--rounds') args.rounds = Number(value());
    else if (a === '--connections') args.connections = Number(value());
    else if (a === '--help' || a === '-h') {
      console.log('npm run bench -- [--only overhead,side-by-side,batching,events,domain] [--duration 10] [--rounds 2] [--connections 20] [--json out.json]');
      process.exit(0);
    } else throw new Error(`Unknown argument ${a}; see --help`);
  }
  if (!(args.duration > 0)) throw new Error('--duration must be a positive number of seconds');
  return args;
}

export const gatewayUrl = () => `http://127.0.0.1:${setting('GATEWAY_PORT')}/graphql`;
export const subgraphUrl = (name: ServiceName) => serviceConfig(name).url;
export const metricsUrl = (name: ServiceName) => `http://127.0.0.1:${serviceConfig(name).metricsPort}/metrics`;

/** A package's installed version, read from its folder (some packages' exports hide package.json). */
export function version(pkg: string, from = ROOT): string {
  try {
    return (JSON.parse(readFileSync(join(from, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** The machine, as each part prints it first. */
export function machine(): Record<string, string | number> {
  const c = cpus();
  return {
    date: new Date().toISOString(),
    cores: c.length,
    cpu: c[0]?.model ?? '?',
    node: process.version,
    loadavg1m: Number(loadavg()[0].toFixed(2)),
  };
}

export function printSetup(title: string, setup: Record<string, unknown>): void {
  console.log(`\n== ${title} ==`);
  for (const [k, v] of Object.entries(setup)) console.log(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
}

export function printTable(rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? ''));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => '  ' + vals.map((v, i) => v.padEnd(widths[i])).join('  ');
  console.log(line(cols));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

/** One request, checked: a bench of error answers would measure nothing. */
export async function post<T = any>(url: string, body: GraphQLBody, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: { data?: T; errors?: { message: string }[] };
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${res.status} with: ${text.slice(0, 300)}`);
  }
  if (!res.ok || json.errors?.length) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json.errors ?? text).slice(0, 500)}`);
  return json.data as T;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /**
   * Answers that were not the expected one (a non-2xx, a socket error, a timeout, or a body other
   * than the one checked before the run: a 200 carrying `errors` counts), so each run must have none.
   */
  failures: number;
}

/**
 * Closed-loop load from `connections` keep-alive connections for `duration` seconds. The answer is
 * checked once first (no `errors`), and every answer under load must be byte for byte that one.
 */
export async function load(opts: { url: string; body: GraphQLBody; headers?: Record<string, string>; connections: number; duration: number }): Promise<LoadResult> {
  await post(opts.url, opts.body, opts.headers);
  const expected = await (await fetch(opts.url, { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: JSON.stringify(opts.body) })).text();
  const result = await autocannon({
    expectBody: expected,
    url: opts.url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.duration,
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify(opts.body),
    timeout: 30,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts + result.mismatches,
  };
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));
export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/**
 * Times one request RUNS times, one at a time after 10 warm-up runs (plans, pools, caches), and
 * prints its p50 and p95; a request answered with errors stops the benchmark.
 */
export async function timeSequential(label: string, runs: number, run: (i: number) => Promise<{ errors?: unknown[] }>, labelWidth = 58): Promise<void> {
  for (let i = 0; i < 10; i++) await run(i);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const res = await run(i);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (res.errors) throw new Error(`${label}: ${JSON.stringify(res.errors)}`);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(labelWidth)} p50 ${percentile(ms, 50).toFixed(1)} ms   p95 ${percentile(ms, 95).toFixed(1)} ms   (${runs} runs)`);
}
