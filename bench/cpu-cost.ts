/**
 * npm run bench:cpu — CPU milliseconds per request of each process of the running stack (from
 * /proc/<pid>/stat, the pids in .run/pids), for the suite's three queries through the gateway and
 * the one-subgraph query direct to referral. On a shared machine wall-clock figures swing with the
 * neighbours' load; CPU time per request mostly does not, so before/after comparisons use this.
 *
 *   npm run bench:cpu -- [--duration 10] [--connections 20] [--only one,direct,three,fifty]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { issueInternalToken } from '@ap/auth';
import { serviceConfig, setting, SERVICE_NAMES } from '@ap/config';
import { bearer, ensureDataset, QUERIES, SCHOOL } from './dataset';
import { gatewayUrl, load, machine, printSetup, printTable, round, ROOT, subgraphUrl } from './lib';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

const TICKS_PER_SECOND = 100;

/** utime + stime of a process and its threads, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function processes(): { name: string; pid: number }[] {
  const dir = join(ROOT, '.run', 'pids');
  if (!existsSync(dir)) throw new Error('No .run/pids: start the stack with npm start first');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => ({ name: f.replace(/\.pid$/, ''), pid: Number(readFileSync(join(dir, f), 'utf8').trim()) }))
    .filter(({ pid }) => existsSync(`/proc/${pid}`));
}

/** The PostgreSQL backends serving each service's database (their CPU is the services' too), by pid. */
async function backends(): Promise<Map<number, string>> {
  const databases = new Map(SERVICE_NAMES.map((name) => [new URL(serviceConfig(name).databaseUrl).pathname.slice(1), name]));
  const admin = new Client({ connectionString: setting('PGADMIN_URL') });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number; datname: string }>('SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY($1)', [[...databases.keys()]]);
    return new Map(rows.map((r) => [r.pid, `pg:${databases.get(r.datname)}`]));
  } finally {
    await admin.end();
  }
}

const safeCpuMs = (pid: number) => (existsSync(`/proc/${pid}`) ? cpuMs(pid) : 0);

async function main() {
  const duration = Number(arg('duration', '10'));
  const connections = Number(arg('connections', '20'));
  const only = arg('only', 'one,direct,three,fifty').split(',');
  const dataset = await ensureDataset();
  const client = await bearer(SCHOOL);
  const internal = { authorization: `Bearer ${await issueInternalToken({ principal: SCHOOL, audience: 'referral', traceId: randomUUID() })}` };
  const runs = [
    { key: 'one', label: 'one subgraph via gateway', url: gatewayUrl(), body: QUERIES.oneSubgraph(dataset.pupilIds[0]), headers: client },
    { key: 'direct', label: 'one subgraph direct to referral', url: subgraphUrl('referral'), body: QUERIES.oneSubgraph(dataset.pupilIds[0]), headers: internal },
    { key: 'three', label: 'three subgraphs via gateway', url: gatewayUrl(), body: QUERIES.threeSubgraphs(dataset.pupilIds[0]), headers: client },
    { key: 'fifty', label: '50 pupils via gateway', url: gatewayUrl(), body: QUERIES.fiftyPupils(), headers: client },
  ].filter((r) => only.includes(r.key));
  const procs = processes();
  printSetup('CPU per request (ms of user + system time per process)', { ...machine(), connections, duration: `${duration} s per query` });
  const rows: Record<string, string | number>[] = [];
  for (const run of runs) {
    await load({ ...run, connections, duration: 2 }); // warm
    const pgBefore = await backends();
    const before = new Map([...procs.map((p) => [p.pid, safeCpuMs(p.pid)] as const), ...[...pgBefore.keys()].map((pid) => [pid, safeCpuMs(pid)] as const)]);
    const r = await load({ ...run, connections, duration });
    const pgAfter = await backends();
    const names = new Map([...procs.map((p) => [p.pid, p.name] as const), ...pgBefore, ...pgAfter]);
    const row: Record<string, string | number> = { query: run.label, requests: r.requests, 'req/s': round(r.rps, 0), failures: r.failures };
    const spent = new Map<string, number>();
    // A backend that came and went during the run is missed; the pools keep theirs open.
    for (const [pid, name] of names) spent.set(name, (spent.get(name) ?? 0) + safeCpuMs(pid) - (before.get(pid) ?? 0));
    let node = 0;
    let pg = 0;
    for (const [name, ms] of [...spent].sort()) {
      const perRequest = ms / Math.max(r.requests, 1);
      if (name.startsWith('pg:')) pg += perRequest;
      else node += perRequest;
      if (ms > 0) row[name] = round(perRequest, 2);
    }
    row['node total'] = round(node, 2);
    row['pg total'] = round(pg, 2);
    rows.push(row);
  }
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
