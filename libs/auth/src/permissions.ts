import { GraphQLResolveInfo, GraphQLSchema, isObjectType } from 'graphql';
import { middleware, IMiddlewareGenerator } from 'graphql-middleware';
import { allow, and, rule, shield } from 'graphql-shield';
import { forbidden, unauthenticated } from '@ap/errors';
import { formatOrganisation, isOrgType, isRole, OrgType, Role, ROLE_ORG_TYPE } from './roles';
import { RequestContext } from './context';

/** A graphql-shield rule (rule(), and(), or(), allow, ...). */
export type ShieldRule = Parameters<typeof and>[0];
/** Rules for one type: per field, with '*' as the rule for every field not named. */
export type FieldRules = Record<string, ShieldRule>;
/** Rules per type name; a type may have one rule for all its fields. */
export type RuleTree = Record<string, ShieldRule | FieldRules>;

type Ctx = Partial<RequestContext> | undefined;

function who(ctx: Ctx): string {
  const p = ctx?.principal;
  return p ? `you are signed in as ${p.role} for ${formatOrganisation(p.org)}` : 'the request is not signed in';
}

const fieldName = (info: GraphQLResolveInfo) => `${info.parentType.name}.${info.fieldName}`;

const viaGateway = rule('viaGateway', { cache: 'contextual' })((_parent, _args, ctx: Ctx) =>
  ctx?.viaGateway === true ? true : forbidden('This field is only available to the gateway'),
);

const isAuthenticated = rule('isAuthenticated', { cache: 'contextual' })((_parent, _args, ctx: Ctx) =>
  ctx?.principal ? true : unauthenticated(),
);

const roleRules = new Map<string, ShieldRule>();
/** Allows principals with any of these roles. One rule object (and one cache entry) per role list. */
function hasRole(...roles: Role[]): ShieldRule {
  if (roles.length === 0) throw new Error('hasRole() needs at least one role');
  for (const r of roles) if (!isRole(r)) throw new Error(`hasRole(): unknown role "${r}"`);
  const list = [...new Set(roles)].sort();
  const name = `hasRole(${list.join(',')})`;
  let r = roleRules.get(name);
  if (!r) {
    r = rule(name, { cache: 'contextual' })((_parent, _args, ctx: Ctx) => {
      const p = ctx?.principal;
      if (!p) return unauthenticated();
      return list.includes(p.role) ? true : forbidden(`This needs the role ${list.join(' or ')}, but ${who(ctx)}`);
    });
    roleRules.set(name, r);
  }
  return r;
}

const orgRules = new Map<OrgType, ShieldRule>();
/** Allows principals whose organisation is of this type (la, school, provider). */
function inOrganisation(type: OrgType): ShieldRule {
  if (!isOrgType(type)) throw new Error(`inOrganisation(): unknown organisation type "${type}"`);
  let r = orgRules.get(type);
  if (!r) {
    r = rule(`inOrganisation(${type})`, { cache: 'contextual' })((_parent, _args, ctx: Ctx) => {
      const p = ctx?.principal;
      if (!p) return unauthenticated();
      return p.org.type === type ? true : forbidden(`This is only for ${type} organisations, but ${who(ctx)}`);
    });
    orgRules.set(type, r);
  }
  return r;
}

/**
 * Shared rules. Combine them with graphql-shield's and()/or()/chain().
 * Do not use not(): a rule that throws evaluates to false and not() turns that into a pass; write
 * the positive rule instead. A rule may return `forbidden('why')` to give its own message.
 */
export const rules = { viaGateway, isAuthenticated, hasRole, inOrganisation };
export { hasRole, inOrganisation };

/** Roles of the organisation type, e.g. rolesOf('school') → ['SCHOOL_USER', 'MIS_CLIENT']. */
export function rolesOf(type: OrgType): Role[] {
  return (Object.keys(ROLE_ORG_TYPE) as Role[]).filter((r) => ROLE_ORG_TYPE[r] === type);
}

/**
 * Field rules that allow every field of a type (the '*' wildcard), for object and entity types
 * whose access was decided by the field that returned them (Query.x, or Query._entities, which is
 * gateway-only). Pass overrides for sensitive fields: allowFields({ dateOfBirth: rules.hasRole('LA_ADMIN') }).
 */
