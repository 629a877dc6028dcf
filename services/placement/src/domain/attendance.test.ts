import { sampleLaCalendar } from '@ap/domain';
import {
  checkMark,
  checkPeriod,
  dayCodes,
  expectsAmMark,
  londonDateTime,
  noMarkCheckDate,
  periodAttendance,
  MarkChecks,
  placeMisMark,
  PlacementForMarks,
  summariseDay,
  timetabledSessions,
  unexplainedAbsence,
} from './attendance';

const calendar = sampleLaCalendar();
const TODAY = '2026-11-25'; // a Wednesday in the autumn term
const FULL_WEEK = (['MON', 'TUE', 'WED', 'THU', 'FRI'] as const).map((day) => ({ day, start: '09:00', end: '15:00' }));
// Mornings Monday to Wednesday only: part-time.
const MORNINGS = (['MON', 'TUE', 'WED'] as const).map((day) => ({ day, start: '09:00', end: '12:00' }));

const placement = (extra: Partial<PlacementForMarks> = {}): PlacementForMarks => ({
  id: 'p1',
  status: 'ACTIVE',
  startDate: '2026-11-02',
  plannedStartDate: '2026-11-02',
  endDate: null,
  timetable: FULL_WEEK,
  fullTime: true,
  ...extra,
});
const partTime = placement({ id: 'p2', timetable: MORNINGS, fullTime: false });

describe('timetabledSessions', () => {
  it.each([
    [FULL_WEEK, '2026-11-23', ['AM', 'PM']],
    [MORNINGS, '2026-11-23', ['AM']],
    [MORNINGS, '2026-11-26', []], // Thursday
    [[{ day: 'MON' as const, start: '12:30', end: '15:00' }], '2026-11-23', ['PM']],
    [null, '2026-11-26', ['AM', 'PM']], // no timetable yet: full-time
  ])('%j on %s takes %j', (timetable, date, sessions) => {
    expect(timetabledSessions({ timetable }, date)).toEqual(sessions);
  });
});

describe('checkMark (the provider records a session)', () => {
  const cases: [string, PlacementForMarks, { date: string; session: string; code: string }, string[] | string][] = [
    ['present', placement(), { date: '2026-11-23', session: 'AM', code: '/' }, '/'],
    ['lower-case code', placement(), { date: '2026-11-23', session: 'PM', code: 'n' }, 'N'],
    ['no such code', placement(), { date: '2026-11-23', session: 'AM', code: '9' }, ['code']],
    ['a retired code', placement(), { date: '2026-11-23', session: 'AM', code: 'H' }, ['code']],
    ['a Saturday', placement(), { date: '2026-11-21', session: 'AM', code: '/' }, ['date']],
    ['half term', placement(), { date: '2026-10-28', session: 'AM', code: '/' }, ['date']],
    ['tomorrow', placement(), { date: '2026-11-26', session: 'AM', code: '/' }, ['date']],
    ['before the start', placement({ startDate: '2026-11-24' }), { date: '2026-11-23', session: 'AM', code: '/' }, ['date']],
    ['after the end', placement({ status: 'ENDED', endDate: '2026-11-20' }), { date: '2026-11-23', session: 'AM', code: '/' }, ['date']],
    ['a cancelled placement', placement({ status: 'CANCELLED' }), { date: '2026-11-23', session: 'AM', code: '/' }, ['date']],
    ['a session off the timetable', partTime, { date: '2026-11-23', session: 'PM', code: '/' }, ['session']],
    ['not AM or PM', placement(), { date: '2026-11-23', session: 'EVE', code: '/' }, ['session']],
    ['a bad code and a weekend', placement(), { date: '2026-11-22', session: 'AM', code: 'QQ' }, ['code', 'date']],
  ];
  it.each(cases)('%s', (_label, p, mark, expected) => {
    const checked = checkMark(p, mark, calendar, TODAY);
    if (typeof expected === 'string') expect(checked).toEqual({ ok: true, code: expected, session: mark.session });
    else expect(checked.ok ? [] : checked.problems.map((x) => x.field)).toEqual(expected);
  });

  it('says a Saturday is a Saturday, and a part-time session is C2', () => {
    expect(checkMark(placement(), { date: '2026-11-21', session: 'AM', code: '/' }, calendar, TODAY)).toEqual({
      ok: false,
      problems: [{ field: 'date', message: '2026-11-21 is a Saturday, not a school day.' }],
    });
    const offTimetable = checkMark(partTime, { date: '2026-11-19', session: 'AM', code: '/' }, calendar, TODAY);
    expect(offTimetable.ok ? '' : offTimetable.problems[0].message).toContain('C2 (part-time timetable), derived, not recorded');
  });
});

