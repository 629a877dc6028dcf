import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { ReferralContext, referralContext } from './context';
import { directoryOfferMigrations, directoryProviderMigrations, directorySchoolMigrations } from '@ap/events';
import { entities } from './entities';
import { referralConsumer } from './events/consumer';
import { CreateReferralTables1732300000000 } from './migrations/1732300000000-CreateReferralTables';
import { OneOpenReferralPerPupilProvider1732500000000 } from './migrations/1732500000000-OneOpenReferralPerPupilProvider';
import { CommonReferralProtocol1732700000000 } from './migrations/1732700000000-CommonReferralProtocol';
import { WithdrawnDrafts1733000000000 } from './migrations/1733000000000-WithdrawnDrafts';
import { checkDay6AtRisk } from './watch';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const referralService: ServiceDefinition<ReferralContext> = {
  name: 'referral',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [
    CreateReferralTables1732300000000,
    ...directoryProviderMigrations,
    OneOpenReferralPerPupilProvider1732500000000,
    ...directorySchoolMigrations,
    CommonReferralProtocol1732700000000,
    ...directoryOfferMigrations,
    WithdrawnDrafts1733000000000,
  ],
  context: referralContext,
  consumer: referralConsumer,
  // Day 6 moves with the school day, so a quarter-hourly check alerts within the morning it falls due.
  jobs: ({ dataSource, logger }) => [{ name: 'day6-at-risk', intervalMs: 15 * 60_000, run: () => checkDay6AtRisk(dataSource, logger) }],
};

export const startReferralService = (options?: StartOptions) => startService(referralService, options);

/** Who may do what (the access table the shield and the use cases follow). */
export { referralAccess } from './access';
