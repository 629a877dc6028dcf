import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { DirectoryContext, directoryContext } from './context';
import { entities } from './entities';
import { directoryConsumer } from './events/consumer';
import { CreateDirectoryTables1732300000000 } from './migrations/1732300000000-CreateDirectoryTables';
import { DirectoryProfileOffersSchools1732700000000 } from './migrations/1732700000000-DirectoryProfileOffersSchools';
import { ProviderRegistrationRequired1732900000000 } from './migrations/1732900000000-ProviderRegistrationRequired';
import { SearchTextIndexes1733000000000 } from './migrations/1733000000000-SearchTextIndexes';
import { runComplianceExpiry } from './providers';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const directoryService: ServiceDefinition<DirectoryContext> = {
  name: 'directory',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [CreateDirectoryTables1732300000000, DirectoryProfileOffersSchools1732700000000, ProviderRegistrationRequired1732900000000, SearchTextIndexes1733000000000],
  context: directoryContext,
  consumer: directoryConsumer,
  // Compliance expires 12 months after the last audit: checked at start-up, then daily.
  jobs: ({ dataSource, logger }) => [{ name: 'compliance expiry', intervalMs: 24 * 60 * 60 * 1000, run: () => runComplianceExpiry(dataSource, logger) }],
};

export const startDirectoryService = (options?: StartOptions) => startService(directoryService, options);

/** Who may do what (the access table the shield and the use cases follow). */
export { directoryAccess, directoryPublicOperations } from './access';
