import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { SafeguardingContext, safeguardingContext } from './context';
import { entities } from './entities';
import { CreateAuditTables1732300000000 } from './migrations/1732300000000-CreateAuditTables';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const safeguardingService: ServiceDefinition<SafeguardingContext> = {
  name: 'safeguarding-audit',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [CreateAuditTables1732300000000],
  context: safeguardingContext,
};

export const startSafeguardingService = (options?: StartOptions) => startService(safeguardingService, options);
