import type { ServiceName } from '@ap/config';
import { clientToken } from '@ap/testing';
import { ok } from './flow';
import { loadDemo } from '../../../infra/demo/load';
import { isValidUpn } from '@ap/domain';
import { demoPlan, DemoSize, SIZES, Story } from '../../../infra/demo/plan';
import { Progress } from '../../../infra/demo/progress';
import { startStack, Stack } from './stack';

jest.setTimeout(300_000);

/** Bookkeeping that grows with any traffic (reads are logged, events recorded), not demo data. */
const BOOKKEEPING = new Set(['migrations', 'outbox', 'processed_events', 'idempotency_keys', 'pupil_access_log']);

describe('the demo plan', () => {
  const STORIES: Story[] = ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'DECLINED', 'WITHDRAWN', 'LA_PANEL', 'DAY6', 'PLANNED', 'ACTIVE', 'ACTIVE_REVIEW_OVERDUE', 'REINTEGRATED', 'PART_TIME', 'CANCELLED'];
  it.each(Object.keys(SIZES) as DemoSize[])('%s: the sizes asked for, unique natural keys, valid UPNs, every story and provider outcome', (size) => {
    const plan = demoPlan(size);
    expect([plan.schools.length, plan.providers.length, plan.pupils.length]).toEqual([SIZES[size].schools, SIZES[size].providers, SIZES[size].pupils]);
    const unique = (xs: string[]) => new Set(xs).size === xs.length;
    expect(unique(plan.schools.map((s) => s.urn))).toBe(true);
    expect(unique(plan.providers.map((p) => p.name))).toBe(true);
    expect(plan.providers.every((p) => unique(p.offers.map((o) => o.name)))).toBe(true);
    expect(unique(plan.pupils.map((p) => p.upn))).toBe(true);
    expect(plan.pupils.every((p) => isValidUpn(p.upn))).toBe(true);
    expect(new Set(plan.pupils.map((p) => p.story))).toEqual(new Set(STORIES));
    expect(plan.providers.filter((p) => p.outcome === 'NON_COMPLIANT')).toHaveLength(1);
    expect(plan.providers.filter((p) => p.outcome === 'SUSPENDED')).toHaveLength(1);
    expect(plan.providers.some((p) => p.outcome === 'APPLIED')).toBe(true);
    expect(plan.providers.some((p) => p.registrationType === 'UNREGISTERED')).toBe(true);
    // Each LA has approved providers for its pupils' cases.
    for (const la of plan.las) expect(plan.providers.some((p) => p.laCode === la.code && p.outcome === 'APPROVED')).toBe(true);
    expect(demoPlan(size)).toEqual(plan);
  });
});

/**
 * `npm run demo`'s loader against the whole stack (the e2e harness: every service on port 0, its own
 * databases), twice: the second run makes nothing, and no table of any service holds a row more.
 * DEMO_TEST_SIZE=standard runs the full size (and prints how long each run took).
 */
