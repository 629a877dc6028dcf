import fc from 'fast-check';
import { createSchoolCalendar, day6Date, SchoolCalendar } from './calendar';
import { ENGLAND_BANK_HOLIDAYS, sampleLaCalendar } from './calendar-data';
import { addDays, fromDayNumber, toDayNumber } from './dates';
import { DomainRuleError } from './errors';
import { expectDomainError } from '../test/helpers';

// Autumn 2025 in two half terms; Monday 1 September is an INSET day.
const autumn = createSchoolCalendar({
  terms: [
    { start: '2025-11-03', end: '2025-12-19' },
    { start: '2025-09-01', end: '2025-10-24' },
  ],
  closures: ['2025-09-01'],
  bankHolidays: ENGLAND_BANK_HOLIDAYS,
});

describe('createSchoolCalendar', () => {
  it('covers the first term start to the last term end, whatever order the terms come in', () => {
    expect(autumn.firstDay).toBe('2025-09-01');
    expect(autumn.lastDay).toBe('2025-12-19');
  });

  it('refuses a calendar without terms', () => {
    expectDomainError(() => createSchoolCalendar({ terms: [] }), 'INVALID_CALENDAR', /at least one term/);
    expectDomainError(() => createSchoolCalendar(undefined as never), 'INVALID_CALENDAR');
  });

  it('refuses a term that ends before it starts', () => {
    expectDomainError(
      () => createSchoolCalendar({ terms: [{ start: '2025-10-24', end: '2025-09-01' }] }),
      'INVALID_CALENDAR',
      /ends \(2025-09-01\) before it starts \(2025-10-24\)/,
    );
  });

  it('refuses overlapping terms', () => {
    expectDomainError(
      () =>
        createSchoolCalendar({
          terms: [
            { start: '2025-09-01', end: '2025-10-24' },
            { start: '2025-10-24', end: '2025-12-19' },
          ],
        }),
      'INVALID_CALENDAR',
      /overlap/,
    );
  });

  it('refuses malformed dates anywhere in the input', () => {
    expectDomainError(() => createSchoolCalendar({ terms: [{ start: '2025-02-30', end: '2025-03-10' }] }), 'INVALID_DATE', /start of term 1/);
    expectDomainError(
      () => createSchoolCalendar({ terms: [{ start: '2025-09-01', end: '2025-10-24' }], closures: ['2025-09-31'] }),
      'INVALID_DATE',
      /closures entry 1/,
    );
    expectDomainError(
      () => createSchoolCalendar({ terms: [{ start: '2025-09-01', end: '2025-10-24' }], bankHolidays: ['25/12/2025'] }),
      'INVALID_DATE',
      /bank holidays entry 1/,
    );
  });

  it('accepts a one-day term', () => {
    const oneDay = createSchoolCalendar({ terms: [{ start: '2025-09-02', end: '2025-09-02' }] });
    expect(oneDay.isSchoolDay('2025-09-02')).toBe(true);
    expect(oneDay.schoolDaysBetween('2025-09-02', '2025-09-02')).toBe(1);
  });
});

describe('isSchoolDay', () => {
  it.each([
    ['2025-09-01', false, 'INSET closure'],
    ['2025-09-02', true, 'first pupil day'],
    ['2025-09-06', false, 'Saturday'],
    ['2025-09-07', false, 'Sunday'],
    ['2025-10-24', true, 'last day before half term'],
    ['2025-10-27', false, 'half term'],
    ['2025-10-31', false, 'half term'],
    ['2025-11-03', true, 'first day after half term'],
    ['2025-12-19', true, 'last day of term'],
  ])('%s is %s (%s)', (date, expected) => {
    expect(autumn.isSchoolDay(date)).toBe(expected);
  });

  it('excludes bank holidays inside a term', () => {
    const calendar = createSchoolCalendar({ terms: [{ start: '2025-04-22', end: '2025-05-23' }], bankHolidays: ENGLAND_BANK_HOLIDAYS });
    expect(calendar.isSchoolDay('2025-05-05')).toBe(false); // early May bank holiday
    expect(calendar.isSchoolDay('2025-05-06')).toBe(true);
  });

  it('treats dates before the first term and after the last term as not school days', () => {
    expect(autumn.isSchoolDay('2025-08-29')).toBe(false);
    expect(autumn.isSchoolDay('2025-12-22')).toBe(false);
  });

  it('refuses an invalid date', () => {
    expectDomainError(() => autumn.isSchoolDay('2025-09-31'), 'INVALID_DATE');
  });
});

