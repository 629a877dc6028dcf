import { IsoDate, toDayNumber } from './dates';
import { DomainRuleError, isDomainRuleError } from './errors';

/**
 * Unregistered ("non-school") alternative provision: settings that are not schools and so are not
 * registered or inspected as schools.
 */

export interface FullTimePupilCounts {
  /** Pupils of compulsory school age to whom the setting provides full-time education. */
  fullTimePupils: number;
  /** Of those, pupils with an EHC plan. */
  fullTimePupilsWithEhcp: number;
  /** Of those, pupils looked after by a local authority (Children Act 1989 s.22). */
  fullTimeLookedAfterPupils: number;
}

function count(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new DomainRuleError('INVALID_ARGUMENT', `The number of ${label} must be a whole number of 0 or more, not ${String(value)}.`);
  }
  return value;
}

/**
 * Whether a setting must register with DfE as an independent school: it provides full-time
 * education to five or more pupils of compulsory school age, or to at least one such pupil who
 * has an EHC plan or is looked after. Operating unregistered when this is true is an offence
 * (Education and Skills Act 2008 s.96).
 * Source: Education Act 1996 s.463 (meaning of "independent school"); Education and Skills Act
 * 2008 ss.92 and 96; DfE "Registration of independent schools" departmental guidance. ("Full-time"
 * has no statutory number of hours; DfE's guidance looks at whether the setting provides all or
 * most of a child's education, and LAs commonly treat more than 18 hours a week as full-time: the
 * caller decides which pupils count.)
 * Not yet in force here: the Children's Wellbeing and Schools Act 2026 s.43 substitutes ESA 2008
 * s.92 to catch institutions educating one child with any special educational needs; revisit
 * when commenced.
 * @throws DomainRuleError INVALID_ARGUMENT for negative or fractional counts, or sub-counts larger
 *   than the full-time total
 */
export function mustRegisterAsIndependentSchool(counts: FullTimePupilCounts): boolean {
  const all = count(counts?.fullTimePupils, 'full-time pupils');
  const ehcp = count(counts?.fullTimePupilsWithEhcp, 'full-time pupils with an EHC plan');
  const lookedAfter = count(counts?.fullTimeLookedAfterPupils, 'full-time looked-after pupils');
  if (ehcp > all || lookedAfter > all) {
    throw new DomainRuleError(
      'INVALID_ARGUMENT',
      `The pupils with an EHC plan (${ehcp}) and the looked-after pupils (${lookedAfter}) are counted among the ${all} full-time pupils, so neither can be more than ${all}.`,
    );
  }
  return all >= 5 || ehcp >= 1 || lookedAfter >= 1;
}

/** Longest intensive placement in non-school AP, in weeks. */
export const NON_SCHOOL_AP_MAX_INTENSIVE_WEEKS = 12;
/** Most sessions (half days) a week for a longer-term placement in non-school AP: 2 days or 4 sessions. */
export const NON_SCHOOL_AP_MAX_PART_TIME_SESSIONS = 4;
/** A school week has ten sessions (five mornings and five afternoons). */
const SESSIONS_IN_A_WEEK = 10;

export interface NonSchoolApPlacement {
  /** First day of the placement. */
  startDate: IsoDate;
  /** Last day of the placement; null or absent for an open-ended placement. */
  endDate?: IsoDate | null;
  /** Sessions (half days) a week at this setting; a full day is 2. */
  sessionsPerWeek: number;
  /**
   * Education otherwise than in school arranged through an EHC plan (Children and Families Act
   * 2014 s.61): DfE has said the time limits will not apply to these packages.
   */
  eotasUnderEhcp?: boolean;
}

export type NonSchoolApPlacementKind = 'INTENSIVE' | 'PART_TIME' | 'EOTAS';

export type NonSchoolApProblemCode =
  | 'INVALID_DATE'
  | 'END_BEFORE_START'
  | 'INVALID_SESSIONS'
  | 'TOO_MANY_SESSIONS_FOR_LONG_PLACEMENT';