describe('placeMisMark (a MIS mark finds its placement by UPN)', () => {
  const mark = { date: '2026-11-23', session: 'AM', code: '/' };
  it.each([
    ['the one placement', [placement()], { ok: true, placementId: 'p1' }],
    ['unknown UPN', [], ['upn']],
    ['unknown UPN and a bad code say both', [], ['upn', 'code'], { ...mark, code: '9' }],
    ['a date outside every placement', [placement({ startDate: '2026-11-24' })], ['date']],
    ['the placement taking that session, of two part-time ones', [partTime, placement({ id: 'p3', timetable: [{ day: 'MON', start: '13:00', end: '15:30' }], fullTime: false })], { ok: true, placementId: 'p2' }],
    ['two placements taking the same session', [placement(), placement({ id: 'p4', fullTime: false })], ['session']],
    ['an ended placement and a later one', [placement({ status: 'ENDED', startDate: '2026-11-02', endDate: '2026-11-13' }), placement({ id: 'p5', startDate: '2026-11-16' })], { ok: true, placementId: 'p5' }],
  ] as const)('%s', (_label, candidates, expected, m: { date: string; session: string; code: string } = mark) => {
    const placed = placeMisMark(candidates as unknown as PlacementForMarks[], m, calendar, TODAY);
    if (Array.isArray(expected)) expect(placed.ok ? [] : placed.problems.map((p) => p.field)).toEqual(expected);
    else expect(placed).toMatchObject(expected);
  });

  it('gives the same answers with one push’s checks shared across its marks as with fresh ones', () => {
    const checks = new MarkChecks(calendar, TODAY);
    const candidates = [[placement()], [partTime], [partTime, placement({ id: 'p3', timetable: [{ day: 'MON', start: '13:00', end: '15:30' }], fullTime: false })], []] as unknown as PlacementForMarks[][];
    const dates = ['2026-11-16', '2026-11-21', '2026-11-23', '2026-11-24', '2026-12-30', 'not a date'];
    for (const c of candidates)
      for (const date of dates)
        for (const session of ['AM', 'PM', 'XX'])
          for (const code of ['/', 'N', '9', 'h']) {
            const m = { date, session, code };
            expect(placeMisMark(c, m, calendar, TODAY, checks)).toEqual(placeMisMark(c, m, calendar, TODAY));
          }
  });
});