describe('addSchoolDays', () => {
  it.each([
    ['2025-09-02', 0, '2025-09-02', 'n = 0 on a school day returns the day itself'],
    ['2025-09-01', 0, '2025-09-02', 'n = 0 on a closure moves to the next school day'],
    ['2025-09-06', 0, '2025-09-08', 'n = 0 on a Saturday moves to Monday'],
    ['2025-09-05', 1, '2025-09-08', 'Friday + 1 is Monday'],
    ['2025-09-06', 1, '2025-09-09', 'Saturday + 1 is Tuesday (Monday is step 0)'],
    ['2025-09-02', 4, '2025-09-08', 'Tuesday + 4 crosses the weekend'],
    ['2025-10-24', 1, '2025-11-03', 'the last day before half term + 1 is the first day after'],
    ['2025-10-27', 0, '2025-11-03', 'a half-term day moves to the first day back'],
    ['2025-11-03', -1, '2025-10-24', 'counting back over half term'],
    ['2025-09-07', -1, '2025-09-04', 'n < 0 from a Sunday starts from Friday (step 0)'],
    ['2025-09-07', 0, '2025-09-08', 'n = 0 always rolls forward'],
    ['2025-12-19', 0, '2025-12-19', 'the last school day + 0'],
  ])('%s + %i = %s (%s)', (date, n, expected) => {
    expect(autumn.addSchoolDays(date, n)).toBe(expected);
  });

  it('throws CALENDAR_EXHAUSTED when the count runs past the last term, with what to do', () => {
    expectDomainError(() => autumn.addSchoolDays('2025-12-19', 1), 'CALENDAR_EXHAUSTED', /last term ends on 2025-12-19.*Add the next academic year's terms/);
    expectDomainError(() => autumn.addSchoolDays('2025-12-30', 0), 'CALENDAR_EXHAUSTED');
    expectDomainError(() => autumn.addSchoolDays('2025-09-02', -1), 'CALENDAR_EXHAUSTED', /first term starts on 2025-09-01/);
  });

  it('never loops, however large n is', () => {
    expectDomainError(() => autumn.addSchoolDays('2025-09-02', 1_000_000_000), 'CALENDAR_EXHAUSTED');
    expectDomainError(() => autumn.addSchoolDays('2025-09-02', Number.MAX_SAFE_INTEGER), 'CALENDAR_EXHAUSTED');
    expectDomainError(() => autumn.addSchoolDays('2025-12-19', -Number.MAX_SAFE_INTEGER), 'CALENDAR_EXHAUSTED');
  });

  it('throws OUTSIDE_CALENDAR when counting starts outside the calendar', () => {
    expectDomainError(() => autumn.addSchoolDays('2025-08-01', 3), 'OUTSIDE_CALENDAR');
    expectDomainError(() => autumn.addSchoolDays('2026-01-05', -3), 'OUTSIDE_CALENDAR');
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, '2' as unknown as number])('refuses n = %p', (n) => {
    expectDomainError(() => autumn.addSchoolDays('2025-09-02', n), 'INVALID_ARGUMENT', /whole number/);
  });
});

describe('schoolDaysBetween (both ends included)', () => {
  it.each([
    ['2025-09-08', '2025-09-12', 5, 'a full week'],
    ['2025-09-08', '2025-09-08', 1, 'one school day'],
    ['2025-09-06', '2025-09-06', 0, 'one Saturday'],
    ['2025-09-06', '2025-09-07', 0, 'a weekend'],
    ['2025-09-01', '2025-09-05', 4, 'a week starting with an INSET day'],
    ['2025-10-20', '2025-11-07', 10, 'across half term'],
    ['2025-09-01', '2025-12-19', 74, 'the whole autumn term: 40 + 35 weekdays less one INSET day'],
  ])('%s to %s = %i (%s)', (from, to, expected) => {
    expect(autumn.schoolDaysBetween(from, to)).toBe(expected);
  });

  it('refuses a reversed range', () => {
    expectDomainError(() => autumn.schoolDaysBetween('2025-09-12', '2025-09-08'), 'INVALID_RANGE', /before the start date/);
  });

  it('refuses a range reaching outside the calendar', () => {
    expectDomainError(() => autumn.schoolDaysBetween('2025-08-30', '2025-09-12'), 'OUTSIDE_CALENDAR', /start date 2025-08-30/);
    expectDomainError(() => autumn.schoolDaysBetween('2025-12-01', '2026-01-09'), 'OUTSIDE_CALENDAR', /end date 2026-01-09/);
  });
});

describe('day6Date (sample LA calendar)', () => {
  const calendar = sampleLaCalendar();

  it.each([
    ['2025-01-13', '2025-01-20', 'Monday: days 1-5 that week, day 6 the next Monday'],
    ['2025-01-15', '2025-01-22', 'Wednesday: the weekend is skipped'],
    ['2025-03-01', '2025-03-10', 'Saturday: day 1 is Monday 3 March'],
    ['2024-12-18', '2025-01-09', 'before Christmas: 18-20 Dec, then 6 Jan is INSET, so 7, 8, 9 Jan'],
    ['2025-04-02', '2025-04-24', 'before Easter: 2-4 Apr, then term resumes 22 Apr'],
    ['2025-05-01', '2025-05-09', 'early May bank holiday (5 May) is skipped'],
    ['2025-05-22', '2025-06-06', 'before the May half term: 22, 23 May, then 2 June is INSET, so 3-6 June'],
    ['2025-10-22', '2025-11-05', 'across October half term'],
    ['2026-12-17', '2027-01-08', 'Christmas 2026: 17, 18 Dec, then 4 Jan 2027 is INSET, so 5-8 Jan'],
    ['2028-02-29', '2028-03-07', 'leap day 2028 is a school day and day 1'],
  ])('exclusion from %s: day 6 is %s (%s)', (first, expected) => {
    expect(day6Date(first, calendar)).toBe(expected);
  });

  it('honours a one-off closure day', () => {
    const withPollingDay = createSchoolCalendar({
      terms: [{ start: '2025-01-06', end: '2025-02-14' }],
      closures: ['2025-01-16'],
      bankHolidays: ENGLAND_BANK_HOLIDAYS,
    });
    expect(day6Date('2025-01-13', withPollingDay)).toBe('2025-01-21');
  });

  it('throws CALENDAR_EXHAUSTED when the calendar ends before day 6', () => {
    expectDomainError(() => day6Date('2028-07-18', calendar), 'CALENDAR_EXHAUSTED', /2028-07-21/);
  });
});

describe('calendar properties (sample LA calendar)', () => {
  const calendar: SchoolCalendar = sampleLaCalendar();
  const first = toDayNumber(calendar.firstDay);
  const last = toDayNumber(calendar.lastDay);
  const dateInCalendar = fc.integer({ min: first, max: last }).map(fromDayNumber);
  // The last school day: one back from the calendar's end, then one forward.
  const lastSchoolDay = calendar.addSchoolDays(calendar.addSchoolDays(calendar.lastDay, -1), 1);
  const schoolDayInCalendar = fc
    .integer({ min: first, max: toDayNumber(lastSchoolDay) })
    .map((n) => calendar.addSchoolDays(fromDayNumber(n), 0));

  function orExhausted<T>(fn: () => T): T | 'EXHAUSTED' {
    try {
      return fn();
    } catch (error) {
      if (error instanceof DomainRuleError && error.code === 'CALENDAR_EXHAUSTED') return 'EXHAUSTED';
      throw error;
    }
  }

  it('addSchoolDays(d, n) always lands on a school day, n + 1 school days on from d inclusive', () => {
    fc.assert(
      fc.property(dateInCalendar, fc.integer({ min: 0, max: 400 }), (date, n) => {
        const result = orExhausted(() => calendar.addSchoolDays(date, n));
        if (result === 'EXHAUSTED') {
          expect(calendar.schoolDaysBetween(date, calendar.lastDay)).toBeLessThanOrEqual(n);
          return;
        }
        expect(calendar.isSchoolDay(result)).toBe(true);
        expect(result >= date).toBe(true);
        expect(calendar.schoolDaysBetween(date, result)).toBe(n + 1);
      }),
    );
  });

  it('addSchoolDays with a negative n lands on a school day on or before d', () => {
    fc.assert(
      fc.property(dateInCalendar, fc.integer({ min: -400, max: -1 }), (date, n) => {
        const result = orExhausted(() => calendar.addSchoolDays(date, n));
        if (result === 'EXHAUSTED') return;
        expect(calendar.isSchoolDay(result)).toBe(true);
        expect(calendar.schoolDaysBetween(result, date)).toBe(-n + 1);
      }),
    );
  });

  it('adding n then m school days is adding n + m', () => {
    fc.assert(
      fc.property(dateInCalendar, fc.nat(200), fc.nat(200), (date, n, m) => {
        const stepwise = orExhausted(() => calendar.addSchoolDays(calendar.addSchoolDays(date, n), m));
        const direct = orExhausted(() => calendar.addSchoolDays(date, n + m));
        expect(stepwise).toBe(direct);
      }),
    );
  });

  it('counting forward then back returns to the same school day', () => {
    fc.assert(
      fc.property(schoolDayInCalendar, fc.nat(300), (day, n) => {
        const forward = orExhausted(() => calendar.addSchoolDays(day, n));
        if (forward === 'EXHAUSTED') return;
        expect(calendar.addSchoolDays(forward, -n)).toBe(day);
      }),
    );
  });

  it('schoolDaysBetween matches a day-by-day count and splits additively', () => {
    fc.assert(
      fc.property(dateInCalendar, dateInCalendar, dateInCalendar, (a, b, c) => {
        const [from, middle, to] = [a, b, c].sort();
        let count = 0;
        for (let d = from as string; d <= (to as string); d = addDays(d, 1)) if (calendar.isSchoolDay(d)) count++;
        expect(calendar.schoolDaysBetween(from as string, to as string)).toBe(count);
        if ((middle as string) < (to as string)) {
          expect(calendar.schoolDaysBetween(from as string, middle as string) + calendar.schoolDaysBetween(addDays(middle as string, 1), to as string)).toBe(count);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('day 6 is a school day and the sixth school day counted from the first day of exclusion', () => {
    fc.assert(
      fc.property(dateInCalendar, (first) => {
        const day6 = orExhausted(() => day6Date(first, calendar));
        if (day6 === 'EXHAUSTED') return;
        expect(calendar.isSchoolDay(day6)).toBe(true);
        expect(calendar.schoolDaysBetween(first, day6)).toBe(6);
      }),
    );
  });

  it('weekends and bank holidays are never school days', () => {
    fc.assert(
      fc.property(dateInCalendar, (date) => {
        const dayOfWeek = new Date(`${date}T00:00:00Z`).getUTCDay();
        if (dayOfWeek === 0 || dayOfWeek === 6 || ENGLAND_BANK_HOLIDAYS.includes(date)) {
          expect(calendar.isSchoolDay(date)).toBe(false);
        }
      }),
    );
  });
});
