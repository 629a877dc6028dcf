import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Regenerates the client's types in memory (GraphQL Code Generator's --check mode, which checks
 * every generated file of codegen.ts) and fails when src/__generated__/operations.ts is stale
 * against src/operations/*.graphql or schemas/api-schema.graphql. A child process: the CLI is partly ESM.
 */
describe('libs/client/src/__generated__/operations.ts', () => {
  it('is up to date with the operations and the API schema', () => {
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) {
      throw new Error(`Generated types are stale or cannot be generated:\n${run.stdout}${run.stderr}\nRun \`npm run compose\` (or \`npm run codegen\`) and commit the result.`);
    }
  }, 60_000);
});
