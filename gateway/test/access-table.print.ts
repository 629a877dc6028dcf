// Prints the access tables as Markdown, for the README's "Who may do what".
import { renderAccessTables } from '@ap/auth';
import { directoryAccess } from '@ap/directory';
import { referralAccess } from '@ap/referral';
import { placementAccess } from '@ap/placement';
import { safeguardingAccess } from '@ap/safeguarding-audit';
import { outcomesAccess } from '@ap/outcomes';

process.stdout.write(
  renderAccessTables([
    { service: 'directory', table: directoryAccess },
    { service: 'referral', table: referralAccess },
    { service: 'placement', table: placementAccess },
    { service: 'safeguarding', table: safeguardingAccess },
    { service: 'outcomes', table: outcomesAccess },
  ]) + '\n',
);
