import fc from 'fast-check';
import { AP_ATTENDANCE_CODES, ATTENDANCE_CODES, attendanceCode, homeSchoolAttendanceCode, isAttendanceCode, RETIRED_ATTENDANCE_CODES, summariseAttendance } from './attendance';
import { expectDomainError } from '../test/helpers';

// code, category, countsAsPossible, countsAsAttendance, authorised, unauthorised
// (SI 2024/208 reg. 10; "Working together to improve school attendance" 2024, statistical treatment)
const TABLE = [
  ['/', 'ATTENDING_THE_SCHOOL', true, true, false, false],
  ['\\', 'ATTENDING_THE_SCHOOL', true, true, false, false],
  ['L', 'ATTENDING_THE_SCHOOL', true, true, false, false],
  ['K', 'ATTENDING_ELSEWHERE', true, true, false, false],
  ['V', 'ATTENDING_ELSEWHERE', true, true, false, false],
  ['P', 'ATTENDING_ELSEWHERE', true, true, false, false],
  ['W', 'ATTENDING_ELSEWHERE', true, true, false, false],
  ['B', 'ATTENDING_ELSEWHERE', true, true, false, false],
  ['C1', 'LEAVE_OF_ABSENCE', true, false, true, false],
  ['M', 'LEAVE_OF_ABSENCE', true, false, true, false],
  ['J1', 'LEAVE_OF_ABSENCE', true, false, true, false],
  ['S', 'LEAVE_OF_ABSENCE', true, false, true, false],
  ['X', 'LEAVE_OF_ABSENCE', false, false, false, false],
  ['C2', 'LEAVE_OF_ABSENCE', true, false, true, false],
  ['C', 'LEAVE_OF_ABSENCE', true, false, true, false],
  ['T', 'OTHER_AUTHORISED_ABSENCE', true, false, true, false],
  ['R', 'OTHER_AUTHORISED_ABSENCE', true, false, true, false],
  ['I', 'OTHER_AUTHORISED_ABSENCE', true, false, true, false],
  ['E', 'OTHER_AUTHORISED_ABSENCE', true, false, true, false],
  ['D', 'OTHER_AUTHORISED_ABSENCE', false, false, false, false],
  ['Q', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['Y1', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['Y2', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['Y3', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['Y4', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['Y5', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['Y6', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['Y7', 'UNABLE_TO_ATTEND', false, false, false, false],
  ['G', 'UNAUTHORISED_ABSENCE', true, false, false, true],
  ['N', 'UNAUTHORISED_ABSENCE', true, false, false, true],
  ['O', 'UNAUTHORISED_ABSENCE', true, false, false, true],
  ['U', 'UNAUTHORISED_ABSENCE', true, false, false, true],
  ['Z', 'ADMINISTRATIVE', false, false, false, false],
  ['#', 'ADMINISTRATIVE', false, false, false, false],
] as const;

describe('attendanceCode', () => {
  it('knows exactly the national codes in force from August 2024, in the guidance order', () => {
    expect(ATTENDANCE_CODES).toEqual(TABLE.map((row) => row[0]));
    expect(ATTENDANCE_CODES).toHaveLength(34);
  });

  it.each(TABLE)('%s: %s, possible %s, attendance %s, authorised %s, unauthorised %s', (code, category, possible, attendance, authorised, unauthorised) => {
    const info = attendanceCode(code);
    expect(info).toMatchObject({
      code,
      category,
      countsAsPossible: possible,
      countsAsAttendance: attendance,
      countsAsAuthorisedAbsence: authorised,
      countsAsUnauthorisedAbsence: unauthorised,
    });
    expect(info.meaning.length).toBeGreaterThan(5);
  });

  it('has the 2024 meanings of the changed and new codes', () => {
    expect(attendanceCode('K').meaning).toMatch(/arranged by the local authority/);
    expect(attendanceCode('C2').meaning).toMatch(/part-time timetable/);
    expect(attendanceCode('T').meaning).toMatch(/travelling for occupational purposes/);
    expect(attendanceCode('E').meaning).toMatch(/no alternative provision/);
    expect(attendanceCode('Y5').meaning).toMatch(/criminal justice detention/);
  });

  it('classifies every possible session as exactly one of attendance, authorised or unauthorised absence', () => {
    for (const code of ATTENDANCE_CODES) {
      const info = attendanceCode(code);
      const classes = [info.countsAsAttendance, info.countsAsAuthorisedAbsence, info.countsAsUnauthorisedAbsence].filter(Boolean).length;
      expect(classes).toBe(info.countsAsPossible ? 1 : 0);
    }
  });

  it('normalises case and surrounding space', () => {
    expect(attendanceCode(' c1 ').code).toBe('C1');
    expect(attendanceCode('y7').code).toBe('Y7');
    expect(attendanceCode('k').code).toBe('K');
  });

  it.each([
    ['H', /withdrawn.*record C.*otherwise G/],
    ['h', /withdrawn/],
    ['F', /withdrawn.*C.*G/],
    ['J', /replaced.*J1/],
    ['Y', /Y1 to Y7/],
    ['-', /not a code.*record N/],
  ])('refuses the retired code %s and says what to record instead', (code, message) => {
    expectDomainError(() => attendanceCode(code), 'RETIRED_ATTENDANCE_CODE', message);
  });

  it.each(['A', 'Y8', 'C3', 'J2', '?', '', '//', null as unknown as string])('refuses the unknown code %p, listing the valid ones', (code) => {
    expectDomainError(() => attendanceCode(code), 'UNKNOWN_ATTENDANCE_CODE', /Use one of: \/ \\ L K V P W B C1/);
  });

  it('isAttendanceCode agrees with attendanceCode for any string (property)', () => {
    const candidates = fc.oneof(fc.constantFrom(...ATTENDANCE_CODES, ...Object.keys(RETIRED_ATTENDANCE_CODES)), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(candidates, (code) => {
        let accepted = true;
        try {
          attendanceCode(code);
        } catch {
          accepted = false;
        }
        expect(isAttendanceCode(code)).toBe(accepted);
      }),
    );
  });
});

describe('homeSchoolAttendanceCode (AP situations)', () => {
  it.each([
    ['LA_ARRANGED_AP', 'K', true],
    ['SCHOOL_ARRANGED_AP', 'B', true],
    ['DUAL_REGISTERED', 'D', false],
    ['PART_TIME_TIMETABLE', 'C2', true],
    ['EXCLUDED_NO_PROVISION', 'E', true],
  ] as const)('%s is recorded as %s (counts as possible: %s)', (situation, code, possible) => {
    const info = homeSchoolAttendanceCode(situation);
    expect(info.code).toBe(code);
    expect(info.countsAsPossible).toBe(possible);
    expect(AP_ATTENDANCE_CODES[situation]).toBe(code);
  });

  it('records attended AP as attendance and a missed AP session as N until the reason is known', () => {
    expect(homeSchoolAttendanceCode('LA_ARRANGED_AP').countsAsAttendance).toBe(true);
    expect(homeSchoolAttendanceCode('SCHOOL_ARRANGED_AP').countsAsAttendance).toBe(true);
    expect(homeSchoolAttendanceCode('LA_ARRANGED_AP', { attended: false }).code).toBe('N');
    expect(homeSchoolAttendanceCode('SCHOOL_ARRANGED_AP', { attended: false }).code).toBe('N');
    // The other school records the dual-registered pupil's attendance, so the home school's mark does not change.
    expect(homeSchoolAttendanceCode('DUAL_REGISTERED', { attended: false }).code).toBe('D');
  });

  it('counts an excluded pupil without provision as authorised absence', () => {
    const info = homeSchoolAttendanceCode('EXCLUDED_NO_PROVISION');
    expect(info.countsAsAuthorisedAbsence).toBe(true);
    expect(info.countsAsAttendance).toBe(false);
  });

  it('refuses an unknown situation', () => {
    expectDomainError(() => homeSchoolAttendanceCode('HOME_TUITION' as never), 'INVALID_ARGUMENT');
  });
});

describe('summariseAttendance (DfE statistical treatment)', () => {
  // codes, possible, attended, authorised, unauthorised, notPossible, percent
  const WORKED: [string[], number, number, number, number, number, number | null][] = [
    // A full week present: 10 of 10.
    [['/', '\\', '/', '\\', '/', '\\', '/', '\\', '/', '\\'], 10, 10, 0, 0, 0, 100],
    // Late before the register closed and an educational visit are attendance; B (approved activity) too.
    [['L', 'V', 'B', 'K'], 4, 4, 0, 0, 0, 100],
    // Illness and a medical appointment are authorised; N and G unauthorised: 2 of 6 attended.
    [['/', '\\', 'I', 'M', 'N', 'G'], 6, 2, 2, 2, 0, 33.3],
    // X, Z, # and Y1 leave the denominator: 3 possible, 2 attended.
    [['/', 'X', 'Z', '#', 'Y1', '\\', 'O'], 3, 2, 0, 1, 4, 66.7],
    // C2 (part-time timetable) is authorised absence and counts as possible.
    [['/', 'C2', 'C2', 'C2'], 4, 1, 3, 0, 0, 25],
    // U (after registers closed) is unauthorised; D (dual registered) not possible.
    [['U', 'D'], 1, 0, 0, 1, 1, 0],
    // Nothing possible: no percentage.
    [['#', '#'], 0, 0, 0, 0, 2, null],
    [[], 0, 0, 0, 0, 0, null],
  ];
  it.each(WORKED)('%j → possible %i, attended %i, authorised %i, unauthorised %i, not possible %i, %p%', (codes, possible, attended, authorised, unauthorised, notPossible, percent) => {
    expect(summariseAttendance(codes)).toEqual({
      possibleSessions: possible,
      attendedSessions: attended,
      authorisedAbsenceSessions: authorised,
      unauthorisedAbsenceSessions: unauthorised,
      notPossibleSessions: notPossible,
      attendancePercent: percent,
    });
  });

  it('refuses a code not in force, naming it', () => {
    expectDomainError(() => summariseAttendance(['/', '9']), 'UNKNOWN_ATTENDANCE_CODE');
    expectDomainError(() => summariseAttendance(['H']), 'RETIRED_ATTENDANCE_CODE');
  });

  it('every possible session is exactly one of attended, authorised or unauthorised', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ATTENDANCE_CODES), { maxLength: 40 }), (codes) => {
        const s = summariseAttendance(codes);
        expect(s.attendedSessions + s.authorisedAbsenceSessions + s.unauthorisedAbsenceSessions).toBe(s.possibleSessions);
        expect(s.possibleSessions + s.notPossibleSessions).toBe(codes.length);
      }),
    );
  });
});
