import { ENGLAND_BANK_HOLIDAYS, SAMPLE_LA_TERM_DATES, sampleLaCalendar } from './calendar-data';
import { addDays, fromDayNumber, toDayNumber, weekday } from './dates';

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function firstMonday(year: number, month: number): string {
  let date = `${year}-${String(month).padStart(2, '0')}-01`;
  while (weekday(date) !== 'MON') date = addDays(date, 1);
  return date;
}

function lastMonday(year: number, month: number): string {
  let date = addDays(firstMonday(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1), -7);
  while (weekday(date) !== 'MON') date = addDays(date, -1);
  return date;
}

/** Moves a weekend date to the next weekday not already taken (the substitute-day rule). */
function substitute(date: string, taken: Set<string>): string {
  let result = date;
  while (weekday(result) === 'SAT' || weekday(result) === 'SUN' || taken.has(result)) result = addDays(result, 1);
  taken.add(result);
  return result;
}

/** England's bank holidays from the Banking and Financial Dealings Act 1971 pattern (no proclamations). */
function standingPattern(year: number): string[] {
  const easter = easterSunday(year);
  const taken = new Set<string>();
  const newYear = substitute(`${year}-01-01`, taken);
  const christmas = substitute(`${year}-12-25`, taken);
  const boxingDay = substitute(`${year}-12-26`, taken);
  return [
    newYear,
    addDays(easter, -2),
    addDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    christmas,
    boxingDay,
  ];
}

describe('ENGLAND_BANK_HOLIDAYS', () => {
  it('lists 2024 to 2028, eight a year, in order, on weekdays', () => {
    expect([...ENGLAND_BANK_HOLIDAYS].sort()).toEqual([...ENGLAND_BANK_HOLIDAYS]);
    expect(new Set(ENGLAND_BANK_HOLIDAYS).size).toBe(ENGLAND_BANK_HOLIDAYS.length);
    for (const year of [2024, 2025, 2026, 2027, 2028]) {
      expect(ENGLAND_BANK_HOLIDAYS.filter((date) => date.startsWith(`${year}-`))).toHaveLength(8);
    }
    for (const date of ENGLAND_BANK_HOLIDAYS) expect(['SAT', 'SUN']).not.toContain(weekday(date));
  });

  it.each([2024, 2025, 2026, 2027, 2028])('%i matches the statutory pattern (Easter, May and August Mondays, substitute days)', (year) => {
    expect(ENGLAND_BANK_HOLIDAYS.filter((date) => date.startsWith(`${year}-`))).toEqual(standingPattern(year));
  });

  it('has the known Easter dates and substitute days', () => {
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(ENGLAND_BANK_HOLIDAYS).toEqual(expect.arrayContaining(['2025-04-18', '2025-04-21', '2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03']));
  });

  it('cannot be changed at runtime', () => {
    expect(Object.isFrozen(ENGLAND_BANK_HOLIDAYS)).toBe(true);
  });
});

describe('SAMPLE_LA_TERM_DATES', () => {
  it('covers 2024/25 to 2027/28 with six half terms a year', () => {
    expect(SAMPLE_LA_TERM_DATES.map((year) => year.academicYear)).toEqual(['2024/25', '2025/26', '2026/27', '2027/28']);
    for (const year of SAMPLE_LA_TERM_DATES) expect(year.terms).toHaveLength(6);
  });

  it('starts and ends every half term on a weekday, in order, within its academic year', () => {
    for (const year of SAMPLE_LA_TERM_DATES) {
      const startYear = Number(year.academicYear.slice(0, 4));
      let previousEnd = `${startYear}-08-31`;
      for (const term of year.terms) {
        expect(['SAT', 'SUN']).not.toContain(weekday(term.start));
        expect(['SAT', 'SUN']).not.toContain(weekday(term.end));
        expect(term.start > previousEnd).toBe(true);
        expect(term.end >= term.start).toBe(true);
        previousEnd = term.end;
      }
      expect(previousEnd < `${startYear + 1}-09-01`).toBe(true);
    }
  });

  it('puts five INSET days a year on weekdays inside its terms', () => {
    for (const year of SAMPLE_LA_TERM_DATES) {
      expect(year.closures).toHaveLength(5);
      for (const day of year.closures) {
        expect(['SAT', 'SUN']).not.toContain(weekday(day));
        expect(year.terms.some((term) => term.start <= day && day <= term.end)).toBe(true);
      }
    }
  });

  it('gives 190 pupil days in each academic year', () => {
    const calendar = sampleLaCalendar();
    for (const year of SAMPLE_LA_TERM_DATES) {
      const first = year.terms[0]!.start;
      const last = year.terms[year.terms.length - 1]!.end;
      expect(calendar.schoolDaysBetween(first, last)).toBe(190);
    }
  });

  it('has no school days in the Christmas, Easter or summer holidays', () => {
    const calendar = sampleLaCalendar();
    expect(calendar.schoolDaysBetween('2024-12-21', '2025-01-06')).toBe(0);
    expect(calendar.schoolDaysBetween('2025-04-05', '2025-04-21')).toBe(0);
    expect(calendar.schoolDaysBetween('2025-07-22', '2025-09-02')).toBe(0);
    expect(calendar.isSchoolDay('2025-12-25')).toBe(false);
  });

  it('spans 2 September 2024 to 21 July 2028', () => {
    const calendar = sampleLaCalendar();
    expect(calendar.firstDay).toBe('2024-09-02');
    expect(calendar.lastDay).toBe('2028-07-21');
    expect(calendar.addSchoolDays(calendar.firstDay, 0)).toBe('2024-09-04');
    expect(fromDayNumber(toDayNumber(calendar.lastDay))).toBe('2028-07-21');
  });
});
