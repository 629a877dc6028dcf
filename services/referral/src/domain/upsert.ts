import type { InputProblem } from '@ap/errors';
import type { PupilScope } from './access';
import type { PupilCircumstances, PupilDetails } from './referral';

/** A MIS push is at most this many pupils a call: a school's roll in one or two calls, a transaction of bounded size. */
export const UPSERT_MAX_ROWS = 1000;

export interface UpsertRow {
  index: number;
  upn: string;
  /** Present when the row's values are valid. */
  details?: PupilDetails;
  circumstances?: PupilCircumstances;
  problems: InputProblem[];
}

export interface KnownPupil extends PupilDetails, PupilScope, PupilCircumstances {
  id: string;
}

export interface UpsertPlan {
  answers: { index: number; upn: string; outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED'; pupilId: string | null; problems: InputProblem[] }[];
  /** Rows to insert, in the order id, upn, given, family, dob, home LA, school, sen, social worker, premium, looked after. */
  inserts: (string | boolean | null)[][];
  /** Rows to update: id, school, sen, social worker, premium, looked after. */
  updates: (string | boolean | null)[][];
}

/**
 * Decides each row's outcome: new UPNs are created, known ones linked to the school (when the
 * names and date of birth match) and updated only if something changed, anything else rejected
 * with its problems. Pure: the caller reads the known pupils and writes the plan.
 */
export function planUpsert(
  rows: UpsertRow[],
  known: KnownPupil[],
  link: (known: KnownPupil, given: PupilDetails) => PupilScope | null,
  schoolUrn: string,
  newId: () => string,
  unregistrable: string,
): UpsertPlan {
  const byUpn = new Map(known.map((k) => [k.upn, k]));
  const seen = new Set<string>();
  const plan: UpsertPlan = { answers: [], inserts: [], updates: [] };
  for (const row of rows) {
    const reject = (problems: InputProblem[]) => plan.answers.push({ index: row.index, upn: row.upn, outcome: 'REJECTED', pupilId: null, problems });
    if (!row.details || !row.circumstances) {
      reject(row.problems);
      continue;
    }
    if (seen.has(row.upn)) {
      reject([{ field: 'upn', message: 'This UPN appears more than once in this call: send each pupil once' }]);
      continue;
    }
    seen.add(row.upn);
    const d = row.details;
    const c = row.circumstances;
    const k = byUpn.get(row.upn);
    if (!k) {
      const id = newId();
      plan.inserts.push([id, d.upn, d.givenName, d.familyName, d.dateOfBirth, d.homeLaCode, schoolUrn, c.senStatus, c.hasSocialWorker, c.pupilPremium, c.lookedAfter]);
      plan.answers.push({ index: row.index, upn: row.upn, outcome: 'CREATED', pupilId: id, problems: [] });
      continue;
    }
    const scope = link(k, d);
    if (!scope) {
      reject([{ field: 'upn', message: unregistrable }]);
      continue;
    }
    const same =
      scope.registeredBySchoolUrn === k.registeredBySchoolUrn &&
      c.senStatus === k.senStatus &&
      c.hasSocialWorker === k.hasSocialWorker &&
      c.pupilPremium === k.pupilPremium &&
      c.lookedAfter === k.lookedAfter;
    if (!same) plan.updates.push([k.id, scope.registeredBySchoolUrn, c.senStatus, c.hasSocialWorker, c.pupilPremium, c.lookedAfter]);
    plan.answers.push({ index: row.index, upn: row.upn, outcome: same ? 'UNCHANGED' : 'UPDATED', pupilId: k.id, problems: [] });
  }
  plan.answers.sort((a, b) => a.index - b.index);
  return plan;
}
