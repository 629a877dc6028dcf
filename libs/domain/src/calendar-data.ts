import { createSchoolCalendar, SchoolCalendar, Term } from './calendar';
import { IsoDate } from './dates';

/**
 * Bank holidays in England (and Wales), January 2024 to December 2028.
 * Source: gov.uk/bank-holidays (2024-2026 as published). 2027 and 2028 follow the standing
 * pattern of the Banking and Financial Dealings Act 1971, Sch. 1 (New Year, Good Friday, Easter
 * Monday, first and last Monday in May, last Monday in August, Christmas, Boxing Day, with
 * substitute weekdays when those fall at a weekend); a royal proclamation can add or move a day
 * (as in 2022 and 2023), so re-check those years against gov.uk when they are published.
 * Shipped as data, not fetched: this library does no I/O.
 */
export const ENGLAND_BANK_HOLIDAYS: readonly IsoDate[] = Object.freeze([
  // 2024
  '2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26',
  // 2025
  '2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
  // 2026: Boxing Day is a Saturday, so the substitute day is Monday 28 December.
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  // 2027: Christmas Day and Boxing Day fall at the weekend; substitutes Mon 27 and Tue 28 December.
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
  // 2028: New Year's Day is a Saturday; substitute Monday 3 January.
  '2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26',
]);

export interface AcademicYearTermDates {
  /** e.g. "2024/25" */
  academicYear: string;
  /** Six half terms, first and last day inclusive (INSET days fall inside and are listed in `closures`). */
  terms: readonly Term[];
  /** INSET (training) days: the school is open to staff, closed to pupils. */
  closures: readonly IsoDate[];
}

/**
 * A sample LA term-date calendar for 2024/25 to 2027/28, shaped like a typical English LA's
 * published term dates (six half terms, five INSET days a year, 190 pupil days). It belongs to no
 * real authority: it exists for demos and tests, and each LA loads its own published dates.
 */
export const SAMPLE_LA_TERM_DATES: readonly AcademicYearTermDates[] = Object.freeze([
  {
    academicYear: '2024/25',
    terms: [
      { start: '2024-09-02', end: '2024-10-25' },
      { start: '2024-11-04', end: '2024-12-20' },
      { start: '2025-01-06', end: '2025-02-14' },
      { start: '2025-02-24', end: '2025-04-04' },
      { start: '2025-04-22', end: '2025-05-23' },
      { start: '2025-06-02', end: '2025-07-22' },
    ],
    closures: ['2024-09-02', '2024-09-03', '2025-01-06', '2025-06-02', '2025-07-22'],
  },
  {
    academicYear: '2025/26',
    terms: [
      { start: '2025-09-01', end: '2025-10-24' },
      { start: '2025-11-03', end: '2025-12-19' },
      { start: '2026-01-05', end: '2026-02-13' },
      { start: '2026-02-23', end: '2026-03-27' },
      { start: '2026-04-13', end: '2026-05-22' },
      { start: '2026-06-01', end: '2026-07-20' },
    ],
    closures: ['2025-09-01', '2025-09-02', '2026-01-05', '2026-06-01', '2026-07-20'],
  },
  {
    academicYear: '2026/27',
    terms: [
      { start: '2026-09-01', end: '2026-10-23' },
      { start: '2026-11-02', end: '2026-12-18' },
      { start: '2027-01-04', end: '2027-02-12' },
      { start: '2027-02-22', end: '2027-03-25' },
      { start: '2027-04-12', end: '2027-05-28' },
      { start: '2027-06-07', end: '2027-07-21' },
    ],
    closures: ['2026-09-01', '2026-09-02', '2027-01-04', '2027-06-07', '2027-07-21'],
  },
  {
    academicYear: '2027/28',
    terms: [
      { start: '2027-09-01', end: '2027-10-22' },
      { start: '2027-11-01', end: '2027-12-17' },
      { start: '2028-01-04', end: '2028-02-11' },
      { start: '2028-02-21', end: '2028-03-31' },
      { start: '2028-04-18', end: '2028-05-26' },
      { start: '2028-06-05', end: '2028-07-21' },
    ],
    closures: ['2027-09-01', '2027-09-02', '2028-01-04', '2028-06-05', '2028-07-21'],
  },
] satisfies AcademicYearTermDates[]);

/**
 * The sample LA calendar (all four years) with England's bank holidays, ready to count school
 * days from 2 September 2024 to 21 July 2028.
 */
export function sampleLaCalendar(): SchoolCalendar {
  return createSchoolCalendar({
    terms: SAMPLE_LA_TERM_DATES.flatMap((year) => year.terms),
    closures: SAMPLE_LA_TERM_DATES.flatMap((year) => year.closures),
    bankHolidays: ENGLAND_BANK_HOLIDAYS,
  });
}
