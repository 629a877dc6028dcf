import { IsoDate, parseIsoDate, toDayNumber } from './dates';
import { DomainRuleError } from './errors';

/**
 * Year groups and key stages for England. Source: Education Act 2002 s.82 (key stages) and
 * DfE "Schools, pupils and their characteristics" / school census guide, "National curriculum
 * year group": a child's year group follows from the academic year (1 September to 31 August)
 * in which they were born. Children born 1 September Y to 31 August Y+1 reach compulsory school
 * age in the 2nd half of Y+5/Y+6 and start Reception in September Y+5 (so 1 Sept 2015 - 31 Aug
 * 2016 births start Reception in September 2020).
 * These are chronological year groups: a pupil taught out of their age group (e.g. a summer-born
 * child whose Reception start was deferred) keeps the chronological year here.
 */

export type KeyStage = 'EYFS' | 'KS1' | 'KS2' | 'KS3' | 'KS4' | 'KS5';

/** The calendar year in which the academic year containing `date` starts (1 September). */
export function academicYearStart(date: IsoDate): number {
  const { year, month } = parseIsoDate(date);
  return month >= 9 ? year : year - 1;
}

/** The academic year containing `date`, written as DfE writes it: "2024/25". */
export function academicYearLabel(date: IsoDate): string {
  const start = academicYearStart(date);
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * The national curriculum year for a child born on `dateOfBirth`, on the date `on`, without range
 * checks: Reception is 0, nursery -1, Year 14 would be 14. Use {@link yearGroup} for pupils.
 * @throws DomainRuleError INVALID_DATE for a malformed date or a birth after `on`
 */
export function nationalCurriculumYear(dateOfBirth: IsoDate, on: IsoDate): number {
  if (toDayNumber(dateOfBirth, 'date of birth') > toDayNumber(on, 'date')) {
    throw new DomainRuleError('INVALID_DATE', `The date of birth ${dateOfBirth} is after ${on}; check the date of birth.`);
  }
  // Cohort = the academic year of birth; Reception starts five academic years later.
  const cohort = academicYearStart(dateOfBirth);
  return academicYearStart(on) - (cohort + 5);
}

/**
 * The pupil's year group on the date `on`: Reception = 0, Year 1 = 1 ... Year 13 = 13.
 * Source: see the module comment (academic year from 1 September; Reception in the September
 * after the fourth birthday's academic year).
 * @throws DomainRuleError OUTSIDE_SCHOOL_YEARS when the child is not of Reception to Year 13 age
 *   on that date (too young, or past Year 13)
 */
export function yearGroup(dateOfBirth: IsoDate, on: IsoDate): number {
  const year = nationalCurriculumYear(dateOfBirth, on);
  if (year < 0) {
    throw new DomainRuleError(
      'OUTSIDE_SCHOOL_YEARS',
      `A child born on ${dateOfBirth} is not yet of Reception age on ${on} (Reception starts in September ${academicYearStart(on) - year}).`,
    );
  }
  if (year > 13) {
    throw new DomainRuleError(
      'OUTSIDE_SCHOOL_YEARS',
      `A young person born on ${dateOfBirth} is past Year 13 on ${on}; check the date of birth or the date.`,
    );
  }
  return year;
}

/**
 * The key stage of a year group. Source: Education Act 2002 s.82 (KS1 Years 1-2, KS2 Years 3-6,
 * KS3 Years 7-9, KS4 Years 10-11) and the EYFS statutory framework (Reception is the final EYFS
 * year); KS5 is the DfE's name for 16-19 study, Years 12-13.
 * @throws DomainRuleError INVALID_YEAR_GROUP for anything but a whole number from 0 to 13
 */
export function keyStage(yearGroup: number): KeyStage {
  if (typeof yearGroup !== 'number' || !Number.isInteger(yearGroup) || yearGroup < 0 || yearGroup > 13) {
    throw new DomainRuleError(
      'INVALID_YEAR_GROUP',
      `Year group ${String(yearGroup)} is not one of Reception (0) to Year 13 (13).`,
    );
  }
  if (yearGroup === 0) return 'EYFS';
  if (yearGroup <= 2) return 'KS1';
  if (yearGroup <= 6) return 'KS2';
  if (yearGroup <= 9) return 'KS3';
  if (yearGroup <= 11) return 'KS4';
  return 'KS5';
}

/**
 * True when a child is of compulsory school age on `on`: from the term-start after the fifth
 * birthday (31 December, 31 March or 31 August) to the last Friday in June of the school year in
 * which they turn 16. Source: Education Act 1996 s.8 and the Education (Start of Compulsory
 * School Age) Order 1998 (SI 1998/1607).
 * Registration and AP rules (independent-school registration, the day-6 duty) apply to pupils of
 * compulsory school age only.
 */
export function isCompulsorySchoolAge(dateOfBirth: IsoDate, on: IsoDate): boolean {
  const birth = parseIsoDate(dateOfBirth, 'date of birth');
  const today = toDayNumber(on, 'date');
  if (toDayNumber(dateOfBirth, 'date of birth') > today) return false;

  // Prescribed days after the 5th birthday: 31 Aug, 31 Dec, 31 Mar (whichever comes first on or after it).
  const fifthYear = birth.year + 5;
  // A 29 February birthday is taken as 28 February; either reading leads to the same prescribed day.
  const fifthBirthday = Date.UTC(fifthYear, birth.month - 1, birth.month === 2 ? Math.min(birth.day, 28) : birth.day) / 86_400_000;
  const candidates = [
    Date.UTC(fifthYear, 2, 31),
    Date.UTC(fifthYear, 7, 31),
    Date.UTC(fifthYear, 11, 31),
    Date.UTC(fifthYear + 1, 2, 31),
  ].map((ms) => ms / 86_400_000);
  // Compulsory school age starts on the prescribed day on or after the fifth birthday.
  const startsOn = candidates.find((day) => day >= fifthBirthday) as number;

  // Ends on the last Friday in June of the school year in which the child turns 16.
  const sixteenthAcademicYear = birth.month >= 9 ? birth.year + 16 : birth.year + 15;
  const juneYear = sixteenthAcademicYear + 1;
  const june30 = Date.UTC(juneYear, 5, 30) / 86_400_000;
  const june30Weekday = new Date(june30 * 86_400_000).getUTCDay(); // 5 = Friday
  const lastFriday = june30 - ((june30Weekday - 5 + 7) % 7);
  return today >= startsOn && today <= lastFriday;
}
