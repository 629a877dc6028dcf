/**
 * Development issuer: prints a client token for the gateway, and nothing else, on stdout.
 *
 *   npm run -s token -- --role LA_ADMIN --org la:865 [--user alice] [--ttl 3600]
 *   TOKEN=$(npm run -s token -- --role SCHOOL_USER --org school:100001)
 */
import { AuthError } from '../errors';
import { assertRoleMatchesOrganisation, isRole, ORG_FORMATS, parseOrganisation, Principal, ROLES, ROLE_ORG_TYPE } from '../roles';
import { DEFAULT_CLIENT_TTL_SECONDS, issueClientToken } from '../tokens';

export const USAGE = [
  'Usage: npm run -s token -- --role <role> --org <organisation> [--user <id>] [--ttl <seconds>]',
  `  --role  one of ${ROLES.join(', ')}`,
  `  --org   ${ORG_FORMATS}`,
  `          (${ROLES.map((r) => `${r}→${ROLE_ORG_TYPE[r]}`).join(', ')})`,
  '  --user  the user id (sub); default: <role in lower case>-dev',
  `  --ttl   lifetime in seconds; default ${DEFAULT_CLIENT_TTL_SECONDS}`,
  'Example: npm run -s token -- --role LA_ADMIN --org la:865',
].join('\n');

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface TokenArgs {
  principal: Principal;
  ttlSeconds: number;
}

/** Parses the CLI's arguments; throws UsageError saying what is wrong. */
export function parseTokenArgs(argv: readonly string[]): TokenArgs {
  const values: Record<string, string> = {};
  const known = new Set(['role', 'org', 'user', 'ttl']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = arg.match(/^--([a-z]+)(?:=(.*))?$/);
    if (!m || !known.has(m[1])) throw new UsageError(`Unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${m[1]} needs a value`);
    if (m[1] in values) throw new UsageError(`--${m[1]} is given twice`);
    values[m[1]] = value;
  }
  if (!values.role) throw new UsageError('--role is required');
  if (!isRole(values.role)) throw new UsageError(`Unknown role "${values.role}"`);
  if (!values.org) throw new UsageError('--org is required');
  const role = values.role;
  let ttlSeconds = DEFAULT_CLIENT_TTL_SECONDS;
  if (values.ttl !== undefined) {
    ttlSeconds = Number(values.ttl);
    if (!/^\d+$/.test(values.ttl) || ttlSeconds <= 0) throw new UsageError(`--ttl must be a positive whole number of seconds, not "${values.ttl}"`);
  }
  const userId = values.user ?? `${role.toLowerCase().replace(/_/g, '-')}-dev`;
  if (userId.trim() === '') throw new UsageError('--user must not be empty');
  try {
    const org = parseOrganisation(values.org);
    assertRoleMatchesOrganisation(role, org);
    return { principal: { userId, role, org }, ttlSeconds };
  } catch (err) {
    if (err instanceof AuthError) throw new UsageError(err.message);
    throw err;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: TokenArgs;
  try {
    args = parseTokenArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${await issueClientToken(args.principal, { ttlSeconds: args.ttlSeconds })}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AuthError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