describe('the demo loader', () => {
  let stack: Stack;
  const size = (process.env.DEMO_TEST_SIZE ?? 'small') as DemoSize;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  /** Rows in every table of every service's database (the test reads them; the demo never does). */
  async function rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [name, svc] of Object.entries(stack.services) as [ServiceName, (typeof stack.services)[ServiceName]][]) {
      const tables: { table_name: string }[] = await svc.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      for (const { table_name } of tables.filter((t) => !BOOKKEEPING.has(t.table_name))) {
        const [{ n }] = await svc.dataSource.query(`SELECT count(*)::int AS n FROM "${table_name}"`);
        counts[`${name}.${table_name}`] = n;
      }
    }
    return counts;
  }

  /** Once the events in flight have been applied: the same counts twice, a second apart. */
  async function settledCounts(): Promise<Record<string, number>> {
    let last = await rowCounts();
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await rowCounts();
      if (JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
    throw new Error('the demo data did not settle in 30 s');
  }

  it('loads every state through the gateway, and a second run duplicates nothing', async () => {
    // The progress bar too when a size is asked for (a measurement, not the routine run).
    const progress = process.env.DEMO_TEST_SIZE ? new Progress() : undefined;
    const first = await loadDemo({ gateway: stack.gateway.url, size, progress });
    process.stdout.write(`demo ${size}: first run ${first.seconds.toFixed(1)} s, ${JSON.stringify(first.made)}\n`);
    expect(first.made.providers).toBe(first.plan.providers.length);
    expect(first.made.pupils).toBe(first.plan.pupils.length);
    // A term of attendance, pushed by the schools' MIS: every mark taken, none refused.
    process.stdout.write(`demo attendance: ${first.attendance}\n`);
    const [, placed, written] = /^(\d+) placements: (\d+) marks written, 0 changed, 0 already recorded$/.exec(first.attendance) ?? [];
    expect(Number(placed)).toBeGreaterThan(0);
    expect(Number(written)).toBeGreaterThan(Number(placed));
    const [{ n: marks }] = await stack.services.placement.dataSource.query(`SELECT count(*)::int AS n FROM attendance_mark`);
    expect(marks).toBe(Number(written));
    const afterFirst = await settledCounts();

    const referral = stack.services.referral.dataSource;
    const placement = stack.services.placement.dataSource;
    const directory = stack.services.directory.dataSource;
    const statuses = async (ds: typeof referral, sql: string) => (await ds.query(sql)).map((r: { s: string }) => r.s).sort();
    expect(await statuses(referral, `SELECT DISTINCT status AS s FROM referral`)).toEqual(['ACCEPTED', 'DECLINED', 'DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'WITHDRAWN']);
    expect(await statuses(placement, `SELECT DISTINCT status AS s FROM placement`)).toEqual(['ACTIVE', 'CANCELLED', 'ENDED', 'PLANNED']);
    expect(await statuses(directory, `SELECT DISTINCT approval_status AS s FROM provider`)).toEqual(['APPLIED', 'APPROVED', 'SUSPENDED']);
    expect(await statuses(directory, `SELECT DISTINCT compliance AS s FROM provider WHERE compliance = 'NON_COMPLIANT'`)).toEqual(['NON_COMPLIANT']);

    // Overdue reviews, as the school of such a case sees them; the day-6 watchlist of its LA.
    const overdue = first.plan.pupils.find((p) => p.story === 'ACTIVE_REVIEW_OVERDUE')!;
    const school = await clientToken('SCHOOL_USER', `school:${overdue.schoolUrn}`);
    const { reviewsDue } = await ok(stack.gateway.url, school, `{ reviewsDue(first: 50) { reviews { overdue } } }`);
    expect(reviewsDue.reviews.some((r: { overdue: boolean }) => r.overdue)).toBe(true);
    const excluded = first.plan.pupils.find((p) => p.story === 'DAY6')!;
    const { day6Watchlist } = await ok(stack.gateway.url, await clientToken('LA_OFFICER', `la:${excluded.laCode}`), `query($la: String!) { day6Watchlist(laCode: $la) { schoolDaysLeft } }`, { la: excluded.laCode });
    expect(day6Watchlist.length).toBeGreaterThan(0);

    const second = await loadDemo({ gateway: stack.gateway.url, size });
    process.stdout.write(`demo ${size}: second run ${second.seconds.toFixed(1)} s, ${JSON.stringify(second.made)}\n`);
    expect(second.made).toEqual({ providers: 0, offers: 0, pupils: 0, audits: 0, visits: 0, caseSteps: 0 });
    expect(second.attendance).toBe(`${placed} placements: 0 marks written, 0 changed, ${written} already recorded`);
    expect(second.providerIds).toEqual(first.providerIds);
    expect(second.pupilIds).toEqual(first.pupilIds);
    expect(await settledCounts()).toEqual(afterFirst);
  });
});
