/**
 * npm run bench:profile — a CPU profile of the gateway under load. Starts a second gateway (as
 * `npm start` runs it: the compiled dist/ when built, else tsx) with --cpu-prof on
 * GATEWAY_PORT + 10, against the running subgraphs; loads it with the three-subgraph query for
 * --duration seconds (default 15) at 20 connections; stops it and summarises the profile: the
 * functions with the most self time, and the same by package. Writes bench/profile/<label>.*
 * (--label, default "latest"): the .cpuprofile (open it in Chrome DevTools or speedscope.app),
 * the folded stacks (flamegraph.pl / speedscope) and the summary.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setting } from '@ap/config';
import { bearer, ensureDataset, QUERIES, SCHOOL } from './dataset';
import { load, post, ROOT } from './lib';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

function where(url: string): string {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node';
  const rel = url.replace(/^file:\/\//, '').replace(ROOT + '/', '');
  return rel.split('/').slice(0, 2).join('/');
}

export function summarise(profile: Profile, top = 30): { text: string; folded: string } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const folded = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url && !f.url.includes('node_modules') ? `:${f.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byPackage.set(where(f.url), (byPackage.get(where(f.url)) ?? 0) + us);
    const stack: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const c = byId.get(cur)!.callFrame;
      stack.unshift(`${c.functionName || '(anonymous)'} (${where(c.url)})`);
    }
    const line = stack.join(';');
    folded.set(line, (folded.get(line) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const lines = [`total sampled: ${(total / 1e6).toFixed(1)} s of CPU`, '', 'self time by function:'];
  for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${k}`);
  lines.push('', 'self time by package / folder:');
  for (const [k, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  ${pct(us)}  ${k}`);
  return { text: lines.join('\n'), folded: [...folded].map(([s, us]) => `${s} ${Math.round(us)}`).join('\n') };
}

async function main() {
  const label = arg('label', 'latest');
  const duration = Number(arg('duration', '15'));
  const port = Number(setting('GATEWAY_PORT')) + 10;
  const metricsPort = Number(setting('GATEWAY_METRICS_PORT')) + 10;
  const dataset = await ensureDataset();
  const outDir = join(ROOT, 'bench', 'profile');
  const tmp = join(ROOT, '.run', 'cpu-prof');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  const compiled = join(ROOT, 'dist', 'gateway', 'src', 'main.js');
  const entry = existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(ROOT, 'gateway', 'src', 'main.ts')];
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', tmp, ...entry], {
    cwd: ROOT,
    env: { ...process.env, GATEWAY_PORT: String(port), GATEWAY_METRICS_PORT: String(metricsPort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const headers = await bearer(SCHOOL);
  const body = QUERIES.threeSubgraphs(dataset.pupilIds[0]);
  for (let i = 0; ; i++) {
    try {
      await post(url, body, headers);
      break;
    } catch (e) {
      if (i > 60) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  console.log(`profiling ${existsSync(compiled) ? 'dist/ (compiled)' : 'tsx'} gateway on ${url} for ${duration} s at 20 connections`);
  const result = await load({ url, body, headers, connections: 20, duration });
  console.log(`  ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms (under the profiler)`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const file = readdirSync(tmp).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('the gateway wrote no profile');
  const profile = JSON.parse(readFileSync(join(tmp, file), 'utf8')) as Profile;
  const { text, folded } = summarise(profile);
  renameSync(join(tmp, file), join(outDir, `${label}.cpuprofile`));
  writeFileSync(join(outDir, `${label}.folded`), folded);
  writeFileSync(join(outDir, `${label}.txt`), `${new Date().toISOString()} three-subgraph query, 20 connections, ${duration} s: ${Math.round(result.rps)} req/s under the profiler\n\n${text}\n`);
  console.log(text);
}

/** `bench/profile.ts --summarise a.cpuprofile ...`: the summary of profiles taken by hand (a subgraph's, say). */
async function summariseFiles(files: string[]) {
  for (const file of files) {
    console.log(`== ${file}`);
    console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile).text);
  }
}

const summariseAt = process.argv.indexOf('--summarise');
(summariseAt >= 0 ? summariseFiles(process.argv.slice(summariseAt + 1)) : main()).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
