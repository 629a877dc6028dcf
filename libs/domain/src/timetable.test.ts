import fc from 'fast-check';
import { DEFAULT_FULL_TIME_HOURS, halfDaysOf, isFullTime, SchoolWeekday, TimetableSession, validateTimetable, weeklyHours, weeklyMinutes } from './timetable';
import { expectDomainError } from '../test/helpers';

const DAYS: SchoolWeekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const everyDay = (start: string, end: string): TimetableSession[] => DAYS.map((day) => ({ day, start, end }));

describe('weeklyHours', () => {
  it.each([
    ['five days 09:00-15:00', everyDay('09:00', '15:00'), 30],
    ['five days 09:00-14:00', everyDay('09:00', '14:00'), 25],
    ['five days 09:00-14:30', everyDay('09:00', '14:30'), 27.5],
    ['two mornings', [{ day: 'MON', start: '09:00', end: '12:00' }, { day: 'WED', start: '09:15', end: '12:15' }], 6],
    ['touching sessions on one day', [{ day: 'TUE', start: '09:00', end: '12:00' }, { day: 'TUE', start: '12:00', end: '15:00' }], 6],
    ['the same times on different days', [{ day: 'MON', start: '10:00', end: '11:00' }, { day: 'TUE', start: '10:00', end: '11:00' }], 2],
    ['no sessions', [], 0],
  ] as [string, TimetableSession[], number][])('%s = %d hours', (_label, sessions, hours) => {
    expect(weeklyHours(sessions)).toBe(hours);
  });

  it('refuses overlapping sessions, naming them', () => {
    expectDomainError(
      () =>
        weeklyHours([
          { day: 'MON', start: '09:00', end: '12:00' },
          { day: 'TUE', start: '09:00', end: '12:00' },
          { day: 'MON', start: '11:30', end: '14:00' },
        ]),
      'OVERLAPPING_SESSIONS',
      /Sessions 1 and 3 overlap on MON/,
    );
    expectDomainError(
      () => weeklyHours([{ day: 'FRI', start: '09:00', end: '15:00' }, { day: 'FRI', start: '10:00', end: '11:00' }]),
      'OVERLAPPING_SESSIONS',
    );
  });

  it.each([
    [{ day: 'SAT', start: '09:00', end: '12:00' }, /day "SAT"/],
    [{ day: 'mon', start: '09:00', end: '12:00' }, /day "mon"/],
    [{ day: 'MON', start: '9:00', end: '12:00' }, /"9:00" is not a time/],
    [{ day: 'MON', start: '09:00', end: '24:00' }, /"24:00" is not a time/],
    [{ day: 'MON', start: '09:60', end: '12:00' }, /"09:60"/],
    [{ day: 'MON', start: '12:00', end: '12:00' }, /must end after it starts/],
    [{ day: 'MON', start: '13:00', end: '12:00' }, /must end after it starts/],
  ])('refuses the session %j', (session, message) => {
    expectDomainError(() => weeklyHours([session as TimetableSession]), 'INVALID_SESSION', message);
  });

  it('refuses a timetable that is not a list', () => {
    expectDomainError(() => weeklyHours(undefined as never), 'INVALID_SESSION');
  });

  it('is the sum of the session lengths in any order, for any non-overlapping sessions (property)', () => {
    // For each weekday, an even number of distinct minute marks paired into sessions cannot overlap.
    const day = fc.uniqueArray(fc.integer({ min: 0, max: 1439 }), { maxLength: 8 }).map((marks) => {
      const sorted = [...marks].sort((a, b) => a - b);
      const pairs: [number, number][] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) pairs.push([sorted[i]!, sorted[i + 1]!]);
      return pairs;
    });
    const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    fc.assert(
      fc.property(fc.tuple(day, day, day, day, day), fc.integer(), (week, seed) => {
        const sessions: TimetableSession[] = week.flatMap((pairs, i) => pairs.map(([s, e]) => ({ day: DAYS[i]!, start: hhmm(s), end: hhmm(e) })));
        const expected = week.flat().reduce((sum, [s, e]) => sum + (e - s), 0);
        const shuffled = [...sessions].sort((a, b) => ((a.start.charCodeAt(4) * seed) % 7) - ((b.start.charCodeAt(4) * seed) % 7));
        expect(weeklyMinutes(sessions)).toBe(expected);
        expect(weeklyMinutes(shuffled)).toBe(expected);
        expect(weeklyHours(sessions)).toBeCloseTo(expected / 60, 10);
      }),
    );
  });
});

describe('isFullTime', () => {
  it.each([
    [25, undefined, true],
    [24.99, undefined, false],
    [30, undefined, true],
    [0, undefined, false],
    [27.5, 32.5, false],
    [32.5, 32.5, true],
  ])('%d hours with threshold %p: %s', (hours, threshold, expected) => {
    expect(isFullTime(hours, threshold)).toBe(expected);
  });

  it('defaults to 25 hours', () => {
    expect(DEFAULT_FULL_TIME_HOURS).toBe(25);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p hours', (hours) => {
    expectDomainError(() => isFullTime(hours), 'INVALID_ARGUMENT', /Weekly hours/);
  });

  it.each([0, -5, Number.NaN])('refuses a threshold of %p', (threshold) => {
    expectDomainError(() => isFullTime(20, threshold), 'INVALID_ARGUMENT', /threshold/);
  });
});

