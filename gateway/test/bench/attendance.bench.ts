/**
 * npm run bench:attendance — not a test: a school MIS pushes 1,000,000 attendance marks (100
 * batches of 10,000 over 2,000 placements) through the gateway, then the same marks again, and
 * prints marks/s, the rows changed by the second pass (must be 0), the raw COPY speed of the same
 * rows into the same table (for the ratio), and the placement service's peak RSS.
 *
 * It runs its own stack: the placement service as a child process (so its memory is its own) on
 * free ports with a throwaway database, the gateway in this process on port 0; the other subgraphs
 * are not needed by pushAttendance and are not started. Kafka: the configured broker, under a
 * topic namespace of its own (BENCH_KAFKA=off points the relay at a closed port instead, so events
 * wait in the outbox and nothing reaches the shared broker).
 * Settings: BENCH_CONCURRENCY (pushes in flight, default 2), BENCH_PLACEMENTS (2000), BENCH_MARKS (1000000);
 * BENCH_PROFILE=<dir> writes the placement service's CPU profile there (node --cpu-prof; open in Chrome's DevTools);
 * BENCH_NODE_ARGS passes node options to the service: by default --max-old-space-size=192 --max-semi-space-size=32, its heap cap where it is
 * run (infra/start-all.sh, docker-compose.yml); BENCH_NODE_ARGS= (empty) for none.
 * npm run bench:attendance sets NODE_ENV=production, as the Docker image runs the gateway and the services (graphql-js
 * then skips its development-only checks; the service inherits it).
 * Each pass also prints the CPU seconds it took in each process (this one, which is the gateway and
 * the client; the placement service; the PostgreSQL backends of the bench's database): on a shared
 * machine they move less with the load than the wall-clock figures.
 */
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { sampleLaCalendar, today, upnCheckLetter } from '@ap/domain';
import { SERVICE_NAMES } from '@ap/config';
import { clientToken, createTestDatabase } from '@ap/testing';
import { createGateway } from '../../src';

const ROOT = join(__dirname, '..', '..', '..');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const PLACEMENTS = Number(process.env.BENCH_PLACEMENTS ?? 2000);
const TOTAL = Number(process.env.BENCH_MARKS ?? 1_000_000);
const BATCH = 10_000;
const SCHOOL = '100001';
const PUSH = `mutation($input: PushAttendanceInput!) { pushAttendance(input: $input) { accepted updated unchanged rejected { index problems { message } } } }`;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A valid permanent UPN for placement i (LA 865, the real check letter). */
const upnOf = (i: number) => {
  const rest = `865${String(1000 + Math.floor(i / 1000)).slice(-4)}25${String(i % 1000).padStart(3, '0')}`;
  return upnCheckLetter(rest) + rest;
};

