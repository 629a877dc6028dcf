import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { ReferralContext, referralContext } from './context';
import { entities } from './entities';
import { CreateReferralTables1732300000000 } from './migrations/1732300000000-CreateReferralTables';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const referralService: ServiceDefinition<ReferralContext> = {
  name: 'referral',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [CreateReferralTables1732300000000],
  context: referralContext,
};

export const startReferralService = (options?: StartOptions) => startService(referralService, options);
