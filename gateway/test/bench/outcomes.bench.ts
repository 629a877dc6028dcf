/**
 * npm run bench:outcomes — not a test. Starts the whole stack on port 0 (throwaway databases, its
 * own ports; the configured Kafka), seeds the outcomes read model by COPY (psql \copy, with a
 * progress bar): 100,000 placements and 20,000,000 attendance-day session totals across 2 LAs,
 * with their monthly roll-ups, per-placement totals and the dashboards' summary as the consumer
 * keeps them. Then, through the gateway, prints p50/p95 of apOutcomes grouped by provider for an
 * LA (LA officer) and of outcomeRows pages (analyst), and the CSV export's rows/s and peak memory.
 *
 *   npm run bench:outcomes                                   # 100k placements, 20M session totals
 *   npm run bench:outcomes -- --placements=20000 --sessions=2000000   # smaller, for a busy machine
 *   BENCH_CSV_ROWS=100000,1000000 npm run bench:outcomes     # and the CSV export at 100k and 1M rows,
 *                                                            # gateway and outcomes in processes of their own
 *                                                            # (BENCH_PORT_BASE=N: their ports N…N+3)
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { academicYearLabel, addDays, isWeekend } from '@ap/domain';
import { newEvent } from '@ap/events';
import { clientToken, graphql, internalToken, principal } from '@ap/testing';
import { apOutcomes } from '../../../services/outcomes/src/figures';
import { attendanceDaySummarised } from '../../../services/outcomes/src/read-model';
import { rebuildSummary } from '../../../services/outcomes/src/summary';
import type { OutcomesContext } from '../../../services/outcomes/src/context';
import { startStack } from '../e2e/stack';
import { percentile, timeSequential } from '../../../bench/lib';

const arg = (name: string, fallback: number) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
};
const PLACEMENTS = arg('placements', 100_000);
const SESSIONS = arg('sessions', 20_000_000);
const DAYS_PER_PLACEMENT = Math.max(1, Math.round(SESSIONS / PLACEMENTS));
const RUNS = arg('runs', 100);
const LAS = ['865', '344'];
/** BENCH_CSV_ROWS=100000,1000000: also stream the CSV export of LA 865 grown to each size, through a gateway and an outcomes service of their own processes. */
const CSV_ROWS = (process.env.BENCH_CSV_ROWS ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);

const fmt = (n: number) => n.toLocaleString('en-GB');

function progress(label: string, done: number, total: number, started: number) {
  const width = 30;
  const share = Math.min(1, done / total);
  const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
  process.stderr.write(`\r${label.padEnd(22)} [${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${(share * 100).toFixed(0).padStart(3)}% ${fmt(done)} / ${fmt(total)} rows, ${fmt(Math.round(rate))} rows/s   `);
  if (done >= total) process.stderr.write('\n');
}

/** Reads a CSV export to its end as a BI tool would, counting lines and bytes without keeping them. */
async function streamCsv(url: string, token: string): Promise<{ lines: number; bytes: number; seconds: number }> {
  const t = Date.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`CSV export answered ${res.status}: ${await res.text()}`);
  let lines = 0;
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) lines++;
  }
  return { lines, bytes, seconds: (Date.now() - t) / 1000 };
}

/** COPY rows into a table through psql's \copy, from a generator of CSV lines, with back-pressure and a progress bar. */
async function copy(url: string, table: string, columns: string[], total: number, lines: () => Generator<string>) {
  const psql = spawn('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table} (${columns.join(', ')}) FROM pstdin WITH (FORMAT csv)`], { stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<number>((resolve) => psql.on('exit', (code) => resolve(code ?? 1)));
  const started = Date.now();
  let done = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const ok = psql.stdin.write(batch.join(''));
    batch = [];
    if (!ok) await new Promise((resolve) => psql.stdin.once('drain', resolve));
  };
  for (const line of lines()) {
    batch.push(line);
    if (++done % 20_000 === 0) {
      await flush();
      if (done % 200_000 === 0) progress(table, done, total, started);
    }
  }
  await flush();
  psql.stdin.end();
  if ((await exited) !== 0) throw new Error(`COPY into ${table} failed`);
  progress(table, done, total, started);
}

const time = (label: string, run: (i: number) => Promise<{ errors?: unknown[] }>) => timeSequential(label, RUNS, run, 62);

