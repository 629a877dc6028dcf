/**
 * npm run bench — the performance suite. Not a test: it prints figures. Run it against a stack
 * that is up (`npm start`; the addresses come from infra/stack.env and the environment, so a
 * stack on other ports is measured by exporting the same *_PORT / *_URL settings).
 *
 *   npm run bench -- [--only overhead,side-by-side,batching,events,domain] [--duration 10]
 *                    [--rounds 2] [--connections 20] [--json out.json]
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { batching } from './batching';
import { ensureDataset } from './dataset';
import { domainBenches } from './domain';
import { events } from './events';
import { machine, parseArgs } from './lib';
import { overhead } from './overhead';
import { sideBySide } from './side-by-side';

const PARTS = ['overhead', 'side-by-side', 'batching', 'events', 'domain'] as const;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const unknown = args.only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`Unknown part(s) ${unknown.join(', ')}: choose from ${PARTS.join(', ')}`);
  const wanted = (part: (typeof PARTS)[number]) => args.only.length === 0 || args.only.includes(part);
  const out: Record<string, unknown> = { machine: machine(), args };
  const needsStack = wanted('overhead') || wanted('side-by-side') || wanted('batching');
  const dataset = needsStack ? await ensureDataset() : undefined;
  if (dataset && wanted('overhead')) out.overhead = await overhead(args, dataset);
  if (dataset && wanted('side-by-side')) out.sideBySide = await sideBySide(args, dataset);
  if (dataset && wanted('batching')) out.batching = await batching(dataset);
  if (wanted('events')) out.events = await events(args);
  if (wanted('domain')) out.domain = await domainBenches();
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(out, null, 2));
    console.log(`\nwrote ${args.json}`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
