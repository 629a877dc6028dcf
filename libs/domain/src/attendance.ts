import { DomainRuleError } from './errors';

/**
 * The national attendance register codes in force from 19 August 2024.
 * Source: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208),
 * reg. 10 and its Tables 1-6, and DfE "Working together to improve school attendance" (statutory
 * guidance, August 2024), "Recording attendance and absence using the national codes", which
 * also gives each code's statistical treatment (attending / authorised absence / unauthorised
 * absence / not a possible session).
 */

/** The group a code sits in, in the 2024 regulations and guidance. */
export type AttendanceCategory =
  /** Table 1: present at the school. */
  | 'ATTENDING_THE_SCHOOL'
  /** Table 2: attending a place other than the school (LA provision, trips, approved activities). */
  | 'ATTENDING_ELSEWHERE'
  /** Leave of absence granted by the school (reg. 11). */
  | 'LEAVE_OF_ABSENCE'
  /** Absent for another reason the law authorises (illness, religious observance, exclusion without provision, dual registration). */
  | 'OTHER_AUTHORISED_ABSENCE'
  /** Unable to attend because of an unavoidable cause (transport, closures, detention, public health). */
  | 'UNABLE_TO_ATTEND'
  | 'UNAUTHORISED_ABSENCE'
  /** Register housekeeping: not on roll yet, planned whole-school closure. */
  | 'ADMINISTRATIVE';

export interface AttendanceCodeInfo {
  code: string;
  meaning: string;
  category: AttendanceCategory;
  /** Counted in the pupil's possible sessions (the denominator of attendance rates). */
  countsAsPossible: boolean;
  /** Counted as attendance (present, or an approved educational activity off site). */
  countsAsAttendance: boolean;
  /** Counted as authorised absence in national statistics. */
  countsAsAuthorisedAbsence: boolean;
  /** Counted as unauthorised absence in national statistics. */
  countsAsUnauthorisedAbsence: boolean;
}

type Treatment = 'ATTENDANCE' | 'AUTHORISED' | 'UNAUTHORISED' | 'NOT_POSSIBLE';

function entry(code: string, meaning: string, category: AttendanceCategory, treatment: Treatment): AttendanceCodeInfo {
  return Object.freeze({
    code,
    meaning,
    category,
    countsAsPossible: treatment !== 'NOT_POSSIBLE',
    countsAsAttendance: treatment === 'ATTENDANCE',
    countsAsAuthorisedAbsence: treatment === 'AUTHORISED',
    countsAsUnauthorisedAbsence: treatment === 'UNAUTHORISED',
  });
}

