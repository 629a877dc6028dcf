import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { SafeguardingContext, safeguardingContext } from './context';
import { directoryProviderMigrations } from '@ap/events';
import { entities } from './entities';
import { safeguardingConsumer } from './events/consumer';
import { CreateAuditTables1732300000000 } from './migrations/1732300000000-CreateAuditTables';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const safeguardingService: ServiceDefinition<SafeguardingContext> = {
  name: 'safeguarding-audit',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [CreateAuditTables1732300000000, ...directoryProviderMigrations],
  context: safeguardingContext,
  consumer: safeguardingConsumer,
};

export const startSafeguardingService = (options?: StartOptions) => startService(safeguardingService, options);

/** Who may do what (the access table the shield and the use cases follow). */
export { safeguardingAccess } from './access';
