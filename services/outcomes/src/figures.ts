import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import { requirePrincipal, Principal } from '@ap/auth';
import { setting } from '@ap/config';
import { isUuid } from '@ap/db';
import { forbidden, invalidInput } from '@ap/errors';
import type { OutcomeFilter, OutcomeGrouping, OutcomeRow } from './__generated__/resolvers-types';
import { OutcomesContext } from './context';
import { OutcomeScope, outcomeScope, seesPseudonyms } from './domain/access';
import { csvLine, UTF8_BOM } from '@ap/http';
import { EET_DESTINATIONS, OutcomeMeasures, outcomeMeasures, OutcomeTotals } from './domain/measures';
import { pseudonym } from './domain/pseudonym';
import { COMPONENTS, grainFor, SummaryKey } from './summary';

const cast = (c: { float?: true }) => (c.float ? 'float8' : 'int');
/** One placement's contributions, as columns named after OutcomeTotals. */
const ROW_TOTALS = Object.entries(COMPONENTS)
  .map(([name, c]) => `COALESCE(${c.of}, 0)::${cast(c)} AS "${name}"`)
  .join(', ');
/**
 * A group's totals from the summary rows (src/summary.ts) of its grain, plus the per-pupil counts
 * of the pupils with more than one started placement, counted distinct over just their rows: a
 * pupil in two rows of the summary must count once in a group that holds both.
 */
const MULTI_PLACEMENT_TOTALS = Object.entries(COMPONENTS)
  .map(([name, c]) => (c.perPupil ? `count(DISTINCT x.pupil_id) FILTER (WHERE COALESCE(${c.of}, 0) > 0)` : '0') + ` AS "${name}"`)
  .join(', ');
const SUMMARY_TOTALS = Object.keys(COMPONENTS)
  .map((name) => `"${name}"`)
  .join(', ');
const TOTALS = Object.entries(COMPONENTS)
  .map(([name, c]) => `COALESCE(sum(x."${name}"), 0)::${cast(c)} AS "${name}"`)
  .join(', ');

const GROUP_COLUMNS: Record<OutcomeGrouping, { column: SummaryKey; key: string }> = {
  PROVIDER: { column: 'provider_id', key: 'providerId' },
  SCHOOL: { column: 'school_urn', key: 'schoolUrn' },
  LA: { column: 'la_code', key: 'laCode' },
  KEY_STAGE: { column: 'key_stage', key: 'keyStage' },
  SEN_STATUS: { column: 'sen_status', key: 'senStatus' },
  ACADEMIC_YEAR: { column: 'academic_year', key: 'academicYear' },
};

const KEY_STAGES = ['EYFS', 'KS1', 'KS2', 'KS3', 'KS4', 'KS5'];
const SEN_STATUSES = ['NONE', 'SEN_SUPPORT', 'EHC_ASSESSMENT', 'EHCP'];

/**
 * The filter's conditions (and the caller's scope) as SQL on outcome_placement `x` (or
 * outcome_summary, whose key columns have the same names), parameters from $2 on ($1 is the EET
 * list), with the columns they name.
 */
