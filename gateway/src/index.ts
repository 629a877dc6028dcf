export { createGateway, INTROSPECTION_ROLE } from './server';
export { DEFAULT_MAX_BODY_BYTES } from '@ap/http';
export type { GatewayOptions, RunningGateway, GatewayContext } from './server';
export { DEFAULT_QUERY_LIMITS, queryLimitsRule, measureOperation, usesIntrospection } from './limits';
export type { QueryLimits } from './limits';
export { formatGatewayError } from './errors';
