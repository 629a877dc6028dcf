export { createTestDatabase } from './database';
export type { TestDatabase } from './database';
export { graphql, errorCodes } from './graphql';
export type { GraphQLResponse } from './graphql';
export { eventually } from './eventually';
export { principal, clientToken, internalToken } from './identities';
export { startTestService, useKafkaNamespace } from './service';
export { startPrivateBroker } from './broker';
export { makeUpn } from './upn';