export function placementConditions(scope: OutcomeScope, filter: OutcomeFilter | null | undefined): { where: string; params: unknown[]; columns: SummaryKey[] } {
  const f = filter ?? {};
  const problems: { field: string; message: string }[] = [];
  if (f.laCode != null && !/^\d{3}$/.test(f.laCode)) problems.push({ field: 'filter.laCode', message: 'laCode is the LA’s 3-digit code, e.g. 865' });
  if (f.schoolUrn != null && !/^\d{6}$/.test(f.schoolUrn)) problems.push({ field: 'filter.schoolUrn', message: 'schoolUrn is a school’s 6-digit URN' });
  if (f.providerId != null && !isUuid(f.providerId)) problems.push({ field: 'filter.providerId', message: 'providerId must be a provider id from the directory' });
  if (f.academicYear != null && !/^\d{4}\/\d{2}$/.test(f.academicYear)) problems.push({ field: 'filter.academicYear', message: 'academicYear is written 2025/26' });
  if (f.keyStage != null && !KEY_STAGES.includes(f.keyStage)) problems.push({ field: 'filter.keyStage', message: `keyStage is one of ${KEY_STAGES.join(', ')}` });
  if (f.senStatus != null && !SEN_STATUSES.includes(f.senStatus)) problems.push({ field: 'filter.senStatus', message: `senStatus is one of ${SEN_STATUSES.join(', ')}` });
  if (problems.length) throw invalidInput(problems);
  const params: unknown[] = [];
  const where = ['true'];
  const columns: SummaryKey[] = [];
  const eq = (column: SummaryKey, value: unknown) => {
    params.push(value);
    columns.push(column);
    where.push(`x.${column} = $${params.length + 1}`);
  };
  if ('laCode' in scope) eq('la_code', scope.laCode);
  if ('schoolUrn' in scope) eq('school_urn', scope.schoolUrn);
  if ('providerId' in scope) eq('provider_id', scope.providerId);
  if (f.laCode != null) eq('la_code', f.laCode);
  if (f.schoolUrn != null) eq('school_urn', f.schoolUrn);
  if (f.providerId != null) eq('provider_id', f.providerId);
  if (f.academicYear != null) eq('academic_year', f.academicYear);
  if (f.keyStage != null) eq('key_stage', f.keyStage);
  if (f.senStatus != null) eq('sen_status', f.senStatus);
  if (f.pupilPremium != null) eq('pupil_premium', f.pupilPremium);
  if (f.lookedAfter != null) eq('looked_after', f.lookedAfter);
  if (f.hasSocialWorker != null) eq('has_social_worker', f.hasSocialWorker);
  return { where: where.join(' AND '), params, columns };
}

function scopeFor(operation: string, p: Principal): OutcomeScope {
  const scope = outcomeScope(operation, p);
  // The shield refused the roles without a scope already; this is the use case's own check.
  if (!scope) throw forbidden(`Your organisation (${p.org.type}) has no outcomes to read here`);
  return scope;
}

/**
 * Runs a read with PostgreSQL's JIT off: an LA's aggregate costs enough for the planner to JIT-compile
 * its many expressions, which takes several times longer (150–300 ms) than the scan itself.
 */
export async function readWithoutJit<T>(db: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    return tx.query(sql, params);
  });
}

/**
 * The pre-aggregate of the dashboards: a group's totals are kept (per query and parameters, in this
 * process) until the read model changes, which every handler marks in its own transaction
 * (readModelChanged), so an answer is never stale; an LA's dashboard re-reads its figures from
 * memory until a new event or record arrives. Bounded: the least recently used go first.
 */
const TOTALS_CACHE_SIZE = 500;
const totalsCache = new Map<string, { version: string; rows: (OutcomeTotals & Record<string, unknown>)[] }>();

async function cachedWhileUnchanged(db: DataSource, sql: string, params: unknown[]): Promise<(OutcomeTotals & Record<string, unknown>)[]> {
  const key = JSON.stringify([sql, params]);
  const [{ version }] = (await db.query(`SELECT version::text FROM outcome_read_model_version WHERE id = 1`)) as { version: string }[];
  const hit = totalsCache.get(key);
  if (hit && hit.version === version) {
    totalsCache.delete(key);
    totalsCache.set(key, hit);
    return hit.rows;
  }
  // Read at the version seen (or later): a change committed meanwhile bumps it again, so at worst the next call recomputes.
  const rows = await readWithoutJit<OutcomeTotals & Record<string, unknown>>(db, sql, params);
  totalsCache.set(key, { version, rows });
  if (totalsCache.size > TOTALS_CACHE_SIZE) totalsCache.delete(totalsCache.keys().next().value as string);
  return rows;
}