export function allowFields(overrides: FieldRules = {}): FieldRules {
  return { '*': allow, ...overrides };
}

/** Denies any field no rule names (fallbackRule), with a message naming the field. */
const denyByDefault = rule('denyByDefault')((_parent, _args, ctx: Ctx, info: GraphQLResolveInfo) =>
  forbidden(`You are not allowed to access ${fieldName(info)} (no access rule grants it; ${who(ctx)})`),
);

/**
 * graphql-shield calls this when a rule resolves to false (err is null) — also when a rule threw,
 * since shield turns a rule's exception into false, so a broken rule denies — and when the
 * resolver itself threw (err set). The resolver's own error passes through unchanged: its
 * NOT_FOUND/BAD_USER_INPUT stay, anything else is masked by the service's formatError.
 */
function fallbackError(err: unknown, _parent: object, _args: object, ctx: object, info: GraphQLResolveInfo): Error {
  if (err) return err instanceof Error ? err : new Error(String(err));
  return forbidden(`You are not allowed to access ${fieldName(info)} (${who(ctx as Ctx)})`);
}

function withFederationRules(tree: RuleTree, schema: GraphQLSchema): RuleTree {
  const out: RuleTree = { ...tree };
  const query = schema.getQueryType();
  if (query) {
    const fields = query.getFields();
    const existing = out[query.name];
    const base: FieldRules = existing === undefined ? {} : isFieldRules(existing) ? { ...existing } : { '*': existing };
    if (fields._service) base._service = viaGateway;
    if (fields._entities) base._entities = viaGateway;
    out[query.name] = base;
  }
  const service = schema.getType('_Service');
  if (isObjectType(service) && out._Service === undefined) out._Service = allowFields();
  return out;
}

function isFieldRules(x: ShieldRule | FieldRules): x is FieldRules {
  // Shield's rules are class instances with resolve(); a field map is a plain object.
  return typeof (x as { resolve?: unknown }).resolve !== 'function';
}

/**
 * The service's graphql-shield middleware: deny by default with a FORBIDDEN error naming the field,
 * no debug, no external errors, and `Query._service` / `Query._entities` allowed only to the
 * gateway (added for every service; `_Service.sdl` is allowed). Every other type needs rules:
 * use allowFields() for types whose access the parent field decided.
 *
 *   const schema = applyMiddleware(buildSubgraphSchema(...), buildPermissions({ Query: {...}, Pupil: allowFields() }));
 */
export function buildPermissions(ruleTree: RuleTree): IMiddlewareGenerator<any, any, any> {
  return middleware((schema: GraphQLSchema) => {
    const tree = withFederationRules(ruleTree, schema);
    const generated = shield(tree, {
      fallbackRule: denyByDefault,
      fallbackError,
      allowExternalErrors: false,
      debug: false,
    }).generate(schema) as Record<string, Record<string, unknown>>;
    return withoutAllowedFields(generated, tree);
  });
}

/**
 * Shield wraps every field of every type, `allow` ones too, in an async middleware: the 50-pupil
 * list's subgraph answers spent about 5 % of their CPU in those wrappers. A field whose rule is
 * `allow` passes whatever the caller, and the wrapper would hand its resolver's errors on unchanged
 * (fallbackError), so it is left unwrapped; every other field keeps shield's middleware.
 */
function withoutAllowedFields(generated: Record<string, Record<string, unknown>>, tree: RuleTree): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [typeName, fields] of Object.entries(generated)) {
    const rules = tree[typeName];
    const kept: Record<string, unknown> = {};
    for (const [field, mw] of Object.entries(fields)) {
      // The same choice as shield's generator: the field's rule, else the type's '*', else the fallback.
      const effective = rules === undefined ? denyByDefault : isFieldRules(rules) ? (rules[field] ?? rules['*'] ?? denyByDefault) : rules;
      if (effective !== allow) kept[field] = mw;
    }
    if (Object.keys(kept).length) out[typeName] = kept;
  }
  return out;
}
