import { join } from 'node:path';
import { directoryOfferMigrations, directoryProviderMigrations, directorySchoolMigrations } from '@ap/events';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { PlacementContext, placementContext } from './context';
import { entities } from './entities';
import { placementConsumer } from './events/consumer';
import { CreatePlacementTables1732300000000 } from './migrations/1732300000000-CreatePlacementTables';
import { OneOpenPlacementPerPupil1732500000000 } from './migrations/1732500000000-OneOpenPlacementPerPupil';
import { PlacementPlan1732700000000 } from './migrations/1732700000000-PlacementPlan';
import { OfferPlacesAndProviderReview1733100000000 } from './migrations/1733100000000-OfferPlacesAndProviderReview';
import { Attendance1732900000000 } from './migrations/1732900000000-Attendance';
import { raiseMissingMarkAlerts } from './attendance';
import { CreatePupilAccessLogTable1733200000000 } from '@ap/db';
import { LaPlacementSetting1733100000001 } from './migrations/1733100000001-LaPlacementSetting';
import { OutboxLz41733200000001 } from './migrations/1733200000001-OutboxLz4';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const placementService: ServiceDefinition<PlacementContext> = {
  name: 'placement',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [
    CreatePlacementTables1732300000000,
    OneOpenPlacementPerPupil1732500000000,
    ...directoryProviderMigrations,
    ...directorySchoolMigrations,
    PlacementPlan1732700000000,
    ...directoryOfferMigrations,
    OfferPlacesAndProviderReview1733100000000,
    Attendance1732900000000,
    LaPlacementSetting1733100000001,
    CreatePupilAccessLogTable1733200000000,
    OutboxLz41733200000001,
  ],
  context: placementContext,
  consumer: placementConsumer,
  // After 10:30 on a school day, AM sessions without a mark raise NO_MARK alerts (safe to run twice).
  jobs: ({ dataSource, logger }) => [{ name: 'missing AM marks', intervalMs: 5 * 60_000, run: () => raiseMissingMarkAlerts(dataSource, logger) }],
};

export const startPlacementService = (options?: StartOptions) => startService(placementService, options);

/** Who may do what (the access table the shield and the use cases follow). */
export { placementAccess } from './access';
/** The 10:30 check the service runs every 5 minutes; tests run it at a chosen instant. */
export { raiseMissingMarkAlerts } from './attendance';
