export { createGateway, DEFAULT_MAX_BODY_BYTES, INTROSPECTION_ROLE } from './server';
export type { GatewayOptions, RunningGateway, GatewayContext } from './server';
export { DEFAULT_QUERY_LIMITS, queryLimitsRule, measureOperation, usesIntrospection } from './limits';
export type { QueryLimits } from './limits';
export { formatGatewayError } from './errors';
