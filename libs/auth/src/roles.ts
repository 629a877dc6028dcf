import { AuthError } from './errors';

export const ROLES = ['LA_ADMIN', 'LA_OFFICER', 'SCHOOL_USER', 'PROVIDER_USER', 'QA_OFFICER', 'ANALYST', 'MIS_CLIENT'] as const;
export type Role = (typeof ROLES)[number];

export const ORG_TYPES = ['la', 'school', 'provider'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export interface Organisation {
  type: OrgType;
  id: string;
}

export interface Principal {
  userId: string;
  role: Role;
  org: Organisation;
}

/** The kind of organisation each role belongs to; a token whose role and organisation disagree is refused. */
export const ROLE_ORG_TYPE: Readonly<Record<Role, OrgType>> = {
  LA_ADMIN: 'la',
  LA_OFFICER: 'la',
  QA_OFFICER: 'la',
  ANALYST: 'la',
  SCHOOL_USER: 'school',
  MIS_CLIENT: 'school',
  PROVIDER_USER: 'provider',
};

export const ORG_FORMATS = "la:<3-digit LA code> (la:865), school:<6-digit URN> (school:100001) or provider:<uuid>";

const ORG_ID_PATTERN: Record<OrgType, { re: RegExp; what: string }> = {
  la: { re: /^\d{3}$/, what: 'a 3-digit local authority code, such as la:865' },
  school: { re: /^\d{6}$/, what: 'a 6-digit school URN, such as school:100001' },
  provider: {
    re: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    what: 'a provider id (a uuid), such as provider:0f8fad5b-d9cb-469f-a165-70867728950e',
  },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isOrgType(value: unknown): value is OrgType {
  return typeof value === 'string' && (ORG_TYPES as readonly string[]).includes(value);
}

/** Parses 'la:865', 'school:100001' or 'provider:<uuid>'; throws AuthError saying what is expected. */
export function parseOrganisation(value: string): Organisation {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new AuthError(`An organisation is required: use ${ORG_FORMATS}`);
  }
  const colon = value.indexOf(':');
  const type = colon < 0 ? value : value.slice(0, colon);
  const id = colon < 0 ? '' : value.slice(colon + 1);
  if (!isOrgType(type)) {
    throw new AuthError(`Organisation "${value}" has an unknown type "${type}": use ${ORG_FORMATS}`);
  }
  const { re, what } = ORG_ID_PATTERN[type];
  if (!re.test(id)) {
    throw new AuthError(`Organisation "${value}" is not valid: a ${type} organisation is ${what}`);
  }
  return { type, id: type === 'provider' ? id.toLowerCase() : id };
}

export function formatOrganisation(org: Organisation): string {
  return `${org.type}:${org.id}`;
}

/** Throws AuthError unless the role belongs to this kind of organisation. */
export function assertRoleMatchesOrganisation(role: Role, org: Organisation): void {
  const expected = ROLE_ORG_TYPE[role];
  if (org.type !== expected) {
    throw new AuthError(
      `Role ${role} is for ${expected} organisations, but the token names ${formatOrganisation(org)}: ` +
        `ask for a token whose organisation is ${expected}:<id>`,
    );
  }
}

/** Validates untrusted values (token claims, CLI arguments) into a Principal; throws AuthError. */
export function toPrincipal(userId: unknown, role: unknown, org: unknown): Principal {
  if (typeof userId !== 'string' || userId.trim() === '' || userId.length > 200) {
    throw new AuthError('The token does not name a user (sub): ask for a new token');
  }
  if (!isRole(role)) {
    throw new AuthError(`The token's role ${JSON.stringify(role ?? null)} is not one of ${ROLES.join(', ')}: ask for a new token`);
  }
  if (typeof org !== 'string') {
    throw new AuthError(`The token does not name an organisation: use ${ORG_FORMATS}`);
  }
  const organisation = parseOrganisation(org);
  assertRoleMatchesOrganisation(role, organisation);
  return { userId, role, org: organisation };
}
