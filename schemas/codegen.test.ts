import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * Regenerates every service's resolver types in memory (GraphQL Code Generator's --check mode, from
 * the files alone) and fails when a checked-in services/<name>/src/__generated__/ file differs.
 * A child process because the CLI is partly ESM, which jest cannot load here.
 */
describe('services/*/src/__generated__/resolvers-types.ts', () => {
  it('are up to date with services/*/src/schema.graphql', () => {
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) {
      throw new Error(`Generated resolver types are stale or cannot be generated:\n${run.stdout}${run.stderr}\nRun \`npm run compose\` (or \`npm run codegen\`) and commit the result.`);
    }
  }, 60_000);
});
