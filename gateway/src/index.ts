export { createGateway } from './server';
export type { GatewayOptions, RunningGateway } from './server';
export type { GatewayContext } from './context';
export { CACHE_LIMITS } from './cache';
export { INTROSPECTION_ROLE } from './introspection-gate';
export { DEFAULT_MAX_BODY_BYTES } from '@ap/http';
export { checkDocumentShape, DEFAULT_QUERY_LIMITS, LIMIT_CODE, queryProtection, tokenLimitMessage, usesIntrospection } from './limits';
export type { QueryLimits } from './limits';
export { formatGatewayError, gatewayErrorFormatter, subgraphUnavailable, SUBGRAPH_UNAVAILABLE } from './errors';
