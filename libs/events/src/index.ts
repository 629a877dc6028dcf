export { newEvent } from './envelope';
export type { EventEnvelope, EventOf, NewEvent } from './envelope';
export { ContractError, CONTRACTS_DIR, assertValidEvent, knownContracts, validateEnvelope, validateEvent } from './contracts';
export type { ContractCheck } from './contracts';
export type * from './payloads';
export { topicFor, deadLetterTopicFor } from './topics';
export { consumedEventsCounter, partitionLag, partitionSize, registerEventMetrics } from './metrics';
export type { EventMetricsOptions } from './metrics';
export type { BrokerProbe, BusMessage, DeliveredMessage, EventBus, PartitionOffsets, SubscribeOptions, Subscription, SubscriptionState } from './bus';
export { KafkaEventBus } from './kafka-bus';
export type { KafkaEventBusOptions } from './kafka-bus';
export { OutboxEvent, ProcessedEvent, eventEntities, recordEvent, recordEvents, OutsideTransactionError } from './outbox';
export { CreateEventTables1700000000000 } from './migration';
export { OutboxRelay, OUTBOX_CHANNEL } from './relay';
export type { OutboxRelayOptions } from './relay';
export { launchConsumer, startConsumer } from './consumer';
export type { ConsumerOptions, EventHandler, EventHandlers, RunningConsumer } from './consumer';
export {
  DirectoryProvider,
  CreateDirectoryProviderTable1732400000000,
  AddDirectoryProviderLaCode1732500000000,
  AddDirectoryProviderStatusAndCompliance1732600000000,
  directoryProviderMigrations,
  directoryProviderHandlers,
  providerComplianceHandlers,
} from './directory-providers';
export { DirectorySchool, CreateDirectorySchoolTable1732600000001, directorySchoolMigrations, directorySchoolHandlers } from './directory-schools';
export { DirectoryOffer, CreateDirectoryOfferTable1733000000001, directoryOfferMigrations, directoryOfferHandlers } from './directory-offers';
