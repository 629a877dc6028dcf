import { GraphQLSchema, isObjectType } from 'graphql';
import { IMiddlewareGenerator, middleware } from 'graphql-middleware';
import { allow, rule } from 'graphql-shield';
import { shownInLocalOffer } from '@ap/domain';
import { forbidden } from '@ap/errors';
import { buildPermissions, FieldRules, hasRole, RuleTree, ShieldRule } from './permissions';
import { Principal, Role, ROLES } from './roles';

/**
 * The organisation relation a role needs to a thing before it may read or change it.
 *
 * - `any`: no relation (aggregates, or data every holder of the role may see).
 * - `self`: the operation acts in the caller's own organisation and its arguments cannot name
 *   another (e.g. registerProvider puts the provider in the caller's LA); any token of the role may.
 * - `sameSchool`: the thing belongs to the caller's school (the referring or commissioning school,
 *   or the school that registered the pupil).
 * - `sameProvider`: the thing is the caller's provider, or was sent to / placed with it.
 * - `pupilsLa`: the pupil's (home) LA is the caller's LA.
 * - `providersLa`: the provider is listed in the caller's LA directory.
 * - `approvedProvider`: the provider is APPROVED (any LA's, for now: a school token names only a
 *   URN, so the school's LA is not yet known; see the directory's table).
 * - `providersLaOrApproved`: the provider's LA sees it in full; other LAs see it only as the public
 *   local offer shows it: APPROVED and its compliance not NON_COMPLIANT or EXPIRED (@ap/domain
 *   `shownInLocalOffer`; the facts must carry both, an unknown compliance is not shown).
 * - `denied`: the role may not, whatever its organisation (the shield refuses it: FORBIDDEN).
 */
export const RELATIONS = ['any', 'self', 'sameSchool', 'sameProvider', 'pupilsLa', 'providersLa', 'approvedProvider', 'providersLaOrApproved', 'denied'] as const;
export type Relation = (typeof RELATIONS)[number];

/**
 * How a role that passes the role gate but lacks the relation is refused. FORBIDDEN says so;
 * the others hide whether the thing exists: NOT_FOUND (an error, for writes and non-null reads),
 * NULL (a nullable read answers null), FILTERED (a list leaves it out), BAD_USER_INPUT (a write
 * naming it answers as for an unknown id).
 */
export type Refusal = 'FORBIDDEN' | 'NOT_FOUND' | 'NULL' | 'FILTERED' | 'BAD_USER_INPUT';

export interface AccessRow {
  /** Every role, always: a role left out is a type error, so nobody is forgotten. */
  roles: Readonly<Record<Role, Relation>>;
  /** How a role with a relation other than `denied` is refused when the relation does not hold. */
  refusal: Refusal;
  /** Why, in the domain's words (shown in the README's table). */
  note?: string;
  /**
   * Also answers requests without a token (the gateway lets an anonymous request through only when
   * every root field it asks for is public). Its relations must all be `any`.
   */
  public?: true;
}

/**
 * Who works with an individual pupil's case (a referral, a placement): the school, the provider and
 * the pupil's LA. QA officers, analysts and MIS clients never read one pupil's case.
 */
export const PUPIL_CASEWORK: AccessRow['roles'] = {
  SCHOOL_USER: 'sameSchool',
  PROVIDER_USER: 'sameProvider',
  LA_ADMIN: 'pupilsLa',
  LA_OFFICER: 'pupilsLa',
  QA_OFFICER: 'denied',
  ANALYST: 'denied',
  MIS_CLIENT: 'denied',
};

/** Rows keyed 'Query.field', 'Mutation.field' or 'Type.field' (a federated field returning another organisation's data). */
export type AccessTable = Readonly<Record<string, AccessRow>>;

/** The roles whose relation is not `denied`: the role gate of the operation. */
export function rolesAllowed(row: AccessRow): Role[] {
  return ROLES.filter((r) => row.roles[r] !== 'denied');
}

export function relationOf(table: AccessTable, operation: string, role: Role): Relation {
  const row = table[operation];
  if (!row) throw new Error(`The access table has no row for ${operation}: add one to the service's src/access.ts`);
  return row.roles[role];
}

/**
 * Throws FORBIDDEN when the row denies the caller's role whatever its organisation: for paths the
 * shield's field rules do not see, such as an entity the gateway resolves through _entities.
 */
export function assertRoleAllowed(table: AccessTable, operation: string, p: Principal): void {
  if (relationOf(table, operation, p.role) === 'denied') {
    throw forbidden(`This needs the role ${rolesAllowed(table[operation]).join(' or ')}, but you are signed in as ${p.role}`);
  }
}

/** What is known about the thing the caller wants, to test a relation against. Unknown facts are absent. */
export interface OrganisationFacts {
  /** Schools the thing belongs to (e.g. the referring school, the school that registered the pupil). */
  schoolUrns?: readonly (string | null | undefined)[];
  /** Providers the thing belongs to (the provider itself, or the one a referral was sent to). */
  providerIds?: readonly (string | null | undefined)[];
  pupilLaCode?: string | null;
  providerLaCode?: string | null;
  providerApproved?: boolean;
  /** The provider's safeguarding compliance (NOT_AUDITED, COMPLIANT, …), where the relation needs it. */
  providerCompliance?: string | null;
}

