import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { ReferralContext, referralContext } from './context';
import { entities } from './entities';
import { referralConsumer } from './events/consumer';
import { CreateReferralTables1732300000000 } from './migrations/1732300000000-CreateReferralTables';
import { CreateDirectoryProviderTable1732400000000 } from './migrations/1732400000000-CreateDirectoryProviderTable';
import { OneOpenReferralPerPupilProvider1732500000000 } from './migrations/1732500000000-OneOpenReferralPerPupilProvider';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const referralService: ServiceDefinition<ReferralContext> = {
  name: 'referral',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [CreateReferralTables1732300000000, CreateDirectoryProviderTable1732400000000, OneOpenReferralPerPupilProvider1732500000000],
  context: referralContext,
  consumer: referralConsumer,
};

export const startReferralService = (options?: StartOptions) => startService(referralService, options);
