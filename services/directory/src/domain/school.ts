import type { InputProblem } from '@ap/errors';

export const SCHOOL_PHASES = ['NURSERY', 'PRIMARY', 'MIDDLE', 'SECONDARY', 'ALL_THROUGH', 'SPECIAL', 'PRU', 'ALTERNATIVE_PROVISION', 'POST16'] as const;
export type SchoolPhase = (typeof SCHOOL_PHASES)[number];

export interface SchoolDetails {
  urn: string;
  name: string;
  phase: SchoolPhase;
  laCode: string;
}

/** A school: its six-digit DfE URN, a name, and the three-digit code of its LA. `at` prefixes fields (importSchools' row). */
export function checkSchool(input: SchoolDetails, at = ''): { ok: true; value: SchoolDetails } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const urn = input.urn.trim();
  const name = input.name.trim().replace(/\s+/g, ' ');
  const laCode = input.laCode.trim();
  if (!/^\d{6}$/.test(urn)) problems.push({ field: `${at}urn`, message: `"${input.urn}" is not a school URN (six digits)` });
  if (!name) problems.push({ field: `${at}name`, message: 'A school needs a name' });
  else if (name.length > 200) problems.push({ field: `${at}name`, message: 'A school name must be at most 200 characters' });
  if (!/^\d{3}$/.test(laCode)) problems.push({ field: `${at}laCode`, message: `"${input.laCode}" is not an LA code (three digits)` });
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { urn, name, phase: input.phase, laCode } };
}

/** The same URN twice in one import is a mistake in the file, not something to guess about. */
export function duplicateUrns(schools: readonly { urn: string }[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const s of schools) (seen.has(s.urn.trim()) ? dup : seen).add(s.urn.trim());
  return [...dup];
}