/**
 * The SQL of a grouped apOutcomes (exported for the benchmark's plans): a few hundred summary rows
 * of the smallest grain that has every column filtered or grouped on, however many placements.
 */
export function groupedTotalsSql(where: string, columns: readonly SummaryKey[], groupBy: readonly OutcomeGrouping[] | null | undefined) {
  const groups = [...new Set(groupBy ?? [])].map((g) => GROUP_COLUMNS[g]);
  const grain = grainFor([...columns, ...groups.map((g) => g.column)]);
  const keys = groups.map((g) => `x.${g.column}`);
  const selectKeys = keys.map((k) => `${k}, `).join('');
  const innerGroup = keys.length ? `GROUP BY ${keys.join(', ')}` : '';
  // A group is there when a started placement is (as a GROUP BY over the placements would have it).
  const groupSql = groups.length ? `GROUP BY ${keys.join(', ')} HAVING sum(x."placementsStarted") > 0 ORDER BY ${keys.join(', ')}` : '';
  const sql = `SELECT ${[...groups.map((g) => `x.${g.column} AS "key_${g.key}"`), TOTALS].join(', ')} FROM (
      SELECT ${selectKeys}${SUMMARY_TOTALS} FROM outcome_summary x WHERE x.grain = ${grain.id} AND ${where}
      UNION ALL
      SELECT ${selectKeys}${MULTI_PLACEMENT_TOTALS} FROM outcome_placement x
       WHERE x.started_on IS NOT NULL AND x.pupil_placements > 1 AND ${where} ${innerGroup}
    ) x ${groupSql}`;
  return { sql, groups };
}

export interface OutcomeGroupResult extends OutcomeMeasures {
  key: Record<string, string | null>;
}

export async function apOutcomes(ctx: OutcomesContext, filter: OutcomeFilter | null | undefined, groupBy: readonly OutcomeGrouping[] | null | undefined): Promise<OutcomeGroupResult[]> {
  const principal = requirePrincipal(ctx);
  const { where, params, columns } = placementConditions(scopeFor('Query.apOutcomes', principal), filter);
  const { sql, groups } = groupedTotalsSql(where, columns, groupBy);
  const rows = await cachedWhileUnchanged(ctx.db, sql, [EET_DESTINATIONS, ...params]);
  return rows.map((row) => ({
    key: Object.fromEntries(groups.map((g) => [g.key, (row[`key_${g.key}`] as string | null) ?? null])),
    ...outcomeMeasures(row),
  }));
}

/** The columns of a row, in the order of the CSV (the GraphQL OutcomeRow's fields). */
export const OUTCOME_ROW_COLUMNS = [
  'rowId', 'pupilRef', 'pseudonymised', 'providerId', 'schoolUrn', 'laCode', 'academicYear', 'yearGroup', 'keyStage', 'senStatus',
  'pupilPremium', 'lookedAfter', 'hasSocialWorker', 'referralReason', 'placementType', 'fullTime', 'costPerDay', 'status', 'startedOn',
  'endedOn', 'endReason', 'possibleSessions', 'attendedSessions', 'attendanceRate', 'attendanceAtReferral', 'attendanceChange',
  'englishAchieved', 'mathsAchieved', 'destination', 'suspensionsDuringPlacement', 'daysToStart', 'day6Met',
] as const;
export type OutcomeRowResult = Required<Omit<OutcomeRow, '__typename'>>;
// Every field of the GraphQL row is a CSV column, and nothing else.
const _columns: readonly (keyof OutcomeRowResult)[] = OUTCOME_ROW_COLUMNS;
void _columns;

interface PlacementRow extends OutcomeTotals {
  seq: string;
  placement_id: string;
  pupil_id: string;
  provider_id: string;
  school_urn: string | null;
  la_code: string | null;
  academic_year: string | null;
  year_group: number | null;
  key_stage: string | null;
  sen_status: string | null;
  pupil_premium: boolean | null;
  looked_after: boolean | null;
  has_social_worker: boolean | null;
  referral_reason: string | null;
  placement_type: string | null;
  full_time: boolean | null;
  cost_per_day: string | null;
  status: string;
  started_on: string | null;
  ended_on: string | null;
  end_reason: string | null;
  attendance_at_referral: string | null;
  english_achieved: boolean;
  maths_achieved: boolean;
  destination: string | null;
}

