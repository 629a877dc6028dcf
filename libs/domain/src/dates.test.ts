import fc from 'fast-check';
import { addDays, compareDates, daysBetween, fromDayNumber, isIsoDate, parseIsoDate, toDayNumber, weekday } from './dates';
import { expectDomainError } from '../test/helpers';

describe('parseIsoDate', () => {
  it.each([
    ['2024-02-29', { year: 2024, month: 2, day: 29 }],
    ['2000-02-29', { year: 2000, month: 2, day: 29 }],
    ['2025-12-31', { year: 2025, month: 12, day: 31 }],
    ['2025-09-01', { year: 2025, month: 9, day: 1 }],
  ])('accepts %s', (input, parts) => {
    expect(parseIsoDate(input)).toEqual(parts);
  });

  it.each([
    ['2025-02-30', /does not exist/],
    ['2023-02-29', /does not exist/],
    ['1900-02-29', /does not exist/],
    ['2025-04-31', /does not exist/],
    ['2024-13-01', /no month 13/],
    ['2024-00-10', /no month 0/],
    ['2024-01-00', /does not exist/],
    ['2024-1-1', /YYYY-MM-DD/],
    [' 2024-01-01', /YYYY-MM-DD/],
    ['2024-01-01T00:00:00Z', /YYYY-MM-DD/],
    ['01/09/2025', /YYYY-MM-DD/],
    ['', /YYYY-MM-DD/],
  ])('refuses %j', (input, message) => {
    expectDomainError(() => parseIsoDate(input), 'INVALID_DATE', message);
  });

  it('refuses values that are not strings, naming the field', () => {
    expectDomainError(() => parseIsoDate(20240101, 'date of birth'), 'INVALID_DATE', /date of birth is missing/);
    expectDomainError(() => parseIsoDate(undefined), 'INVALID_DATE');
    expectDomainError(() => parseIsoDate(new Date()), 'INVALID_DATE');
  });

  it('isIsoDate agrees with parseIsoDate', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('day arithmetic', () => {
  it('knows the weekdays, including before 1970', () => {
    expect(weekday('2024-09-02')).toBe('MON');
    expect(weekday('2025-12-25')).toBe('THU');
    expect(weekday('1970-01-01')).toBe('THU');
    expect(weekday('1969-12-31')).toBe('WED');
    expect(weekday('2028-02-29')).toBe('TUE');
  });

  it('adds days across month ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(compareDates('2025-01-01', '2024-12-31')).toBeGreaterThan(0);
  });

  it('ignores the host timezone, even across clock changes', () => {
    const original = process.env.TZ;
    try {
      for (const tz of ['Europe/London', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Australia/Lord_Howe']) {
        process.env.TZ = tz;
        expect(addDays('2025-03-29', 1)).toBe('2025-03-30'); // UK clocks go forward on 30 March 2025
        expect(addDays('2025-10-26', 1)).toBe('2025-10-27'); // and back on 26 October 2025
        expect(weekday('2025-03-30')).toBe('SUN');
        expect(daysBetween('2025-03-01', '2025-11-01')).toBe(245);
      }
    } finally {
      process.env.TZ = original;
    }
  });

  it('round-trips every day number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2199-12-30') }), (n) => {
        const date = fromDayNumber(n);
        expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(toDayNumber(date)).toBe(n);
        expect(daysBetween(date, addDays(date, 1))).toBe(1);
      }),
    );
  });
});
