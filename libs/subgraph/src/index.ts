export { loadTypeDefs } from './definition';
export type { ConsumerDefinition, ScheduledJob, ServiceDefinition, ServiceDeps, SubgraphRoute } from './definition';
export { startService } from './start';
export type { RunningService, StartOptions } from './start';
export { runServiceMain } from './main';