/** The key of the analysts' stand-ins (infra/stack.env in development; a secret store in production). */
const pseudonymSecret = () => setting('OUTCOMES_PSEUDONYM_SECRET');

/** A placement's row with its own measures (the same definitions as the groups'), pseudonymised for an analyst. */
function toRow(r: PlacementRow, pseudonymise: boolean, secret: string | null): OutcomeRowResult {
  const m = outcomeMeasures(r);
  return {
    rowId: pseudonymise ? pseudonym(secret!, r.la_code, 'placement', r.placement_id) : r.placement_id,
    pupilRef: pseudonymise ? pseudonym(secret!, r.la_code, 'pupil', r.pupil_id) : r.pupil_id,
    pseudonymised: pseudonymise,
    providerId: r.provider_id,
    schoolUrn: r.school_urn,
    laCode: r.la_code,
    academicYear: r.academic_year,
    yearGroup: r.year_group,
    keyStage: r.key_stage,
    senStatus: r.sen_status,
    pupilPremium: r.pupil_premium,
    lookedAfter: r.looked_after,
    hasSocialWorker: r.has_social_worker,
    referralReason: r.referral_reason,
    placementType: r.placement_type,
    fullTime: r.full_time,
    costPerDay: r.cost_per_day === null ? null : Number(r.cost_per_day),
    status: r.status,
    startedOn: r.started_on,
    endedOn: r.ended_on,
    endReason: r.end_reason,
    possibleSessions: m.possibleSessions,
    attendedSessions: m.attendedSessions,
    attendanceRate: m.attendanceRate,
    attendanceAtReferral: r.attendance_at_referral === null ? null : Number(r.attendance_at_referral),
    attendanceChange: m.attendanceChange,
    englishAchieved: r.english_achieved,
    mathsAchieved: r.maths_achieved,
    destination: r.destination,
    suspensionsDuringPlacement: m.suspensionsDuringPlacement,
    daysToStart: m.averageDaysToStart,
    day6Met: m.day6Met === null ? null : m.day6Met === 100,
  };
}

const PAGE_MAX = 1000;
const encodeCursor = (seq: string) => Buffer.from(`seq:${seq}`).toString('base64url');
function decodeCursor(after: string | null | undefined): string {
  if (after == null) return '0';
  const m = /^seq:(\d{1,18})$/.exec(Buffer.from(after, 'base64url').toString());
  if (!m) throw invalidInput([{ field: 'after', message: 'after must be the endCursor of a previous page' }]);
  return m[1];
}

/**
 * A page of rows in the order they were first heard of (seq): a row added later always comes after
 * every cursor handed out, so paging never skips or repeats one. Each row carries its own totals
 * (ROW_TOTALS, the same components a group sums), so a row and a group agree by construction.
 */
async function placementPage(db: DataSource, where: string, params: unknown[], afterSeq: string, limit: number): Promise<PlacementRow[]> {
  const n = params.length;
  return readWithoutJit<PlacementRow>(
    db,
    `SELECT x.*, x.started_on::text AS started_on, x.ended_on::text AS ended_on, ${ROW_TOTALS} FROM outcome_placement x
     WHERE x.started_on IS NOT NULL AND ${where} AND x.seq > $${n + 2} ORDER BY x.seq LIMIT $${n + 3}`,
    [EET_DESTINATIONS, ...params, afterSeq, limit],
  );
}

/**
 * Pupil-level rows are pupil data (a pupil's id or stand-in with their SEN status and the like), so
 * every read of them is recorded, as the referral service records reads of a pupil's identity.
 */
