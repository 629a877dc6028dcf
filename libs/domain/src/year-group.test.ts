import fc from 'fast-check';
import { addDays, fromDayNumber, toDayNumber } from './dates';
import { academicYearLabel, academicYearStart, isCompulsorySchoolAge, keyStage, nationalCurriculumYear, yearGroup } from './year-group';
import { expectDomainError } from '../test/helpers';

describe('academic year', () => {
  it.each([
    ['2024-09-01', 2024, '2024/25'],
    ['2025-08-31', 2024, '2024/25'],
    ['2025-09-01', 2025, '2025/26'],
    ['1999-09-01', 1999, '1999/00'],
    ['2000-01-01', 1999, '1999/00'],
  ])('%s is in academic year %i (%s)', (date, start, label) => {
    expect(academicYearStart(date)).toBe(start);
    expect(academicYearLabel(date)).toBe(label);
  });
});

describe('yearGroup', () => {
  it.each([
    // The worked example: born 1 Sept 2015 - 31 Aug 2016, Reception from September 2020.
    ['2015-09-01', '2020-09-01', 0],
    ['2016-08-31', '2020-09-01', 0],
    ['2016-02-29', '2021-07-20', 0],
    ['2015-09-01', '2021-09-01', 1],
    ['2016-08-31', '2027-07-23', 6],
    ['2016-08-31', '2027-09-01', 7],
    // 1 September birthdays are the oldest in their year; 31 August the youngest.
    ['2009-09-01', '2025-06-15', 10],
    ['2009-08-31', '2025-06-15', 11],
    ['2008-09-01', '2025-06-15', 11],
    // Leap-day birthdays
    ['2012-02-29', '2025-02-28', 8],
    ['2012-02-29', '2024-09-01', 8],
    ['2008-02-29', '2024-09-02', 12],
    // Year 13
    ['2006-09-01', '2024-09-02', 13],
    ['2007-08-31', '2025-07-31', 13],
  ])('a child born %s is in year %i on %s', (dateOfBirth, on, expected) => {
    expect(yearGroup(dateOfBirth, on)).toBe(expected);
  });

  it('refuses children not yet of Reception age, saying when Reception starts', () => {
    expectDomainError(() => yearGroup('2016-08-31', '2020-08-31'), 'OUTSIDE_SCHOOL_YEARS', /September 2020/);
    expectDomainError(() => yearGroup('2016-09-01', '2020-09-01'), 'OUTSIDE_SCHOOL_YEARS', /September 2021/);
    expect(nationalCurriculumYear('2016-09-01', '2020-09-01')).toBe(-1);
  });

  it('refuses young people past Year 13', () => {
    expectDomainError(() => yearGroup('2006-09-01', '2025-09-01'), 'OUTSIDE_SCHOOL_YEARS', /past Year 13/);
    expect(nationalCurriculumYear('2006-09-01', '2025-09-01')).toBe(14);
  });

  it('refuses a date of birth after the date, and invalid dates', () => {
    expectDomainError(() => yearGroup('2025-01-02', '2025-01-01'), 'INVALID_DATE', /after 2025-01-01/);
    expectDomainError(() => yearGroup('2015-02-29', '2022-01-01'), 'INVALID_DATE', /date of birth/);
    expectDomainError(() => yearGroup('2015-09-01', '2022-13-01'), 'INVALID_DATE');
  });

  const birth = fc.integer({ min: toDayNumber('1990-01-01'), max: toDayNumber('2030-12-31') }).map(fromDayNumber);

  it('goes up by exactly one on 1 September and not on any other day (property)', () => {
    fc.assert(
      fc.property(birth, fc.integer({ min: 1, max: 7000 }), (dateOfBirth, age) => {
        const on = addDays(dateOfBirth, age);
        const next = addDays(on, 1);
        const change = nationalCurriculumYear(dateOfBirth, next) - nationalCurriculumYear(dateOfBirth, on);
        expect(change).toBe(next.endsWith('-09-01') ? 1 : 0);
      }),
    );
  });

  it('puts children born on 31 August and 1 September one year apart (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1995, max: 2025 }), fc.integer({ min: 5, max: 18 }), (year, yearsLater) => {
        const on = `${year + yearsLater}-10-01`;
        expect(nationalCurriculumYear(`${year}-08-31`, on) - nationalCurriculumYear(`${year}-09-01`, on)).toBe(1);
      }),
    );
  });
});

describe('keyStage', () => {
  it.each([
    [0, 'EYFS'],
    [1, 'KS1'],
    [2, 'KS1'],
    [3, 'KS2'],
    [6, 'KS2'],
    [7, 'KS3'],
    [9, 'KS3'],
    [10, 'KS4'],
    [11, 'KS4'],
    [12, 'KS5'],
    [13, 'KS5'],
  ] as const)('year %i is %s', (year, stage) => {
    expect(keyStage(year)).toBe(stage);
  });

  it.each([-1, 14, 2.5, Number.NaN, '3' as unknown as number])('refuses %p', (year) => {
    expectDomainError(() => keyStage(year), 'INVALID_YEAR_GROUP', /Reception \(0\) to Year 13/);
  });

  it('follows from the date of birth: a Year 9 pupil is in KS3 and moves to KS4 on 1 September', () => {
    expect(keyStage(yearGroup('2011-03-14', '2025-07-18'))).toBe('KS3');
    expect(keyStage(yearGroup('2011-03-14', '2025-09-01'))).toBe('KS4');
  });
});

describe('isCompulsorySchoolAge (Education Act 1996 s.8)', () => {
  it.each([
    // Fifth birthday 15 Sep 2024: compulsory from the next prescribed day, 31 Dec 2024.
    ['2019-09-15', '2024-12-30', false],
    ['2019-09-15', '2024-12-31', true],
    // Fifth birthday 10 Jan 2024: from 31 March 2024.
    ['2019-01-10', '2024-03-30', false],
    ['2019-01-10', '2024-03-31', true],
    // Fifth birthday on a prescribed day: from that day.
    ['2019-03-31', '2024-03-30', false],
    ['2019-03-31', '2024-03-31', true],
    // Fifth birthday 1 May 2024: from 31 August 2024.
    ['2019-05-01', '2024-08-30', false],
    ['2019-05-01', '2024-08-31', true],
    // Turns 16 on 15 July 2025 (after the leaving date): leaves on the last Friday in June 2025.
    ['2009-07-15', '2025-06-27', true],
    ['2009-07-15', '2025-06-28', false],
    // Turns 16 on 1 October 2024: leaves on the last Friday in June 2025 (27 June).
    ['2008-10-01', '2025-06-27', true],
    ['2008-10-01', '2025-06-30', false],
    // Born 29 February 2012: compulsory from 31 March 2017 to the last Friday in June 2028 (30 June).
    ['2012-02-29', '2017-03-31', true],
    ['2012-02-29', '2017-03-30', false],
    ['2012-02-29', '2028-06-30', true],
    ['2012-02-29', '2028-07-01', false],
    ['2019-01-10', '2018-01-01', false],
  ])('born %s, on %s: %s', (dateOfBirth, on, expected) => {
    expect(isCompulsorySchoolAge(dateOfBirth, on)).toBe(expected);
  });
});
