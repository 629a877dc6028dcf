import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessTablesMarkdown } from './access-tables';

describe('the README’s access table', () => {
  it('is the one in services/*/src/access.ts (regenerate: npx tsx gateway/test/access-table.print.ts)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(accessTablesMarkdown());
  });
});