async function logRowsRead(ctx: OutcomesContext, p: Principal, operation: string, filter: OutcomeFilter | null | undefined, rows: number, pseudonymised: boolean) {
  await ctx.db.query(
    `INSERT INTO outcome_rows_read (user_id, role, organisation, operation, filter, rows, pseudonymised, trace_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [p.userId, p.role, `${p.org.type}:${p.org.id}`, operation, JSON.stringify(filter ?? {}), rows, pseudonymised, ctx.traceId],
  );
}

export async function outcomeRows(ctx: OutcomesContext, filter: OutcomeFilter | null | undefined, first: number | null | undefined, after: string | null | undefined) {
  const principal = requirePrincipal(ctx);
  const size = first ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > PAGE_MAX) throw invalidInput([{ field: 'first', message: `first must be between 1 and ${PAGE_MAX}` }]);
  const { where, params } = placementConditions(scopeFor('Query.outcomeRows', principal), filter);
  const rows = await placementPage(ctx.db, where, params, decodeCursor(after), size + 1);
  const pseudonymise = seesPseudonyms(principal);
  const secret = pseudonymise ? pseudonymSecret() : null;
  const page = rows.slice(0, size);
  await logRowsRead(ctx, principal, 'Query.outcomeRows', filter, page.length, pseudonymise);
  return {
    nodes: page.map((r) => toRow(r, pseudonymise, secret)),
    endCursor: page.length ? encodeCursor(page[page.length - 1].seq) : (after ?? null),
    hasNextPage: rows.length > size,
  };
}

/** The CSV export's filter, from the query string (the same names as OutcomeFilter). */
export function filterFromQuery(url: URL): OutcomeFilter {
  const q = url.searchParams;
  const bool = (name: string) => {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (v !== 'true' && v !== 'false') throw invalidInput([{ field: name, message: `${name} is true or false` }]);
    return v === 'true';
  };
  const text = (name: string) => q.get(name) || undefined;
  return {
    laCode: text('laCode'),
    providerId: text('providerId'),
    schoolUrn: text('schoolUrn'),
    academicYear: text('academicYear'),
    keyStage: text('keyStage'),
    senStatus: text('senStatus'),
    pupilPremium: bool('pupilPremium'),
    lookedAfter: bool('lookedAfter'),
    hasSocialWorker: bool('hasSocialWorker'),
  };
}

const CSV_BATCH = 2000;

/**
 * GET /export/outcome-rows.csv: every row outcomeRows would page through, as RFC 4180 CSV with a
 * header, streamed in keyset batches (memory stays flat however many rows), waiting for the client
 * to drain each batch. The same scope and pseudonymisation as outcomeRows.
 */
export async function exportOutcomeRowsCsv(ctx: OutcomesContext, _req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
  const principal = requirePrincipal(ctx);
  const filter = filterFromQuery(url);
  const { where, params } = placementConditions(scopeFor('Query.outcomeRows', principal), filter);
  const pseudonymise = seesPseudonyms(principal);
  const secret = pseudonymise ? pseudonymSecret() : null;
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="outcome-rows.csv"',
    'cache-control': 'no-store',
  });
  const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', resolve)));
  await write(UTF8_BOM + csvLine(OUTCOME_ROW_COLUMNS));
  let after = '0';
  let written = 0;
  for (;;) {
    if (res.destroyed) break;
    const rows = await placementPage(ctx.db, where, params, after, CSV_BATCH);
    if (!rows.length) break;
    written += rows.length;
    await write(
      rows
        .map((r) => {
          const row = toRow(r, pseudonymise, secret);
          return csvLine(OUTCOME_ROW_COLUMNS.map((c) => row[c]));
        })
        .join(''),
    );
    after = rows[rows.length - 1].seq;
    if (rows.length < CSV_BATCH) break;
  }
  // Recorded before the response ends, so the read is on record once the client has it all.
  await logRowsRead(ctx, principal, 'GET /export/outcome-rows.csv', filter, written, pseudonymise);
  res.end();
  return 200;
}
