import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { ReferralContext, referralContext } from './context';
import { directoryProviderMigrations } from '@ap/events';
import { entities } from './entities';
import { referralConsumer } from './events/consumer';
import { CreateReferralTables1732300000000 } from './migrations/1732300000000-CreateReferralTables';
import { OneOpenReferralPerPupilProvider1732500000000 } from './migrations/1732500000000-OneOpenReferralPerPupilProvider';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const referralService: ServiceDefinition<ReferralContext> = {
  name: 'referral',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [CreateReferralTables1732300000000, ...directoryProviderMigrations, OneOpenReferralPerPupilProvider1732500000000],
  context: referralContext,
  consumer: referralConsumer,
};

export const startReferralService = (options?: StartOptions) => startService(referralService, options);

/** Who may do what (the access table the shield and the use cases follow). */
export { referralAccess } from './access';