/** A small deterministic generator, so every run seeds the same shape. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

interface Seeded {
  id: string;
  la: string;
  startedOn: string;
  fullTime: boolean;
  propensity: number;
  possible: number;
  attended: number;
  authorised: number;
  unauthorised: number;
  lastMark: string | null;
}

async function main() {
  console.log(`seeding ${fmt(PLACEMENTS)} placements × ${DAYS_PER_PLACEMENT} school days = ${fmt(PLACEMENTS * DAYS_PER_PLACEMENT)} attendance-day session totals, 2 LAs`);
  const stack = await startStack();
  try {
    const db = stack.services.outcomes.dataSource;
    const url = (db.options as { url: string }).url;
    const random = rng(13);
    const providers = LAS.map(() => Array.from({ length: 100 }, () => randomUUID()));
    const schools = LAS.map((_, l) => Array.from({ length: 150 }, (_, k) => String(100000 + l * 1000 + k)));
    const firstDay = '2024-09-02';
    const placements: Seeded[] = Array.from({ length: PLACEMENTS }, (_, i) => {
      let startedOn = addDays(firstDay, Math.floor(random() * 280));
      while (isWeekend(startedOn)) startedOn = addDays(startedOn, 1);
      return { id: randomUUID(), la: LAS[i % 2], startedOn, fullTime: random() < 0.85, propensity: 0.5 + random() * 0.5, possible: 0, attended: 0, authorised: 0, unauthorised: 0, lastMark: null };
    });

    const t0 = Date.now();
    await db.query(`ALTER TABLE outcome_attendance_day DROP CONSTRAINT outcome_attendance_day_pkey`);
    const months = new Map<string, number[]>();
    await copy(url, 'outcome_attendance_day', ['placement_id', 'date', 'possible', 'attended', 'authorised', 'unauthorised', 'as_of'], PLACEMENTS * DAYS_PER_PLACEMENT, function* () {
      for (const p of placements) {
        const perMonth = new Map<string, number[]>();
        let date = p.startedOn;
        for (let d = 0; d < DAYS_PER_PLACEMENT; d++) {
          while (isWeekend(date)) date = addDays(date, 1);
          const possible = p.fullTime ? 2 : 1;
          const attended = random() < p.propensity ? possible : random() < 0.5 ? possible - 1 : 0;
          const absent = possible - attended;
          const authorised = absent && random() < 0.6 ? absent : 0;
          p.possible += possible;
          p.attended += attended;
          p.authorised += authorised;
          p.unauthorised += absent - authorised;
          p.lastMark = date;
          const month = `${date.slice(0, 7)}-01`;
          const m = perMonth.get(month) ?? [0, 0, 0, 0];
          m[0] += possible;
          m[1] += attended;
          m[2] += authorised;
          m[3] += absent - authorised;
          perMonth.set(month, m);
          yield `${p.id},${date},${possible},${attended},${authorised},${absent - authorised},${date}T16:00:00Z\n`;
          date = addDays(date, 1);
        }
        for (const [month, m] of perMonth) months.set(`${p.id},${month}`, m);
      }
    });
    const tIndex = Date.now();
    await db.query(`ALTER TABLE outcome_attendance_day ADD PRIMARY KEY (placement_id, date)`);
    console.log(`primary key on the day totals built in ${((Date.now() - tIndex) / 1000).toFixed(1)} s`);
    await copy(url, 'outcome_attendance_month', ['placement_id', 'month', 'possible', 'attended', 'authorised', 'unauthorised'], months.size, function* () {
      for (const [key, m] of months) yield `${key},${m.join(',')}\n`;
    });
    months.clear();

    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const TYPES = ['OFF_SITE_DIRECTION', 'MANAGED_MOVE', 'DAY6_PROVISION', 'EHCP_NAMED', 'MEDICAL', 'REDUCED_TIMETABLE', 'SCHOOL_COMMISSIONED'];
    const REASONS = ['PERMANENT_EXCLUSION', 'RISK_OF_EXCLUSION', 'REPEATED_SUSPENSIONS', 'SEMH_NEEDS', 'MEDICAL_NEEDS', 'ATTENDANCE'];
    const SEN = ['NONE', 'NONE', 'SEN_SUPPORT', 'SEN_SUPPORT', 'EHC_ASSESSMENT', 'EHCP'];
    const ENDS = ['REINTEGRATED_MAINSTREAM', 'REINTEGRATED_MAINSTREAM', 'SPECIAL_SCHOOL', 'POST16_MOVE', 'MOVED_AWAY', 'OTHER'];
    const DESTINATIONS = ['EDUCATION', 'EMPLOYMENT', 'TRAINING', 'NEET', 'UNKNOWN'];
    const columns = [
      'placement_id', 'referral_id', 'pupil_id', 'provider_id', 'school_urn', 'placement_type', 'full_time', 'sessions_per_week', 'cost_per_day', 'home_la_code',
      'status', 'started_on', 'ended_on', 'end_reason', 'academic_year', 'la_code', 'sen_status', 'pupil_premium', 'looked_after', 'has_social_worker', 'year_group',
      'key_stage', 'referral_reason', 'day6_deadline', 'accepted_on', 'attendance_at_referral', 'possible_sessions', 'attended_sessions', 'authorised_sessions',
      'unauthorised_sessions', 'last_mark_on', 'english_achieved', 'maths_achieved', 'destination', 'suspensions',
    ];
    let pupil = randomUUID();
    await copy(url, 'outcome_placement', columns, PLACEMENTS, function* () {
      for (const p of placements) {
        const l = LAS.indexOf(p.la);
        if (random() < 0.9) pupil = randomUUID(); // one pupil in ten has a second placement
        const ended = random() < 0.6;
        const reason = pick(REASONS);
        const yearGroup = 7 + Math.floor(random() * 5);
        const row = [
          p.id, randomUUID(), pupil, pick(providers[l]), pick(schools[l]), pick(TYPES), p.fullTime, p.fullTime ? 10 : 5, 60 + Math.floor(random() * 90), p.la,
          ended ? 'ENDED' : 'ACTIVE', p.startedOn, ended ? p.lastMark : '', ended ? pick(ENDS) : '', academicYearLabel(p.startedOn), p.la, pick(SEN),
          random() < 0.4, random() < 0.1, random() < 0.2, yearGroup, yearGroup >= 10 ? 'KS4' : 'KS3', reason,
          reason === 'PERMANENT_EXCLUSION' ? addDays(p.startedOn, Math.floor(random() * 8) - 3) : '', addDays(p.startedOn, -1 - Math.floor(random() * 10)),
          30 + Math.floor(random() * 65), p.possible, p.attended, p.authorised, p.unauthorised, p.lastMark ?? '', random() < 0.4, random() < 0.35,
          ended && random() < 0.5 ? pick(DESTINATIONS) : '', random() < 0.15 ? 1 : 0,
        ];
        yield `${row.join(',')}\n`;
      }
    });
    // As the consumer keeps it: how many started placements each row's pupil has.
    await db.query(`UPDATE outcome_placement p SET pupil_placements = c.n FROM (SELECT pupil_id, count(*)::int AS n FROM outcome_placement GROUP BY 1 HAVING count(*) > 1) c WHERE c.pupil_id = p.pupil_id`);
    // As the consumer keeps it: the dashboards' summary (services/outcomes/src/summary.ts).
    const tSummary = Date.now();
    await rebuildSummary(db);
    await db.query(`VACUUM ANALYZE outcome_summary`);
    const [{ cells }] = await db.query(`SELECT count(*) FILTER (WHERE grain = 1 AND la_code = '865')::int AS cells FROM outcome_summary`);
    console.log(`summary built in ${((Date.now() - tSummary) / 1000).toFixed(1)} s: LA 865 by provider, year, key stage and SEN status is ${fmt(cells)} rows`);
    await db.query(`VACUUM ANALYZE outcome_placement`);
    await db.query(`ANALYZE outcome_attendance_month; ANALYZE outcome_attendance_day`);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM outcome_attendance_day`);
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${fmt(PLACEMENTS)} placements, ${fmt(n)} day session totals`);

    const gateway = stack.gateway.url;
    const officer = await clientToken('LA_OFFICER', 'la:865');
    const analyst = await clientToken('ANALYST', 'la:865');
    const BY_PROVIDER = `query { apOutcomes(groupBy: [PROVIDER]) { key { providerId } pupils placementsStarted placementsEnded attendanceRate attendanceChange reintegrationRate englishAndMathsAchieved eetRate neetRate suspensionsDuringPlacement averageDaysToStart day6Met } }`;
    // Cached while the read model is unchanged (figures.ts); cold: an event changed it before each run.
    const changed = () => db.query(`UPDATE outcome_read_model_version SET version = version + 1 WHERE id = 1`);
    await time(`apOutcomes by provider, LA 865 (${fmt(PLACEMENTS / 2)} placements), unchanged`, () => graphql(gateway, BY_PROVIDER, {}, { token: officer }));
    await time('  the same, cold (the read model changed before each run)', async () => {
      await changed();
      return graphql(gateway, BY_PROVIDER, {}, { token: officer });
    });
    // A real change: an attendance day applied by the consumer's handler (summary kept in its
    // transaction) before each run; the run's time includes applying it.
    const sample = (await db.query(`SELECT placement_id, pupil_id, provider_id, school_urn FROM outcome_placement WHERE la_code = '865' ORDER BY seq LIMIT 200`)) as {
      placement_id: string;
      pupil_id: string;
      provider_id: string;
      school_urn: string;
    }[];
    const handlerMs: number[] = [];
    await time('  the same, after a real attendance event (event + query)', async (i) => {
      const p = sample[i % sample.length];
      const event = newEvent({
        type: 'attendance.day_summarised', producer: 'placement', key: p.pupil_id,
        payload: {
          placementId: p.placement_id, pupilId: p.pupil_id, providerId: p.provider_id, schoolUrn: p.school_urn, laCode: '865', date: '2025-08-01',
          possibleSessions: 2, attendedSessions: i % 3 ? 2 : 1, authorisedAbsenceSessions: i % 3 ? 0 : 1, unauthorisedAbsenceSessions: 0, asOf: new Date().toISOString(),
        },
      });
      const t = performance.now();
      await db.transaction((tx) => attendanceDaySummarised(event, tx));
      handlerMs.push(performance.now() - t);
      return graphql(gateway, BY_PROVIDER, {}, { token: officer });
    });
    handlerMs.sort((a, b) => a - b);
    console.log(`${'    of which applying the event (handler + commit)'.padEnd(62)} p50 ${percentile(handlerMs, 50).toFixed(1)} ms   p95 ${percentile(handlerMs, 95).toFixed(1)} ms`);
    const who = principal('LA_OFFICER', 'la:865');
    const ctx = { principal: who, viaGateway: true, traceId: 'bench', db } as unknown as OutcomesContext;
    await time('  of which the use case, cold (SQL + measures)', async () => {
      await changed();
      await apOutcomes(ctx, {}, ['PROVIDER']);
      return {};
    });
    const subgraphToken = await internalToken('outcomes', who);
    await time('  of which the subgraph, unchanged (GraphQL, shield; no gateway)', () => graphql(stack.services.outcomes.graphqlUrl, BY_PROVIDER, {}, { token: subgraphToken }));
    await time('apOutcomes by key stage × SEN status, LA 865, EHCP filter, cold', async () => {
      await changed();
      return graphql(gateway, `query { apOutcomes(filter: { senStatus: "EHCP" }, groupBy: [KEY_STAGE, SEN_STATUS]) { pupils attendanceRate } }`, {}, { token: officer });
    });
    const PAGE = `query($after: String) { outcomeRows(first: 100, after: $after) { nodes { rowId pupilRef providerId schoolUrn yearGroup senStatus attendanceRate attendanceChange destination } endCursor hasNextPage } }`;
    let after: string | null = null;
    await time('outcomeRows, analyst, pages of 100 (walking the cursor)', async () => {
      const res = await graphql<{ outcomeRows: { endCursor: string; hasNextPage: boolean } }>(gateway, PAGE, { after }, { token: analyst });
      after = res.data?.outcomeRows.hasNextPage ? res.data.outcomeRows.endCursor : null;
      return res;
    });

    // The CSV export, streamed through the gateway: rows per second and the process's memory meanwhile.
    const base = gateway.replace(/\/graphql$/, '');
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    const { lines, bytes, seconds } = await streamCsv(`${base}/export/outcome-rows.csv`, analyst);
    clearInterval(sampler);
    const rows = lines - 1;
    const mb = (x: number) => (x / 1024 / 1024).toFixed(0);
    console.log(
      `CSV export, analyst, LA 865: ${fmt(rows)} rows, ${mb(bytes)} MB in ${seconds.toFixed(1)} s = ${fmt(Math.round(rows / seconds))} rows/s; ` +
        `memory of the whole stack's process: RSS ${mb(before.rss)} → peak ${mb(peakRss)} MB, heap ${mb(before.heapUsed)} → peak ${mb(peakHeap)} MB`,
    );

    if (CSV_ROWS.length) {
      const stackUrls = Object.fromEntries(Object.values(stack.services).map((svc) => [svc.name, svc.graphqlUrl]));
      await csvAtScale(db, columns, stackUrls, analyst);
    }
  } finally {
    await stack.stop();
  }
}

/** A free port (or BENCH_PORT_BASE + offset, for a machine where each user has a range). */
async function port(offset: number): Promise<number> {
  if (process.env.BENCH_PORT_BASE) return Number(process.env.BENCH_PORT_BASE) + offset;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
}