/** The child's resident set now and its peak (VmRSS, VmHWM from /proc), in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const TICK = 100; // clock ticks a second (USER_HZ) in /proc/<pid>/stat

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK; // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}

async function main() {
  // The figures, not 200 access-log lines (LOG_LEVEL=info shows them).
  process.env.LOG_LEVEL ??= 'warn';
  const calendar = sampleLaCalendar();
  const perPlacement = Math.floor(TOTAL / PLACEMENTS); // 500: 250 school days × AM and PM
  const days = Array.from({ length: perPlacement / 2 }, (_, k) => calendar.addSchoolDays(today(), -1 - k));
  const start = days[days.length - 1];
  const db = await createTestDatabase('placement');
  const [port, metricsPort] = [await freePort(), await freePort()];
  const kafka = process.env.BENCH_KAFKA === 'off' ? '127.0.0.1:1' : (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '--max-old-space-size=192 --max-semi-space-size=32').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...profile, ...nodeArgs, '--import', 'tsx', join(ROOT, 'services/placement/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PLACEMENT_PORT: String(port),
      PLACEMENT_METRICS_PORT: String(metricsPort),
      PLACEMENT_DATABASE_URL: db.url,
      KAFKA_BROKERS: kafka,
      KAFKA_NAMESPACE: `bench${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: process.env.LOG_LEVEL,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peakSampled = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakSampled = Math.max(peakSampled, memoryOf(child.pid).rss);
  }, 100);
  const url = `http://127.0.0.1:${port}/graphql`;
  const gateway = await (async () => {
    for (let i = 0; i < 600; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      if (child.exitCode !== null) throw new Error(`the placement service exited with ${child.exitCode}`);
      await sleep(100);
    }
    const nowhere = 'http://127.0.0.1:9/graphql'; // not needed by pushAttendance
    return createGateway({
      supergraphSdl: readFileSync(join(ROOT, 'schemas/supergraph.graphql'), 'utf8'),
      port: 0,
      graphiql: false,
      subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((n) => [n, n === 'placement' ? url : nowhere])),
    });
  })();
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    // 2,000 active full-time placements of one school, each with a UPN, started 250 school days ago.
    const timetable = JSON.stringify(['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '15:00' })));
    const upns = Array.from({ length: PLACEMENTS }, (_, i) => upnOf(i));
    const ids: string[] = (
      await pg.query(
        `INSERT INTO placement (id, pupil_id, provider_id, school_urn, home_la_code, status, type, start_date, planned_start_date, timetable, hours_per_week, full_time, sessions_per_week, upn)
         SELECT gen_random_uuid(), gen_random_uuid(), $1, $2, '865', 'ACTIVE', 'SCHOOL_COMMISSIONED', $3, $3, $4::jsonb, 30, true, 10, u
           FROM unnest($5::text[]) WITH ORDINALITY AS t(u, n) ORDER BY n
         RETURNING id`,
        ['7a1d0000-0000-4000-8000-000000000001', SCHOOL, start, timetable, upns],
      )
    ).rows.map((r) => r.id);
    const codeOf = (i: number, d: number, s: number) => {
      const r = (i * 31 + d * 7 + s) % 100;
      return r < 90 ? (s === 0 ? '/' : '\\') : r < 95 ? 'L' : r < 98 ? 'I' : r < 99 ? 'M' : 'N';
    };
    const perBatch = BATCH / perPlacement; // 20 placements a batch
    const batches = Array.from({ length: Math.ceil(PLACEMENTS / perBatch) }, (_, b) =>
      upns.slice(b * perBatch, (b + 1) * perBatch).flatMap((upn, j) =>
        days.flatMap((date, d) => (['AM', 'PM'] as const).map((session, s) => ({ upn, date, session, code: codeOf(b * perBatch + j, d, s) }))),
      ),
    );
    // Serialised once, as a MIS would send them (the client's own work is not what is measured).
    const bodies = batches.map((marks) => JSON.stringify({ query: PUSH, variables: { input: { marks } } }));
    const token = await clientToken('MIS_CLIENT', `school:${SCHOOL}`);
    const marksTotal = batches.reduce((n, b) => n + b.length, 0);
    console.log(
      `seeded ${ids.length} placements; ${batches.length} batches of ${BATCH} marks (${marksTotal} marks, ${(bodies[0].length / 1024).toFixed(0)} kB a body), ${CONCURRENCY} in flight; ` +
        `Kafka: ${kafka}; NODE_ENV=${process.env.NODE_ENV ?? ''}; service node options: ${nodeArgs.join(' ') || 'none'}`,
    );

    // The backends of the bench's database (the service's pool); one that ends during a pass loses its share.
    const backends = async () =>
      (await pg.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows.map((r) => Number(r.pid));
    const cpuNow = async () => ({
      gateway: process.cpuUsage(),
      service: cpuOf(child.pid as number),
      postgres: new Map((await backends()).map((pid) => [pid, cpuOf(pid)])),
    });
    const cpuSince = async (before: Awaited<ReturnType<typeof cpuNow>>) => {
      const after = await cpuNow();
      const used = process.cpuUsage(before.gateway);
      let postgres = 0;
      for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
      return { gateway: (used.user + used.system) / 1e6, service: after.service - before.service, postgres };
    };

    const push = async (label: string) => {
      const cpu = await cpuNow();
      const totals = { accepted: 0, updated: 0, unchanged: 0, rejected: 0 };
      let next = 0;
      const t0 = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++];
            const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
            const json = (await res.json()) as { data?: { pushAttendance: { accepted: number; updated: number; unchanged: number; rejected: unknown[] } }; errors?: unknown };
            if (!json.data) throw new Error(`${label}: HTTP ${res.status} ${JSON.stringify(json.errors)}`);
            const r = json.data.pushAttendance;
            totals.accepted += r.accepted;
            totals.updated += r.updated;
            totals.unchanged += r.unchanged;
            totals.rejected += r.rejected.length;
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(
        `${label.padEnd(40)} ${seconds.toFixed(1)} s   ${Math.round(marksTotal / seconds).toLocaleString('en-GB')} marks/s   ` +
          `accepted ${totals.accepted}, updated ${totals.updated}, unchanged ${totals.unchanged}, rejected ${totals.rejected}; rows changed ${totals.accepted + totals.updated}`,
      );
      const used = await cpuSince(cpu);
      console.log(
        `${''.padEnd(40)} CPU: gateway and client ${used.gateway.toFixed(1)} s, placement service ${used.service.toFixed(1)} s, PostgreSQL ${used.postgres.toFixed(1)} s ` +
          `(${(((used.gateway + used.service + used.postgres) / marksTotal) * BATCH * 1000).toFixed(0)} ms a ${BATCH}-mark push in all)`,
      );
      return marksTotal / seconds;
    };
    const first = await push('first push (every mark new)');
    const daysSql = `SELECT count(*)::int AS events, coalesce(sum(jsonb_array_length(envelope->'payload'->'days')), 0)::int AS days FROM outbox WHERE type = 'attendance.days_summarised'`;
    const summaries = (await pg.query(daysSql)).rows[0] as { events: number; days: number };
    const alerts = Number((await pg.query(`SELECT count(*) FROM absence_alert`)).rows[0].count);
    await push('same marks again (idempotent)');
    const summariesAfter = (await pg.query(daysSql)).rows[0] as { events: number; days: number };
    console.log(
      `events: ${summaries.events} attendance.days_summarised (one per placement and push) carrying ${summaries.days} day summaries, and ${alerts} absence alerts after the first push; ${summariesAfter.events - summaries.events} more after the second`,
    );

    // Raw COPY of the same rows into the same (emptied) table, with its primary key and foreign key.
    const csv = join(tmpdir(), `attendance-bench-${process.pid}.csv`);
    const at = new Date().toISOString();
    const lines: string[] = [];
    batches.forEach((marks, b) =>
      marks.forEach((m, k) => {
        const i = b * perBatch + Math.floor(k / perPlacement);
        lines.push(`${ids[i]},${m.date},${m.session},"${m.code.replace(/"/g, '""')}",MIS,bench,${at}`);
      }),
    );
    writeFileSync(csv, lines.join('\n') + '\n');
    await pg.query(`TRUNCATE attendance_mark`);
    const t0 = process.hrtime.bigint();
    const copied = spawnSync('psql', [db.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy attendance_mark (placement_id, date, session, code, source, recorded_by, recorded_at) FROM '${csv}' WITH (FORMAT csv)`], { encoding: 'utf8' });
    const copySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    unlinkSync(csv);
    if (copied.status !== 0) throw new Error(`COPY failed: ${copied.stderr}`);
    const copyRate = lines.length / copySeconds;
    console.log(`${'raw COPY into attendance_mark (psql)'.padEnd(40)} ${copySeconds.toFixed(1)} s   ${Math.round(copyRate).toLocaleString('en-GB')} marks/s   (${copied.stdout.trim()})`);
    console.log(`end to end / raw COPY: ${((first / copyRate) * 100).toFixed(0)}%`);
    const memory = memoryOf(child.pid as number);
    console.log(`placement service RSS: peak ${Math.max(memory.peak, peakSampled).toFixed(0)} MB (VmHWM), now ${memory.rss.toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await pg.end();
    await gateway.stop();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
