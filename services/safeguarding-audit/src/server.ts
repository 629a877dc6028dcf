import { join } from 'node:path';
import { loadTypeDefs, ServiceDefinition, startService, StartOptions } from '@ap/subgraph';
import { SafeguardingContext, safeguardingContext } from './context';
import { directoryProviderMigrations } from '@ap/events';
import { complianceReviewJob } from './compliance';
import { entities } from './entities';
import { safeguardingConsumer } from './events/consumer';
import { CreateAuditTables1732300000000 } from './migrations/1732300000000-CreateAuditTables';
import { AuditCycle1732700000000 } from './migrations/1732700000000-AuditCycle';
import { SeedSection175Template1732700000001 } from './migrations/1732700000001-SeedSection175Template';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const safeguardingService: ServiceDefinition<SafeguardingContext> = {
  name: 'safeguarding-audit',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  resolvers,
  permissions,
  entities,
  // The directory read model's migrations come before the cycle's, which fills provider_compliance from it.
  migrations: [CreateAuditTables1732300000000, ...directoryProviderMigrations, AuditCycle1732700000000, SeedSection175Template1732700000001],
  context: safeguardingContext,
  consumer: safeguardingConsumer,
  jobs: (deps) => [complianceReviewJob(deps)],
};

export const startSafeguardingService = (options?: StartOptions) => startService(safeguardingService, options);

/** Who may do what (the access table the shield and the use cases follow). */
export { safeguardingAccess } from './access';
/** The compliance review the service runs at start-up and hourly; tests run it after moving the clock. */
export { reviewCompliance } from './compliance';
export { SECTION_175_TEMPLATE_V1_ID } from './migrations/1732700000001-SeedSection175Template';
export { SECTION_175_TEMPLATE, SECTION_175_TEMPLATE_NAME, standardsOf } from './domain/template';