/** Whether the relation holds between the caller and the thing. Pure; the use cases call it. */
export function relationHolds(relation: Relation, p: Principal, facts: OrganisationFacts): boolean {
  switch (relation) {
    case 'any':
    case 'self':
      return true;
    case 'sameSchool':
      return p.org.type === 'school' && (facts.schoolUrns ?? []).includes(p.org.id);
    case 'sameProvider':
      return p.org.type === 'provider' && (facts.providerIds ?? []).includes(p.org.id);
    case 'pupilsLa':
      return p.org.type === 'la' && !!facts.pupilLaCode && facts.pupilLaCode === p.org.id;
    case 'providersLa':
      return p.org.type === 'la' && !!facts.providerLaCode && facts.providerLaCode === p.org.id;
    case 'approvedProvider':
      return facts.providerApproved === true;
    case 'providersLaOrApproved':
      return relationHolds('providersLa', p, facts) || (p.org.type === 'la' && shownInLocalOffer({ approved: facts.providerApproved, compliance: facts.providerCompliance }));
    case 'denied':
      return false;
  }
}

/** The table's answer for this caller and thing: the use case's one access check. */
export function mayAccess(table: AccessTable, operation: string, p: Principal, facts: OrganisationFacts): boolean {
  return relationHolds(relationOf(table, operation, p.role), p, facts);
}

/** Every operation of the schema (Query and Mutation fields, without federation's own). */
export function operationsOf(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.keys(type.getFields())) {
      if (field === '_service' || field === '_entities') continue;
      out.push(`${type.name}.${field}`);
    }
  }
  return out.sort();
}

/**
 * Throws unless every operation of the schema has a row and every row names a field of the schema:
 * an operation nobody decided about must not be served, and a stale row must not linger.
 */
export function assertTableCovers(table: AccessTable, schema: GraphQLSchema, service = 'this service'): void {
  const missing = operationsOf(schema).filter((op) => !table[op]);
  if (missing.length) {
    throw new Error(`The access table of ${service} has no row for ${missing.join(', ')}: add one to its src/access.ts (see the README, "Who may do what")`);
  }
  const stale = Object.keys(table).filter((key) => {
    const [typeName, field] = key.split('.');
    const type = schema.getType(typeName);
    return !isObjectType(type) || !type.getFields()[field];
  });
  if (stale.length) throw new Error(`The access table of ${service} has rows for fields its schema does not have: ${stale.join(', ')}`);
  for (const [key, row] of Object.entries(table)) {
    for (const role of ROLES) {
      if (!(RELATIONS as readonly string[]).includes(row.roles[role])) {
        throw new Error(`The access table of ${service}: ${key} has no valid relation for ${role}`);
      }
    }
  }
}

function isFieldRules(x: ShieldRule | FieldRules): x is FieldRules {
  return typeof (x as { resolve?: unknown }).resolve !== 'function';
}

/**
 * The service's shield middleware built from its access table: each row's role gate (the roles
 * whose relation is not `denied`) guards its field; `extra` gives the rules of the other types
 * (allowFields() for types whose access the returning field decided). Building it for a schema
 * with an operation the table lacks throws, so the service does not start.
 */
export function permissionsFromTable(service: string, table: AccessTable, extra: RuleTree = {}): IMiddlewareGenerator<any, any, any> {
  const tree: RuleTree = { ...extra };
  for (const [key, row] of Object.entries(table)) {
    const [typeName, field] = key.split('.');
    const roles = rolesAllowed(row);
    if (row.public && ROLES.some((r) => row.roles[r] !== 'any')) throw new Error(`${service}: ${key} is public, so every role's relation must be 'any'`);
    const gate = row.public ? allow : roles.length ? hasRole(...roles) : denyAll;
    const existing = tree[typeName];
    const fields: FieldRules = existing === undefined ? {} : isFieldRules(existing) ? { ...existing } : { '*': existing };
    fields[field] = gate;
    tree[typeName] = fields;
  }
  const shield = buildPermissions(tree);
  return middleware((schema: GraphQLSchema) => {
    assertTableCovers(table, schema, service);
    return shield.generate(schema);
  });
}

/** A row that denies every role (kept possible so a retired operation can be switched off in the table). */
const denyAll: ShieldRule = rule('denyAll', { cache: 'contextual' })(() => forbidden('No role may use this operation'));

const SHORT: Record<Relation, string> = {
  any: 'any',
  self: 'own org',
  sameSchool: 'same school',
  sameProvider: 'same provider',
  pupilsLa: "pupil's LA",
  providersLa: "provider's LA",
  approvedProvider: 'approved only',
  providersLaOrApproved: "provider's LA, or approved",
  denied: '—',
};

/** The tables as one Markdown table, for the README (a test keeps the README's copy current). */
export function renderAccessTables(tables: { service: string; table: AccessTable }[]): string {
  const head = `| service | operation or field | ${ROLES.join(' | ')} | refused as |`;
  const rule = `|${' --- |'.repeat(ROLES.length + 3)}`;
  const rows = tables.flatMap(({ service, table }) =>
    Object.entries(table).map(([key, row]) => `| ${service} | \`${key}\`${row.public ? ' (public: no token needed)' : ''} | ${ROLES.map((r) => SHORT[row.roles[r]]).join(' | ')} | ${row.refusal} |`),
  );
  return [head, rule, ...rows].join('\n');
}