/** The resident memory of a process now (kB → bytes), from /proc. */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function healthy(url: string, child: ChildProcess) {
  for (const until = Date.now() + 180_000; Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not healthy in 180 s`);
}

/**
 * The CSV export at BENCH_CSV_ROWS sizes: LA 865's started placements are grown to each size
 * (copies of its rows under new ids, INSERT … SELECT), then the analyst's export is streamed through
 * a gateway and an outcomes service each in a process of its own (the rest of the stack stays in
 * this one), sampling each one's resident memory every 50 ms: the same peak at every size is
 * constant memory.
 */
async function csvAtScale(db: DataSource, columns: string[], stackUrls: Record<string, string>, analyst: string) {
  const root = join(__dirname, '..', '..', '..');
  const url = (db.options as { url: string }).url;
  const [gatewayPort, gatewayMetrics, outcomesPort, outcomesMetrics] = [await port(0), await port(1), await port(2), await port(3)];
  const env = { ...process.env, LOG_LEVEL: 'warn' };
  const outcomes = spawn(process.execPath, ['--import', 'tsx', 'services/outcomes/src/main.ts'], {
    cwd: root,
    env: { ...env, OUTCOMES_DATABASE_URL: url, OUTCOMES_PORT: String(outcomesPort), OUTCOMES_METRICS_PORT: String(outcomesMetrics) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const subgraphUrls = {
    DIRECTORY_URL: stackUrls.directory,
    REFERRAL_URL: stackUrls.referral,
    PLACEMENT_URL: stackUrls.placement,
    SAFEGUARDING_AUDIT_URL: stackUrls['safeguarding-audit'],
    OUTCOMES_URL: `http://127.0.0.1:${outcomesPort}/graphql`,
  };
  const gateway = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
    cwd: root,
    env: { ...env, ...subgraphUrls, GATEWAY_PORT: String(gatewayPort), GATEWAY_METRICS_PORT: String(gatewayMetrics) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await healthy(`http://127.0.0.1:${outcomesPort}/healthz`, outcomes);
    await healthy(`http://127.0.0.1:${gatewayPort}/healthz`, gateway);
    const mb = (x: number) => (x / 1024 / 1024).toFixed(0);
    const rest = columns.filter((c) => c !== 'placement_id' && c !== 'pupil_id' && c !== 'referral_id');
    for (const size of CSV_ROWS) {
      const count = async () =>
        ((await db.query(`SELECT count(*)::int AS n FROM outcome_placement WHERE la_code = '865' AND started_on IS NOT NULL`)) as { n: number }[])[0].n;
      let n = await count();
      const grown = Date.now();
      while (n < size) {
        const add = Math.min(size - n, n, 200_000);
        await db.query(
          `INSERT INTO outcome_placement (placement_id, pupil_id, referral_id, ${rest.join(', ')})
           SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), ${rest.join(', ')} FROM outcome_placement
            WHERE la_code = '865' AND started_on IS NOT NULL ORDER BY seq LIMIT $1`,
          [add],
        );
        n += add;
        progress('outcome_placement', n, size, grown);
      }
      await db.query(`VACUUM ANALYZE outcome_placement`);
      const rows = await count();
      const pids = { outcomes: outcomes.pid!, gateway: gateway.pid! };
      const before = { outcomes: rssOf(pids.outcomes), gateway: rssOf(pids.gateway) };
      const peak = { ...before };
      const sampler = setInterval(() => {
        peak.outcomes = Math.max(peak.outcomes, rssOf(pids.outcomes));
        peak.gateway = Math.max(peak.gateway, rssOf(pids.gateway));
      }, 50);
      const { lines, bytes, seconds } = await streamCsv(`http://127.0.0.1:${gatewayPort}/export/outcome-rows.csv`, analyst);
      clearInterval(sampler);
      if (lines - 1 !== rows) throw new Error(`the CSV has ${lines - 1} rows, LA 865 ${rows}`);
      console.log(
        `CSV export, analyst, LA 865, separate processes: ${fmt(rows)} rows, ${mb(bytes)} MB in ${seconds.toFixed(1)} s = ${fmt(Math.round(rows / seconds))} rows/s; ` +
          `RSS outcomes ${mb(before.outcomes)} → peak ${mb(peak.outcomes)} MB, gateway ${mb(before.gateway)} → peak ${mb(peak.gateway)} MB`,
      );
    }
  } finally {
    outcomes.kill('SIGTERM');
    gateway.kill('SIGTERM');
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
