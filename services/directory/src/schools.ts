import type { EntityManager } from 'typeorm';
import { inTransaction } from '@ap/db';
import { mayAccess, requirePrincipal } from '@ap/auth';
import { badUserInput, forbidden, invalidInput, InputProblem } from '@ap/errors';
import { recordEvent } from '@ap/events';
import { directoryAccess } from './access';
import type { DirectoryContext } from './context';
import { checkSchool, duplicateUrns, SchoolDetails } from './domain/school';
import { LocalAuthority, School } from './entities';
import { schoolRegistered } from './events/published';
import type { SchoolInput } from './__generated__/resolvers-types';

const MAX_IMPORT = 5000;

/**
 * Writes the school (new, or changed name, phase or LA) and publishes school.registered; an
 * unchanged school writes nothing and publishes nothing, so an import run again is a no-op.
 */
async function upsertSchool(tx: EntityManager, school: SchoolDetails, laName: string | null | undefined): Promise<School> {
  await tx.query(
    `INSERT INTO local_authority (code, name) VALUES ($1, $2)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name WHERE $3::boolean AND local_authority.name IS DISTINCT FROM EXCLUDED.name`,
    [school.laCode, laName?.trim() || `LA ${school.laCode}`, !!laName?.trim()],
  );
  const changed: unknown[] = await tx.query(
    `INSERT INTO school (urn, name, phase, la_code) VALUES ($1, $2, $3, $4)
     ON CONFLICT (urn) DO UPDATE SET name = EXCLUDED.name, phase = EXCLUDED.phase, la_code = EXCLUDED.la_code, updated_at = now()
       WHERE (school.name, school.phase, school.la_code) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phase, EXCLUDED.la_code)
     RETURNING urn`,
    [school.urn, school.name, school.phase, school.laCode],
  );
  const saved = await tx.getRepository(School).findOneByOrFail({ urn: school.urn });
  if (changed.length) await recordEvent(tx, schoolRegistered(saved));
  return saved;
}

/** An LA admin registers a school of its own LA (the LA code cannot name another). */
function checkCallerMayRegister(ctx: DirectoryContext, operation: string, laCodes: string[]): void {
  const principal = requirePrincipal(ctx);
  if (!mayAccess(directoryAccess, operation, principal, {})) throw forbidden();
  if (principal.org.type === 'la') {
    const other = laCodes.find((c) => c !== principal.org.id);
    if (other) throw badUserInput(`You can register schools of your own LA (${principal.org.id}) only, not of LA ${other}`, 'laCode');
  }
}

export async function registerSchool(ctx: DirectoryContext, input: SchoolInput): Promise<School> {
  const checked = checkSchool(input);
  if (!checked.ok) throw invalidInput(checked.problems);
  checkCallerMayRegister(ctx, 'Mutation.registerSchool', [checked.value.laCode]);
  return inTransaction(ctx.db, (tx) => upsertSchool(tx, checked.value, input.laName));
}

/** Many schools by URN in one transaction: all or nothing, every problem named by its row. */
export async function importSchools(ctx: DirectoryContext, input: readonly SchoolInput[]): Promise<School[]> {
  if (input.length > MAX_IMPORT) throw badUserInput(`Import at most ${MAX_IMPORT} schools at once; split the file`, 'input');
  const problems: InputProblem[] = [];
  const schools: SchoolDetails[] = [];
  input.forEach((row, i) => {
    const checked = checkSchool(row, `input[${i}].`);
    if (checked.ok) schools.push(checked.value);
    else problems.push(...checked.problems);
  });
  for (const urn of duplicateUrns(input)) problems.push({ field: 'input', message: `URN ${urn} appears more than once` });
  if (problems.length) throw invalidInput(problems);
  checkCallerMayRegister(ctx, 'Mutation.importSchools', [...new Set(schools.map((s) => s.laCode))]);
  return inTransaction(ctx.db, async (tx) => {
    const out: School[] = [];
    for (const [i, s] of schools.entries()) out.push(await upsertSchool(tx, s, input[i].laName));
    return out;
  });
}

export const localAuthorityOf = (ctx: DirectoryContext, code: string) =>
  ctx.db.getRepository(LocalAuthority).findOneBy({ code }).then((la) => la ?? Object.assign(new LocalAuthority(), { code, name: `LA ${code}` }));

/** The LA of the caller's school, when the directory knows the school (schools see their own LA's directory); null otherwise. */
export async function callerSchoolLa(ctx: DirectoryContext): Promise<string | null> {
  const principal = requirePrincipal(ctx);
  if (principal.org.type !== 'school') return null;
  return (await ctx.db.getRepository(School).findOneBy({ urn: principal.org.id }))?.laCode ?? null;
}