describe('validateTimetable', () => {
  const partTime = [{ day: 'MON', start: '09:00', end: '12:00' }, { day: 'TUE', start: '09:00', end: '12:00' }] as TimetableSession[];
  const codes = (problems: ReturnType<typeof validateTimetable>) => problems.map((p) => p.code);

  it('accepts a full-time timetable without dates', () => {
    expect(validateTimetable({ sessions: everyDay('09:00', '15:00') })).toEqual([]);
  });

  it('requires an end date and a review date for a part-time timetable', () => {
    const problems = validateTimetable({ sessions: partTime, startDate: '2025-09-08' });
    expect(codes(problems)).toEqual(['PART_TIME_NEEDS_END_DATE', 'PART_TIME_NEEDS_REVIEW_DATE']);
    expect(problems[0]!.field).toBe('endDate');
    expect(problems[0]!.message).toMatch(/6 hours a week is part-time \(full-time is 25 hours or more\)/);
    expect(problems[1]!.field).toBe('reviewDate');
  });

  it('treats null dates as missing', () => {
    expect(codes(validateTimetable({ sessions: partTime, endDate: null, reviewDate: null }))).toEqual(['PART_TIME_NEEDS_END_DATE', 'PART_TIME_NEEDS_REVIEW_DATE']);
  });

  it('accepts a part-time timetable with an end date and a review date inside it', () => {
    expect(validateTimetable({ sessions: partTime, startDate: '2025-09-08', endDate: '2025-10-24', reviewDate: '2025-09-26', parentAgreed: true })).toEqual([]);
  });

  it('uses the configured threshold', () => {
    const hours27 = everyDay('09:00', '14:30');
    expect(validateTimetable({ sessions: hours27 })).toEqual([]);
    expect(codes(validateTimetable({ sessions: hours27, thresholdHours: 32.5 }))).toEqual(['PART_TIME_NEEDS_END_DATE', 'PART_TIME_NEEDS_REVIEW_DATE']);
  });

  it('refuses a review date outside the timetable and an end before the start', () => {
    expect(codes(validateTimetable({ sessions: partTime, startDate: '2025-09-08', endDate: '2025-10-24', reviewDate: '2025-11-01' }))).toEqual(['REVIEW_OUTSIDE_TIMETABLE']);
    expect(codes(validateTimetable({ sessions: partTime, startDate: '2025-09-08', endDate: '2025-10-24', reviewDate: '2025-09-01' }))).toEqual(['REVIEW_OUTSIDE_TIMETABLE']);
    expect(codes(validateTimetable({ sessions: partTime, startDate: '2025-09-08', endDate: '2025-09-01', reviewDate: '2025-09-05' }))).toContain('END_BEFORE_START');
  });

  it('reports invalid dates and sessions as problems rather than throwing', () => {
    const problems = validateTimetable({ sessions: partTime, endDate: '2025-02-30', reviewDate: '2025-02-10' });
    expect(codes(problems)).toEqual(['INVALID_DATE']);
    expect(problems[0]!.field).toBe('endDate');
    expect(codes(validateTimetable({ sessions: [{ day: 'MON', start: '09:00', end: '12:00' }, { day: 'MON', start: '11:00', end: '13:00' }] }))).toEqual(['OVERLAPPING_SESSIONS']);
    expect(codes(validateTimetable({ sessions: [{ day: 'SUN', start: '09:00', end: '12:00' }] as unknown as TimetableSession[] }))).toEqual(['INVALID_SESSION']);
  });

  it('flags an empty timetable and a part-time timetable the parent has not agreed', () => {
    expect(codes(validateTimetable({ sessions: [], endDate: '2025-10-24', reviewDate: '2025-10-01' }))).toEqual(['NO_SESSIONS']);
    expect(codes(validateTimetable({ sessions: partTime, endDate: '2025-10-24', reviewDate: '2025-10-01', parentAgreed: false }))).toEqual(['PART_TIME_NEEDS_PARENT_AGREEMENT']);
    // Parent agreement is irrelevant to a full-time timetable.
    expect(validateTimetable({ sessions: everyDay('09:00', '15:00'), parentAgreed: false })).toEqual([]);
  });
});

describe('halfDaysOf', () => {
  it.each([
    ['09:00', '15:00', ['AM', 'PM']],
    ['09:00', '12:00', ['AM']],
    ['09:00', '13:00', ['AM']],
    ['11:59', '13:01', ['AM', 'PM']],
    ['12:00', '15:00', ['PM']],
    ['12:00', '13:00', []],
    ['13:30', '15:30', ['PM']],
  ])('a session from %s to %s takes %j', (start, end, halves) => {
    expect(halfDaysOf({ start, end })).toEqual(halves);
  });
});
