export { createGateway, CACHE_LIMITS, INTROSPECTION_ROLE } from './server';
export { DEFAULT_MAX_BODY_BYTES } from '@ap/http';
export type { GatewayOptions, RunningGateway, GatewayContext } from './server';
export { checkDocumentShape, DEFAULT_QUERY_LIMITS, LIMIT_CODE, queryProtection, tokenLimitMessage, usesIntrospection } from './limits';
export type { QueryLimits } from './limits';
export { formatGatewayError, gatewayErrorFormatter, subgraphUnavailable, SUBGRAPH_UNAVAILABLE } from './errors';