const CODES: readonly AttendanceCodeInfo[] = [
  entry('/', 'Present at the school (morning session)', 'ATTENDING_THE_SCHOOL', 'ATTENDANCE'),
  entry('\\', 'Present at the school (afternoon session)', 'ATTENDING_THE_SCHOOL', 'ATTENDANCE'),
  entry('L', 'Late arrival before the register is closed', 'ATTENDING_THE_SCHOOL', 'ATTENDANCE'),
  entry('K', 'Attending education provision arranged by the local authority', 'ATTENDING_ELSEWHERE', 'ATTENDANCE'),
  entry('V', 'Attending an educational visit or trip', 'ATTENDING_ELSEWHERE', 'ATTENDANCE'),
  entry('P', 'Participating in a sporting activity', 'ATTENDING_ELSEWHERE', 'ATTENDANCE'),
  entry('W', 'Attending work experience', 'ATTENDING_ELSEWHERE', 'ATTENDANCE'),
  entry('B', 'Attending any other approved educational activity', 'ATTENDING_ELSEWHERE', 'ATTENDANCE'),
  entry('C1', 'Leave of absence for participating in a regulated performance or undertaking regulated employment abroad', 'LEAVE_OF_ABSENCE', 'AUTHORISED'),
  entry('M', 'Leave of absence for a medical or dental appointment', 'LEAVE_OF_ABSENCE', 'AUTHORISED'),
  entry('J1', 'Leave of absence for attending an interview', 'LEAVE_OF_ABSENCE', 'AUTHORISED'),
  entry('S', 'Leave of absence for studying for a public examination', 'LEAVE_OF_ABSENCE', 'AUTHORISED'),
  entry('X', 'Non-compulsory school age pupil not required to be in school', 'LEAVE_OF_ABSENCE', 'NOT_POSSIBLE'),
  entry('C2', 'Leave of absence for a compulsory school age pupil subject to a part-time timetable', 'LEAVE_OF_ABSENCE', 'AUTHORISED'),
  entry('C', 'Leave of absence for exceptional circumstances', 'LEAVE_OF_ABSENCE', 'AUTHORISED'),
  entry('T', 'Parent travelling for occupational purposes', 'OTHER_AUTHORISED_ABSENCE', 'AUTHORISED'),
  entry('R', 'Religious observance', 'OTHER_AUTHORISED_ABSENCE', 'AUTHORISED'),
  entry('I', 'Illness (not medical or dental appointment)', 'OTHER_AUTHORISED_ABSENCE', 'AUTHORISED'),
  entry('E', 'Suspended or permanently excluded and no alternative provision made', 'OTHER_AUTHORISED_ABSENCE', 'AUTHORISED'),
  entry('D', 'Dual registered: attending another school at which the pupil is also registered', 'OTHER_AUTHORISED_ABSENCE', 'NOT_POSSIBLE'),
  entry('Q', 'Unable to attend the school because of a lack of access arrangements', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('Y1', 'Unable to attend due to transport normally provided not being available', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('Y2', 'Unable to attend due to widespread disruption to travel', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('Y3', 'Unable to attend due to part of the school premises being closed', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('Y4', 'Unable to attend due to the whole school site being unexpectedly closed', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('Y5', 'Unable to attend as the pupil is in criminal justice detention', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('Y6', 'Unable to attend in accordance with public health guidance or law', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('Y7', 'Unable to attend because of any other unavoidable cause', 'UNABLE_TO_ATTEND', 'NOT_POSSIBLE'),
  entry('G', 'Holiday not granted by the school', 'UNAUTHORISED_ABSENCE', 'UNAUTHORISED'),
  entry('N', 'Reason for absence not yet established', 'UNAUTHORISED_ABSENCE', 'UNAUTHORISED'),
  entry('O', 'Absent in other or unknown circumstances', 'UNAUTHORISED_ABSENCE', 'UNAUTHORISED'),
  entry('U', 'Arrived in school after registration closed', 'UNAUTHORISED_ABSENCE', 'UNAUTHORISED'),
  entry('Z', 'Prospective pupil not on admission register', 'ADMINISTRATIVE', 'NOT_POSSIBLE'),
  entry('#', 'Planned whole school closure', 'ADMINISTRATIVE', 'NOT_POSSIBLE'),
];

const BY_CODE: ReadonlyMap<string, AttendanceCodeInfo> = new Map(CODES.map((info) => [info.code, info]));

/** Every national code in force, in the order of the 2024 guidance. */
export const ATTENDANCE_CODES: readonly string[] = Object.freeze(CODES.map((info) => info.code));

/**
 * Codes withdrawn by the 2024 regulations (or earlier), with what to record instead. An old MIS
 * export still sends these, so the message tells the sender what to do rather than just "unknown".
 */
export const RETIRED_ATTENDANCE_CODES: Readonly<Record<string, string>> = Object.freeze({
  H: 'Code H (agreed family holiday) was withdrawn on 19 August 2024: record C if leave was granted for exceptional circumstances, otherwise G (holiday not granted).',
  F: 'Code F (agreed extended family holiday) has been withdrawn: record C if leave was granted for exceptional circumstances, otherwise G (holiday not granted).',
  J: 'Code J (interview) was replaced on 19 August 2024 by J1 (leave of absence for attending an interview).',
  Y: 'Code Y (unable to attend due to exceptional circumstances) was split on 19 August 2024 into Y1 to Y7: record the one that gives the reason.',
  '-': 'The "-" mark (no mark recorded) is not a code: every session must carry a national code from 19 August 2024; record N until the reason for absence is known.',
});

/**
 * Looks up a national attendance code (case and surrounding space ignored: "c1" is C1).
 * Source: School Attendance (Pupil Registration) (England) Regulations 2024, reg. 10; "Working
 * together to improve school attendance" (August 2024), national codes and their statistical use.
 * @throws DomainRuleError RETIRED_ATTENDANCE_CODE for a withdrawn code (H, F, J, Y, -), saying
 *   which code replaces it; UNKNOWN_ATTENDANCE_CODE for anything else not in the national set
 */
export function attendanceCode(code: string): AttendanceCodeInfo {
  const normalised = typeof code === 'string' ? code.trim().toUpperCase() : '';
  const info = BY_CODE.get(normalised);
  if (info) return info;
  const retired = RETIRED_ATTENDANCE_CODES[normalised];
  if (retired !== undefined) throw new DomainRuleError('RETIRED_ATTENDANCE_CODE', retired);
  throw new DomainRuleError(
    'UNKNOWN_ATTENDANCE_CODE',
    `"${String(code)}" is not a national attendance code. Use one of: ${ATTENDANCE_CODES.join(' ')}.`,
  );
}

/** True when `code` is a national attendance code in force (see {@link attendanceCode}). */
export function isAttendanceCode(code: string): boolean {
  return BY_CODE.has(typeof code === 'string' ? code.trim().toUpperCase() : '');
}

/** How a pupil on a school's roll is spending a session, from the home school's point of view. */
export type ApSituation =
  /** In AP the LA arranged (s.19 Education Act 1996, or s.42/61 Children and Families Act 2014), not a school the pupil is registered at. */
  | 'LA_ARRANGED_AP'
  /** In AP the school arranged (off-site direction, school-commissioned provision), supervised and approved. */
  | 'SCHOOL_ARRANGED_AP'
  /** Scheduled at another school where the pupil is also registered (a PRU, AP academy, another school). */
  | 'DUAL_REGISTERED'
  /** A session the pupil is not expected to attend under an agreed part-time timetable. */
  | 'PART_TIME_TIMETABLE'
  /** Suspended or permanently excluded (still on roll) and no alternative provision arranged. */
  | 'EXCLUDED_NO_PROVISION';

/**
 * The code the home school records for a pupil in one of the AP situations.
 * Source: SI 2024/208 reg. 10 Table 2 (K: LA-arranged provision; B: other approved educational
 * activity, which is how the guidance tells schools to record AP they arrange), reg. 10 and
 * "Working together to improve school attendance" (2024) for D (dual registration: the other
 * school records the attendance), C2 (leave under an agreed part-time timetable, reg. 11) and E
 * (excluded with no alternative provision).
 * K and B record that the pupil actually attended the AP: when the AP reports the pupil absent,
 * pass `attended: false` and the home school records N (reason not yet established) until the
 * reason is known and the proper absence code can replace it. D, C2 and E do not depend on it.
 */
export function homeSchoolAttendanceCode(situation: ApSituation, options: { attended?: boolean } = {}): AttendanceCodeInfo {
  const attended = options.attended ?? true;
  switch (situation) {
    case 'LA_ARRANGED_AP':
      return attendanceCode(attended ? 'K' : 'N');
    case 'SCHOOL_ARRANGED_AP':
      return attendanceCode(attended ? 'B' : 'N');
    case 'DUAL_REGISTERED':
      return attendanceCode('D');
    case 'PART_TIME_TIMETABLE':
      return attendanceCode('C2');
    case 'EXCLUDED_NO_PROVISION':
      return attendanceCode('E');
    default:
      throw new DomainRuleError('INVALID_ARGUMENT', `"${String(situation)}" is not an AP situation this library knows.`);
  }
}

/** The home-school code for each AP situation when the pupil attends (see {@link homeSchoolAttendanceCode}). */
export const AP_ATTENDANCE_CODES: Readonly<Record<ApSituation, string>> = Object.freeze({
  LA_ARRANGED_AP: 'K',
  SCHOOL_ARRANGED_AP: 'B',
  DUAL_REGISTERED: 'D',
  PART_TIME_TIMETABLE: 'C2',
  EXCLUDED_NO_PROVISION: 'E',
});

/** A pupil's sessions over a period, counted as the DfE counts them for attendance statistics. */
export interface AttendanceSummary {
  /** Sessions the pupil could have attended: every session except X, D, Q, Y1-Y7, Z and #. */
  possibleSessions: number;
  /** Present, or at an approved educational activity off site (/ \ L K V P W B). */
  attendedSessions: number;
  authorisedAbsenceSessions: number;
  unauthorisedAbsenceSessions: number;
  /** Sessions that are not possible (X, D, Q, Y1-Y7, Z, #): neither attendance nor absence. */
  notPossibleSessions: number;
  /** attended / possible × 100, to one decimal place as the DfE publishes it; null when no session was possible. */
  attendancePercent: number | null;
}

/**
 * Counts a list of session codes (one per session) the way the DfE does: present and approved
 * educational activity are attendance; authorised and unauthorised absence are absence; not-possible
 * sessions (X, Z, #, D, Q, Y1-Y7) leave the denominator. Every service that reports attendance
 * (the placement's summary, outcomes' attendance rate from day totals) counts with this function.
 * Source: "Working together to improve school attendance" (August 2024), national codes and their
 * statistical use; DfE "Pupil absence in schools in England" methodology (rates over possible sessions).
 * @throws DomainRuleError UNKNOWN_ATTENDANCE_CODE / RETIRED_ATTENDANCE_CODE for a code not in force
 */
export function summariseAttendance(codes: Iterable<string>): AttendanceSummary {
  let possible = 0;
  let attended = 0;
  let authorised = 0;
  let unauthorised = 0;
  let notPossible = 0;
  for (const code of codes) {
    const info = attendanceCode(code);
    if (!info.countsAsPossible) {
      notPossible++;
      continue;
    }
    possible++;
    if (info.countsAsAttendance) attended++;
    else if (info.countsAsAuthorisedAbsence) authorised++;
    else if (info.countsAsUnauthorisedAbsence) unauthorised++;
  }
  return {
    possibleSessions: possible,
    attendedSessions: attended,
    authorisedAbsenceSessions: authorised,
    unauthorisedAbsenceSessions: unauthorised,
    notPossibleSessions: notPossible,
    attendancePercent: possible === 0 ? null : Math.round((attended / possible) * 1000) / 10,
  };
}
