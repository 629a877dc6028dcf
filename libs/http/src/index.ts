export { startHttpService } from './service';
export type { HttpServiceOptions, RequestDone, RunningHttpService } from './service';
export { HttpRefusal } from './refusal';
export { readinessReport } from './readiness';
export type { Readiness, ReadinessCheck, ReadinessReport } from './readiness';
export { DEFAULT_MAX_BODY_BYTES } from './request';
export type { GraphQLRequestText } from './request';
export { findForbiddenInJson, findForbiddenInQuery, findForbiddenInRequest } from './input';
