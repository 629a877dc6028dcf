/** The domain benchmarks other issues add, each an npm script of its own, run from here when present. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSetup, ROOT } from './lib';

const SCRIPTS = ['bench:directory', 'bench:attendance', 'bench:outcomes'];
const TIMEOUT_MS = 10 * 60 * 1000;

export async function domainBenches() {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  printSetup('Domain benchmarks', { scripts: SCRIPTS.join(', ') });
  const out: Record<string, { status: string; output?: string }> = {};
  for (const script of SCRIPTS) {
    if (!scripts[script]) {
      console.log(`\n-- npm run ${script}: not present`);
      out[script] = { status: 'not present' };
      continue;
    }
    console.log(`\n-- npm run ${script}`);
    const run = spawnSync('npm', ['run', '-s', script], { cwd: ROOT, encoding: 'utf8', timeout: TIMEOUT_MS, env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(run.stdout ?? '');
    out[script] = { status: run.error ? `failed: ${run.error.message}` : run.status === 0 ? 'ok' : `exit ${run.status}`, output: run.stdout };
  }
  return out;
}
