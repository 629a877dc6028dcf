import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAccessTables } from '@ap/auth';
import { directoryAccess } from '@ap/directory';
import { referralAccess } from '@ap/referral';
import { placementAccess } from '@ap/placement';
import { safeguardingAccess } from '@ap/safeguarding-audit';
import { outcomesAccess } from '@ap/outcomes';

/** The README shows the access tables as they are in code; this keeps its copy current. */
export const accessTablesMarkdown = () =>
  renderAccessTables([
    { service: 'directory', table: directoryAccess },
    { service: 'referral', table: referralAccess },
    { service: 'placement', table: placementAccess },
    { service: 'safeguarding', table: safeguardingAccess },
    { service: 'outcomes', table: outcomesAccess },
  ]);

describe('the README’s access table', () => {
  it('is the one in services/*/src/access.ts (regenerate: npx tsx gateway/test/access-table.print.ts)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(accessTablesMarkdown());
  });
});