export interface NonSchoolApCheck {
  ok: boolean;
  /** Which allowance the placement meets: an intensive placement of at most 12 weeks, or a longer part-time one. */
  kind: NonSchoolApPlacementKind | null;
  /** Length in calendar weeks (days / 7), or null when open-ended. */
  weeks: number | null;
  problems: { code: NonSchoolApProblemCode; message: string }[];
}

/**
 * Checks a placement in non-school (unregistered) AP against the placement limits: either a
 * short, intensive placement of at most 12 weeks (up to five days a week), or a longer-term
 * placement of at most two days, i.e. four sessions, a week alongside school. The 12 weeks are
 * calendar weeks counted from the start date to the end date inclusive (at most 84 days), so a
 * placement spanning a holiday uses up its weeks; an open-ended placement is a longer-term one.
 * Source: DfE "Strengthening protections in unregistered alternative provision" consultation
 * response and "Non-school alternative provision: voluntary national standards" (August 2025).
 * DfE has announced these limits and intends to make them mandatory by legislation; until then
 * they are policy and LA quality-assurance conditions, not statute.
 */
export function checkNonSchoolApPlacement(placement: NonSchoolApPlacement): NonSchoolApCheck {
  const problems: NonSchoolApCheck['problems'] = [];
  let start: number | undefined;
  let end: number | undefined;
  try {
    start = toDayNumber(placement?.startDate, 'start date');
  } catch (error) {
    if (!isDomainRuleError(error)) throw error;
    problems.push({ code: 'INVALID_DATE', message: error.message });
  }
  if (placement?.endDate !== undefined && placement?.endDate !== null) {
    try {
      end = toDayNumber(placement.endDate, 'end date');
    } catch (error) {
      if (!isDomainRuleError(error)) throw error;
      problems.push({ code: 'INVALID_DATE', message: error.message });
    }
  }
  const sessions = placement?.sessionsPerWeek;
  const sessionsValid = typeof sessions === 'number' && Number.isInteger(sessions) && sessions >= 1 && sessions <= SESSIONS_IN_A_WEEK;
  if (!sessionsValid) {
    problems.push({
      code: 'INVALID_SESSIONS',
      message: `Sessions a week must be a whole number from 1 to ${SESSIONS_IN_A_WEEK} (a full day is 2 sessions), not ${String(sessions)}.`,
    });
  }
  if (start !== undefined && end !== undefined && end < start) {
    problems.push({ code: 'END_BEFORE_START', message: `The end date ${placement.endDate} is before the start date ${placement.startDate}.` });
  }
  if (problems.length > 0) return { ok: false, kind: null, weeks: null, problems };

  const days = end === undefined ? null : (end as number) - (start as number) + 1;
  const weeks = days === null ? null : days / 7;
  if (placement.eotasUnderEhcp === true) return { ok: true, kind: 'EOTAS', weeks, problems };
  if (days !== null && days <= NON_SCHOOL_AP_MAX_INTENSIVE_WEEKS * 7) {
    return { ok: true, kind: 'INTENSIVE', weeks, problems };
  }
  if ((sessions as number) <= NON_SCHOOL_AP_MAX_PART_TIME_SESSIONS) {
    return { ok: true, kind: 'PART_TIME', weeks, problems };
  }
  const length = weeks === null ? 'has no end date' : `lasts ${Math.round((weeks as number) * 10) / 10} weeks`;
  problems.push({
    code: 'TOO_MANY_SESSIONS_FOR_LONG_PLACEMENT',
    message: `This placement ${length} at ${sessions} sessions a week. Non-school AP may be intensive for at most ${NON_SCHOOL_AP_MAX_INTENSIVE_WEEKS} weeks, or longer-term for at most 2 days (${NON_SCHOOL_AP_MAX_PART_TIME_SESSIONS} sessions) a week: end it within ${NON_SCHOOL_AP_MAX_INTENSIVE_WEEKS} weeks of the start or reduce it to ${NON_SCHOOL_AP_MAX_PART_TIME_SESSIONS} sessions a week.`,
  });
  return { ok: false, kind: null, weeks, problems };
}
