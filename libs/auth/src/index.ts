export { AuthError } from './errors';
export {
  ROLES,
  ORG_TYPES,
  ORG_FORMATS,
  ROLE_ORG_TYPE,
  isRole,
  isOrgType,
  parseOrganisation,
  formatOrganisation,
  assertRoleMatchesOrganisation,
  toPrincipal,
} from './roles';
export type { Role, OrgType, Organisation, Principal } from './roles';
export {
  CLIENT_AUDIENCE,
  INTERNAL_ISSUER,
  INTERNAL_TOKEN_TTL_SECONDS,
  DEFAULT_CLIENT_TTL_SECONDS,
  internalAudience,
  issueClientToken,
  verifyClientToken,
  issueInternalToken,
  verifyInternalToken,
  verifyClientTokenUntil,
  verifyInternalTokenUntil,
} from './tokens';
export { ExpiringLru, cachedClientTokenVerifier, cachedInternalTokenVerifier, InternalTokenIssuer, VERIFIED_TOKEN_CACHE_SIZE } from './token-cache';
export type { InternalTokenClaims } from './tokens';
export { contextFromRequest, bearerToken, headerValue, idempotencyKeyFrom, IDEMPOTENCY_KEY_HEADER, pupilReaderOf, requirePrincipal } from './context';
export type { RequestContext, HeaderSource } from './context';
export { rules, hasRole, inOrganisation, rolesOf, allowFields, buildPermissions } from './permissions';
export type { ShieldRule, FieldRules, RuleTree } from './permissions';
export {
  RELATIONS,
  PUPIL_CASEWORK,
  rolesAllowed,
  relationOf,
  relationHolds,
  mayAccess,
  assertRoleAllowed,
  operationsOf,
  assertTableCovers,
  permissionsFromTable,
  renderAccessTables,
} from './access';
export type { Relation, Refusal, AccessRow, AccessTable, OrganisationFacts } from './access';
