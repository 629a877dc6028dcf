import fc from 'fast-check';
import { checkNonSchoolApPlacement, mustRegisterAsIndependentSchool, NON_SCHOOL_AP_MAX_INTENSIVE_WEEKS, NON_SCHOOL_AP_MAX_PART_TIME_SESSIONS } from './unregistered-ap';
import { expectDomainError } from '../test/helpers';

describe('mustRegisterAsIndependentSchool (Education Act 1996 s.463)', () => {
  it.each([
    [0, 0, 0, false, 'no full-time pupils'],
    [4, 0, 0, false, 'four full-time pupils'],
    [5, 0, 0, true, 'five full-time pupils'],
    [12, 0, 0, true, 'twelve full-time pupils'],
    [1, 1, 0, true, 'one full-time pupil with an EHC plan'],
    [1, 0, 1, true, 'one full-time looked-after pupil'],
    [4, 0, 1, true, 'four full-time pupils, one looked after'],
    [3, 2, 2, true, 'three, with EHC plans and looked after'],
  ])('%i full-time, %i with EHCP, %i looked after: %s (%s)', (fullTimePupils, fullTimePupilsWithEhcp, fullTimeLookedAfterPupils, expected) => {
    expect(mustRegisterAsIndependentSchool({ fullTimePupils, fullTimePupilsWithEhcp, fullTimeLookedAfterPupils })).toBe(expected);
  });

  it.each([
    [{ fullTimePupils: -1, fullTimePupilsWithEhcp: 0, fullTimeLookedAfterPupils: 0 }, /full-time pupils must be a whole number/],
    [{ fullTimePupils: 2.5, fullTimePupilsWithEhcp: 0, fullTimeLookedAfterPupils: 0 }, /whole number/],
    [{ fullTimePupils: 3, fullTimePupilsWithEhcp: Number.NaN, fullTimeLookedAfterPupils: 0 }, /EHC plan/],
    [{ fullTimePupils: 1, fullTimePupilsWithEhcp: 2, fullTimeLookedAfterPupils: 0 }, /neither can be more than 1/],
    [{ fullTimePupils: 0, fullTimePupilsWithEhcp: 0, fullTimeLookedAfterPupils: 1 }, /neither can be more than 0/],
    [{ fullTimePupils: 3 } as never, /EHC plan/],
  ])('refuses %j', (counts, message) => {
    expectDomainError(() => mustRegisterAsIndependentSchool(counts), 'INVALID_ARGUMENT', message);
  });

  it('never stops applying when more full-time pupils are added (property)', () => {
    const counts = fc
      .tuple(fc.nat(20), fc.nat(20), fc.nat(20))
      .map(([all, ehcp, lac]) => ({ fullTimePupils: all, fullTimePupilsWithEhcp: Math.min(ehcp, all), fullTimeLookedAfterPupils: Math.min(lac, all) }));
    fc.assert(
      fc.property(counts, fc.nat(5), fc.nat(5), fc.nat(5), (base, more, moreEhcp, moreLac) => {
        const bigger = {
          fullTimePupils: base.fullTimePupils + more + moreEhcp + moreLac,
          fullTimePupilsWithEhcp: base.fullTimePupilsWithEhcp + moreEhcp,
          fullTimeLookedAfterPupils: base.fullTimeLookedAfterPupils + moreLac,
        };
        if (mustRegisterAsIndependentSchool(base)) expect(mustRegisterAsIndependentSchool(bigger)).toBe(true);
        expect(mustRegisterAsIndependentSchool(base)).toBe(
          base.fullTimePupils >= 5 || base.fullTimePupilsWithEhcp > 0 || base.fullTimeLookedAfterPupils > 0,
        );
      }),
    );
  });
});

describe('checkNonSchoolApPlacement (12 weeks intensive, else at most 2 days / 4 sessions a week)', () => {
  it('uses the announced limits', () => {
    expect(NON_SCHOOL_AP_MAX_INTENSIVE_WEEKS).toBe(12);
    expect(NON_SCHOOL_AP_MAX_PART_TIME_SESSIONS).toBe(4);
  });

  it.each([
    ['2025-09-01', '2025-11-23', 10, 'INTENSIVE', 'full-time for exactly 12 weeks (84 days)'],
    ['2025-09-01', '2025-09-26', 6, 'INTENSIVE', 'three days a week for four weeks'],
    ['2025-09-01', '2026-07-17', 4, 'PART_TIME', 'two days a week for the school year'],
    ['2025-09-01', null, 4, 'PART_TIME', 'four half days a week, open-ended'],
    ['2025-09-01', '2026-03-31', 2, 'PART_TIME', 'one day a week'],
  ] as [string, string | null, number, 'INTENSIVE' | 'PART_TIME', string][])('%s to %s at %i sessions a week is %s (%s)', (startDate, endDate, sessionsPerWeek, kind) => {
    const result = checkNonSchoolApPlacement({ startDate, endDate, sessionsPerWeek });
    expect(result).toMatchObject({ ok: true, kind, problems: [] });
  });

  it('reports the length in weeks', () => {
    expect(checkNonSchoolApPlacement({ startDate: '2025-09-01', endDate: '2025-11-23', sessionsPerWeek: 10 }).weeks).toBe(12);
    expect(checkNonSchoolApPlacement({ startDate: '2025-09-01', sessionsPerWeek: 4 }).weeks).toBeNull();
  });

  it.each([
    ['2025-09-01', '2025-11-24', 10, /lasts 12.1 weeks at 10 sessions a week/],
    ['2025-09-01', '2026-07-17', 5, /lasts 45.7 weeks at 5 sessions/],
    ['2025-09-01', null, 6, /has no end date at 6 sessions/],
  ] as const)('refuses %s to %s at %i sessions a week, saying how to fix it', (startDate, endDate, sessionsPerWeek, message) => {
    const result = checkNonSchoolApPlacement({ startDate, endDate, sessionsPerWeek });
    expect(result.ok).toBe(false);
    expect(result.kind).toBeNull();
    expect(result.problems.map((p) => p.code)).toEqual(['TOO_MANY_SESSIONS_FOR_LONG_PLACEMENT']);
    expect(result.problems[0]!.message).toMatch(message);
    expect(result.problems[0]!.message).toMatch(/end it within 12 weeks of the start or reduce it to 4 sessions a week/);
  });

  it('exempts education otherwise than in school under an EHC plan', () => {
    expect(checkNonSchoolApPlacement({ startDate: '2025-09-01', endDate: '2026-07-17', sessionsPerWeek: 10, eotasUnderEhcp: true })).toMatchObject({ ok: true, kind: 'EOTAS' });
  });

  it.each([
    [{ startDate: '2025-02-30', sessionsPerWeek: 4 }, ['INVALID_DATE']],
    [{ startDate: '2025-09-01', endDate: '2025-09-31', sessionsPerWeek: 4 }, ['INVALID_DATE']],
    [{ startDate: '2025-09-01', endDate: '2025-08-01', sessionsPerWeek: 4 }, ['END_BEFORE_START']],
    [{ startDate: '2025-09-01', sessionsPerWeek: 0 }, ['INVALID_SESSIONS']],
    [{ startDate: '2025-09-01', sessionsPerWeek: 11 }, ['INVALID_SESSIONS']],
    [{ startDate: '2025-09-01', sessionsPerWeek: 2.5 }, ['INVALID_SESSIONS']],
  ])('reports invalid input %j', (placement, expected) => {
    const result = checkNonSchoolApPlacement(placement);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(expected);
  });
});
