import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { OutcomesContext, outcomesContext } from './context';
import { directoryProviderMigrations, directorySchoolMigrations } from '@ap/events';
import { entities } from './entities';
import { outcomesConsumer } from './events/consumer';
import { CreateOutcomeTables1732300000000 } from './migrations/1732300000000-CreateOutcomeTables';
import { AddPlacementsReintegrated1732700000000 } from './migrations/1732700000000-AddPlacementsReintegrated';
import { CreateOutcomeReadModel1733000000000 } from './migrations/1733000000000-CreateOutcomeReadModel';
import { AddReadModelVersion1733000000001 } from './migrations/1733000000001-AddReadModelVersion';
import { CreateRowsReadLog1733000000002 } from './migrations/1733000000002-CreateRowsReadLog';
import { AddPupilPlacements1733000000003 } from './migrations/1733000000003-AddPupilPlacements';
import { AddOutcomeSummary1733000000004 } from './migrations/1733000000004-AddOutcomeSummary';
import { exportOutcomeRowsCsv } from './figures';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const outcomesService: ServiceDefinition<OutcomesContext> = {
  name: 'outcomes',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  migrations: [
    CreateOutcomeTables1732300000000,
    ...directoryProviderMigrations,
    AddPlacementsReintegrated1732700000000,
    ...directorySchoolMigrations,
    CreateOutcomeReadModel1733000000000,
    AddReadModelVersion1733000000001,
    CreateRowsReadLog1733000000002,
    AddPupilPlacements1733000000003,
    AddOutcomeSummary1733000000004,
  ],
  context: outcomesContext,
  consumer: outcomesConsumer,
  // The gateway's GET /export/outcome-rows.csv streams this (with the caller's internal token).
  routes: () => ({ '/export/outcome-rows.csv': exportOutcomeRowsCsv }),
};

export const startOutcomesService = (options?: StartOptions) => startService(outcomesService, options);

/** Who may do what (the access table the shield and the use cases follow). */
export { outcomesAccess } from './access';
