import * as domain from './index';

describe('@ap/domain public API', () => {
  it.each([
    'upnCheckLetter',
    'validateUpn',
    'createSchoolCalendar',
    'day6Date',
    'sampleLaCalendar',
    'yearGroup',
    'keyStage',
    'attendanceCode',
    'homeSchoolAttendanceCode',
    'weeklyHours',
    'isFullTime',
    'validateTimetable',
    'offSiteDirectionEarliestStart',
    'offSiteDirectionReviewDue',
    'mustRegisterAsIndependentSchool',
    'checkNonSchoolApPlacement',
    'DomainRuleError',
  ])('exports %s', (name) => {
    expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports the shipped data', () => {
    expect(domain.ENGLAND_BANK_HOLIDAYS.length).toBeGreaterThan(0);
    expect(domain.SAMPLE_LA_TERM_DATES.length).toBe(4);
  });

  it('throws the exported DomainRuleError class from the rules', () => {
    expect(() => domain.keyStage(14)).toThrow(domain.DomainRuleError);
    expect(() => domain.createSchoolCalendar({ terms: [{ start: '2025-02-30', end: '2025-03-01' }] })).toThrow(domain.DomainRuleError);
  });

  it('answers the worked examples end to end', () => {
    expect(domain.validateUpn('b801200005001')).toEqual({ ok: true, upn: 'B801200005001', temporary: false });
    expect(domain.day6Date('2025-01-13', domain.sampleLaCalendar())).toBe('2025-01-20');
    expect(domain.keyStage(domain.yearGroup('2016-03-01', '2025-09-01'))).toBe('KS2');
    expect(domain.attendanceCode('K').countsAsAttendance).toBe(true);
    expect(domain.isFullTime(domain.weeklyHours([{ day: 'MON', start: '09:00', end: '15:00' }]))).toBe(false);
    expect(domain.mustRegisterAsIndependentSchool({ fullTimePupils: 1, fullTimePupilsWithEhcp: 1, fullTimeLookedAfterPupils: 0 })).toBe(true);
  });
});
