import { renderAccessTables } from '@ap/auth';
import { directoryAccess } from '@ap/directory';
import { referralAccess } from '@ap/referral';
import { placementAccess } from '@ap/placement';
import { safeguardingAccess } from '@ap/safeguarding-audit';
import { outcomesAccess } from '@ap/outcomes';

/** Every service's access table as Markdown: the README's "Who may do what" shows exactly this. */
export const accessTablesMarkdown = () =>
  renderAccessTables([
    { service: 'directory', table: directoryAccess },
    { service: 'referral', table: referralAccess },
    { service: 'placement', table: placementAccess },
    { service: 'safeguarding-audit', table: safeguardingAccess },
    { service: 'outcomes', table: outcomesAccess },
  ]);