describe('the same-day alert', () => {
  it.each([
    ['N', 'CODE_N'],
    ['O', 'CODE_O'],
    ['/', null],
    ['I', null],
    ['G', null],
  ])('code %s → %s', (code, reason) => expect(unexplainedAbsence(code)).toBe(reason));

  it.each([
    // 10:29 and 10:30 in November (GMT), 09:30 UTC in June (10:30 BST), a Saturday, half term.
    ['2026-11-25T10:29:00Z', null],
    ['2026-11-25T10:30:00Z', '2026-11-25'],
    ['2026-06-10T09:29:00Z', null],
    ['2026-06-10T09:30:00Z', '2026-06-10'],
    ['2026-11-21T11:00:00Z', null],
    ['2026-10-28T11:00:00Z', null],
  ])('at %s the missing AM marks of %s are due', (at, date) => {
    expect(noMarkCheckDate(new Date(at), calendar)).toBe(date);
  });

  it('reads England’s clock across midnight UTC in summer', () => {
    expect(londonDateTime(new Date('2026-06-09T23:30:00Z'))).toEqual({ date: '2026-06-10', time: '00:30' });
  });

  it.each([
    ['an active full-time placement', placement(), '2026-11-25', true],
    ['a planned one', placement({ status: 'PLANNED' }), '2026-11-25', false],
    ['a part-time one on a day without a morning', partTime, '2026-11-26', false],
    ['a part-time one on its morning', partTime, '2026-11-25', true],
    ['before it starts', placement({ startDate: '2026-11-26' }), '2026-11-25', false],
  ])('%s expects an AM mark: %s', (_label, p, date, expected) => expect(expectsAmMark(p, date)).toBe(expected));
});

describe('a day and a period', () => {
  it('derives C2 for a part-time placement’s sessions off the timetable, never for a full-time one', () => {
    expect(dayCodes(partTime, '2026-11-23', { AM: '/' })).toEqual({ date: '2026-11-23', AM: '/', PM: 'C2', derived: ['PM'] });
    expect(dayCodes(partTime, '2026-11-26', {})).toEqual({ date: '2026-11-26', AM: 'C2', PM: 'C2', derived: ['AM', 'PM'] });
    expect(dayCodes(placement({ timetable: MORNINGS }), '2026-11-23', { AM: '/' })).toEqual({ date: '2026-11-23', AM: '/', PM: null, derived: [] });
    expect(summariseDay(dayCodes(partTime, '2026-11-23', { AM: 'N' }))).toMatchObject({ possibleSessions: 2, attendedSessions: 0, authorisedAbsenceSessions: 1, unauthorisedAbsenceSessions: 1 });
  });

  it('summarises a part-time week: 3 mornings marked, the rest C2, a missing mark listed', () => {
    // Mon 23 to Fri 27 Nov, asked on Friday; Wednesday morning unmarked.
    const marks = new Map([
      ['2026-11-23|AM', '/'],
      ['2026-11-24|AM', 'N'],
    ]);
    const week = periodAttendance(partTime, '2026-11-23', '2026-11-27', marks, calendar, '2026-11-27');
    expect(week.summary).toEqual({
      possibleSessions: 9, // 2 marked + 7 C2 (Mon-Wed PM, Thu and Fri both)
      attendedSessions: 1,
      authorisedAbsenceSessions: 7,
      unauthorisedAbsenceSessions: 1,
      notPossibleSessions: 0,
      attendancePercent: 11.1,
    });
    expect(week.unmarked).toEqual([{ date: '2026-11-25', session: 'AM' }]);
    expect(week.days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
  });

  it('stops at today and at the placement’s dates; a cancelled placement has nothing', () => {
    const p = placement({ startDate: '2026-11-24' });
    const period = periodAttendance(p, '2026-11-02', '2026-12-31', new Map(), calendar, TODAY);
    expect(period.unmarked.map((u) => u.date)).toEqual(['2026-11-24', '2026-11-24', '2026-11-25', '2026-11-25']);
    expect(periodAttendance(placement({ status: 'CANCELLED' }), '2026-11-02', TODAY, new Map(), calendar, TODAY).unmarked).toEqual([]);
  });

  it.each([
    ['2026-11-01', '2026-11-30', []],
    ['2026-11-30', '2026-11-01', ['to']],
    ['2025-01-01', '2026-11-30', ['to']],
    ['1 Nov', '2026-11-30', ['from']],
  ])('checkPeriod(%s, %s)', (from, to, fields) => expect(checkPeriod(from, to).map((p) => p.field)).toEqual(fields));
});
