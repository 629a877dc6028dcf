/**
 * `npm run demo [-- --size small|standard|large] [--gateway URL]`: loads the demo LAs into the
 * running platform through its gateway (load.ts), with a progress bar, and says what it made. Safe
 * to run again: a second run finds everything by its natural key and adds nothing. `npm start`
 * loads the small size through the same code (seed.ts). DEMO_DEBUG=1 says what each case waits for.
 */
import { setting } from '@ap/config';
import { loadDemo, DemoResult } from './load';
import { DemoSize, SIZES, Story } from './plan';

const STORY_LABEL: Record<Story, string> = {
  DRAFT: 'referral drafted',
  SUBMITTED: 'submitted',
  UNDER_REVIEW: 'under review',
  DECLINED: 'declined',
  WITHDRAWN: 'withdrawn',
  LA_PANEL: 'waiting for the LA panel',
  DAY6: 'excluded, on the day-6 watchlist',
  PLANNED: 'placement planned',
  ACTIVE: 'placement active',
  ACTIVE_REVIEW_OVERDUE: 'active with a review overdue',
  REINTEGRATED: 'reintegrated',
  PART_TIME: 'part-time placement',
  CANCELLED: 'placement cancelled',
};
import { Progress } from './progress';

export function parseArgs(argv: string[]): { size: DemoSize; gateway: string } {
  let size: DemoSize = 'standard';
  let gateway = `http://127.0.0.1:${setting('GATEWAY_PORT')}/graphql`;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--size') {
      const v = value();
      if (!(v in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}, not "${v}"`);
      size = v as DemoSize;
    } else if (flag === '--gateway') gateway = value();
    else throw new Error(`Unknown option ${argv[i]}. Usage: npm run demo -- [--size small|standard|large] [--gateway http://127.0.0.1:4000/graphql]`);
  }
  return { size, gateway };
}

export function summary(result: DemoResult): string {
  const { plan, made } = result;
  const stories = new Map<Story, number>();
  for (const p of plan.pupils) stories.set(p.story, (stories.get(p.story) ?? 0) + 1);
  const outcomes = new Map<string, number>();
  for (const p of plan.providers) outcomes.set(p.outcome, (outcomes.get(p.outcome) ?? 0) + 1);
  const unregistered = plan.providers.filter((p) => p.registrationType === 'UNREGISTERED').length;
  return [
    `Demo (${plan.size}): ${plan.las.map((l) => `${l.name} (${l.code})`).join(' and ')}, ${plan.schools.length} schools, ${plan.providers.length} providers ` +
      `(${[...outcomes].map(([o, n]) => `${n} ${o.toLowerCase().replace('_', '-')}`).join(', ')}; ${unregistered} unregistered), ${plan.pupils.length} pupils.`,
    `  Cases: ${(Object.keys(STORY_LABEL) as Story[]).filter((s) => stories.has(s)).map((s) => `${stories.get(s)} ${STORY_LABEL[s]}`).join(', ')}.`,
    `  This run made ${made.providers} providers, ${made.offers} offers, ${made.pupils} pupils, ` +
      `${made.audits} audits, ${made.visits} visits and ${made.caseSteps} case steps in ${result.seconds.toFixed(1)} s.`,
    `  A term of attendance: ${result.attendance}.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { size, gateway } = parseArgs(process.argv.slice(2));
  process.stderr.write(`Loading the ${size} demo through ${gateway}\n`);
  const result = await loadDemo({ gateway, size, progress: new Progress() });
  process.stdout.write(`${summary(result)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
