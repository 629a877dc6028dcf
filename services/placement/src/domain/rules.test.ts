import { sampleLaCalendar, TimetableSession } from '@ap/domain';
import {
  checkCancel,
  checkEnd,
  checkOfferPlace,
  checkOffSiteNotice,
  checkPlacementPlan,
  checkProviderEligible,
  checkProviderReviewPart,
  checkReview,
  checkReviewIntervalWeeks,
  checkReviewRequest,
  costToDate,
  nextReviewDue,
  nonSchoolFlags,
  partTimeFlag,
  ProviderStanding,
  registrationRequirement,
  timetableFacts,
} from './rules';

const calendar = sampleLaCalendar();
const TODAY = '2026-11-25'; // a Wednesday in term

const day = (d: TimetableSession['day'], start = '09:00', end = '15:00'): TimetableSession => ({ day: d, start, end });
const FULL_WEEK = (['MON', 'TUE', 'WED', 'THU', 'FRI'] as const).map((d) => day(d)); // 30 hours
const TWO_DAYS = [day('MON'), day('TUE')]; // 12 hours, 4 sessions

describe('checkProviderEligible', () => {
  const approved: ProviderStanding = { status: 'APPROVED', compliance: 'COMPLIANT' };
  it.each([
    ['approved and compliant', approved, 'SCHOOL_USER', null, true, []],
    ['approved, not yet audited', { status: 'APPROVED', compliance: 'NOT_AUDITED' }, 'SCHOOL_USER', null, true, []],
    ['approved, action required', { status: 'APPROVED', compliance: 'ACTION_REQUIRED' }, 'SCHOOL_USER', null, true, []],
    ['non-compliant, school', { status: 'APPROVED', compliance: 'NON_COMPLIANT' }, 'SCHOOL_USER', null, false, []],
    ['non-compliant, school with a reason (not its to give)', { status: 'APPROVED', compliance: 'NON_COMPLIANT' }, 'SCHOOL_USER', 'urgent', false, []],
    ['non-compliant, LA officer without reason', { status: 'APPROVED', compliance: 'NON_COMPLIANT' }, 'LA_OFFICER', '  ', false, []],
    ['non-compliant, LA officer with reason', { status: 'APPROVED', compliance: 'NON_COMPLIANT' }, 'LA_OFFICER', 'only provider near', true, ["the provider's safeguarding compliance is non-compliant"]],
    ['expired, LA admin with reason', { status: 'APPROVED', compliance: 'EXPIRED' }, 'LA_ADMIN', 'renewal booked', true, ["the provider's safeguarding compliance is expired"]],
    ['suspended', { status: 'SUSPENDED', compliance: 'COMPLIANT' }, 'LA_OFFICER', null, false, []],
    ['applied only', { status: 'APPLIED', compliance: 'NOT_AUDITED' }, 'SCHOOL_USER', null, false, []],
    ['unknown to the service', null, 'LA_ADMIN', 'known to us', true, ['the directory has not published this provider (yet)']],
  ] as const)('%s', (_name, provider, role, reason, ok, overridden) => {
    const result = checkProviderEligible(provider, role, reason);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.value.overridden).toEqual(overridden);
    else expect(result.problems[0].message).toMatch(/cannot take placements/);
  });
});

describe('timetableFacts', () => {
  it.each([
    ['five full days', FULL_WEEK, 30, true, 10],
    ['two full days', TWO_DAYS, 12, false, 4],
    ['mornings only', [day('MON', '09:00', '12:00'), day('WED', '09:00', '12:00')], 6, false, 2],
    ['an afternoon', [day('FRI', '13:00', '15:30')], 2.5, false, 1],
    ['exactly 25 hours', [...FULL_WEEK.slice(0, 4), day('FRI', '09:00', '10:00')], 25, true, 9],
  ])('%s', (_name, sessions, hours, fullTime, halfDays) => {
    expect(timetableFacts(sessions)).toEqual({ hoursPerWeek: hours, fullTime, sessionsPerWeek: halfDays });
  });
});

describe('checkPlacementPlan', () => {
  const base = { type: 'SCHOOL_COMMISSIONED', plannedStartDate: '2026-11-30', sessions: FULL_WEEK };
  const fields = (plan: Parameters<typeof checkPlacementPlan>[0]) => {
    const r = checkPlacementPlan(plan, calendar, TODAY);
    return r.ok ? [] : r.problems.map((p) => p.field);
  };
  it.each([
    ['a full-time plan', base, []],
    ['part-time without an end date or review date', { ...base, sessions: TWO_DAYS }, ['plannedEndDate', 'firstReviewDate']],
    ['part-time with both', { ...base, sessions: TWO_DAYS, plannedEndDate: '2027-02-12', firstReviewDate: '2027-01-11' }, []],
    ['part-time review after the end', { ...base, sessions: TWO_DAYS, plannedEndDate: '2027-01-08', firstReviewDate: '2027-01-11' }, ['firstReviewDate']],
    ['end before start', { ...base, plannedEndDate: '2026-11-01' }, ['plannedEndDate']],
    ['no sessions (0 hours is part-time too)', { ...base, sessions: [] }, ['timetable', 'plannedEndDate', 'firstReviewDate']],
    ['overlapping sessions', { ...base, sessions: [day('MON'), day('MON', '10:00', '11:00')] }, ['timetable']],
    ['unknown type', { ...base, type: 'HOLIDAY' }, ['type']],
    ['not a date', { ...base, plannedStartDate: '30/11/2026' }, ['plannedStartDate']],
    ['negative cost', { ...base, costPerDay: -1 }, ['costPerDay']],
    ['off-site direction one school day after notice today', { ...base, type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-26' }, ['plannedStartDate']],
    ['off-site direction two school days after notice today', { ...base, type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-27' }, []],
    ['off-site direction with earlier notice', { ...base, type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-26', noticeGivenOn: '2026-11-24' }, []],
  ])('%s', (_name, plan, expected) => {
    expect(fields(plan as Parameters<typeof checkPlacementPlan>[0])).toEqual(expected);
  });

  it('names the earliest legal start of an off-site direction', () => {
    const r = checkPlacementPlan({ ...base, type: 'OFF_SITE_DIRECTION', plannedStartDate: '2026-11-26' }, calendar, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].message).toContain('the earliest start is 2026-11-27');
  });

  it('checks only the dates and cost of a plan without a timetable yet (a referral’s placement)', () => {
    expect(checkPlacementPlan({ ...base, sessions: null }, calendar, TODAY)).toEqual({ ok: true, value: null });
    expect(fields({ ...base, sessions: null, plannedEndDate: '2026-11-01', costPerDay: -5 })).toEqual(['plannedEndDate', 'costPerDay']);
  });

  it('gives the facts of a valid plan', () => {
    expect(checkPlacementPlan({ ...base, sessions: TWO_DAYS, plannedEndDate: '2027-02-12', firstReviewDate: '2027-01-11' }, calendar, TODAY)).toEqual({
      ok: true,
      value: { hoursPerWeek: 12, fullTime: false, sessionsPerWeek: 4 },
    });
  });
});

describe('checkOffSiteNotice', () => {
  it.each([
    ['notice Monday, start Wednesday', '2026-11-23', '2026-11-25', true],
    ['notice Monday, start Tuesday', '2026-11-23', '2026-11-24', false],
    ['notice on the last day of term counts school days over the holiday and the INSET day', '2026-12-18', '2027-01-05', false],
    ['… so the earliest start is the second school day of the new term', '2026-12-18', '2027-01-06', true],
    ['notice on a Saturday counts from Monday', '2026-11-21', '2026-11-25', true],
    ['a start on a Saturday is refused', '2026-11-16', '2026-11-21', false],
  ])('%s', (_name, notice, start, ok) => {
    expect(checkOffSiteNotice(start, notice, calendar).ok).toBe(ok);
  });
});

describe('nextReviewDue', () => {
  it.each([
    ['six school weeks in one half term', '2026-11-02', '2026-12-14'],
    ['over the Christmas holiday and an INSET day', '2026-12-07', '2027-02-02'],
    ['from a Saturday (counts from Monday)', '2026-11-21', '2027-01-19'],
  ])('%s', (_name, from, due) => {
    expect(nextReviewDue(from, calendar)).toBe(due);
    expect(calendar.isSchoolDay(due)).toBe(true);
  });
});

describe('checkReview', () => {
  const plan = { targetDate: '2027-01-11', schoolUrn: '100001', steps: ['Phased return: mornings first'] };
  it.each([
    ['continue', { heldOn: '2026-11-20', decision: 'CONTINUE' }, []],
    ['reintegrate without a plan', { heldOn: '2026-11-20', decision: 'REINTEGRATE' }, ['reintegrationPlan']],
    ['reintegrate with a plan', { heldOn: '2026-11-20', decision: 'REINTEGRATE', reintegrationPlan: plan }, []],
    ['reintegrate with an empty plan', { heldOn: '2026-11-20', decision: 'REINTEGRATE', reintegrationPlan: { targetDate: '2026-11-01', schoolUrn: '1', steps: [' '] } }, [
      'reintegrationPlan.targetDate',
      'reintegrationPlan.schoolUrn',
      'reintegrationPlan.steps',
    ]],
    ['held in the future', { heldOn: '2026-11-26', decision: 'CONTINUE' }, ['heldOn']],
    ['held before the start', { heldOn: '2026-11-01', decision: 'END' }, ['heldOn']],
  ] as const)('%s', (_name, review, expected) => {
    const r = checkReview(review, '2026-11-02', TODAY);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(expected);
  });
});

describe('checkEnd and checkCancel', () => {
  it.each([
    ['active, reintegrated with destination', 'ACTIVE', { endDate: '2026-11-20', endReason: 'REINTEGRATED_MAINSTREAM', destinationUrn: '100002' }, 'ok'],
    ['reintegrated without destination', 'ACTIVE', { endDate: '2026-11-20', endReason: 'REINTEGRATED_MAINSTREAM' }, 'destinationUrn'],
    ['moved away', 'ACTIVE', { endDate: '2026-11-20', endReason: 'MOVED_AWAY' }, 'ok'],
    ['before the start', 'ACTIVE', { endDate: '2026-10-01', endReason: 'OTHER' }, 'endDate'],
    ['planned', 'PLANNED', { endDate: '2026-11-20', endReason: 'OTHER' }, 'conflict'],
  ])('end: %s', (_name, status, end, expected) => {
    const r = checkEnd(status, '2026-11-02', end);
    expect(r.ok ? 'ok' : 'conflict' in r ? 'conflict' : r.problems[0].field).toBe(expected);
  });
  it.each([
    ['planned', 'PLANNED', 'Parent declined', 'ok'],
    ['active', 'ACTIVE', 'Moved away', 'ok'],
    ['no reason', 'PLANNED', '  ', 'reason'],
    ['ended', 'ENDED', 'x', 'conflict'],
    ['cancelled', 'CANCELLED', 'x', 'conflict'],
  ])('cancel: %s', (_name, status, reason, expected) => {
    const r = checkCancel(status, reason);
    expect(r.ok ? 'ok' : 'conflict' in r ? 'conflict' : r.problems[0].field).toBe(expected);
  });
});

describe('registrationRequirement', () => {
  const ft = (n: number, extra: Partial<{ lookedAfter: boolean; hasEhcp: boolean }> = {}) =>
    Array.from({ length: n }, () => ({ fullTime: true, lookedAfter: false, hasEhcp: false, ...extra }));
  const pt = (n: number) => Array.from({ length: n }, () => ({ fullTime: false, lookedAfter: true, hasEhcp: true }));
  it.each([
    ['unregistered, 4 full-time', 'UNREGISTERED', ft(4), false],
    ['unregistered, 5 full-time', 'UNREGISTERED', ft(5), true],
    ['unregistered, 1 looked-after full-time', 'UNREGISTERED', ft(1, { lookedAfter: true }), true],
    ['unregistered, 1 full-time with an EHCP', 'UNREGISTERED', ft(1, { hasEhcp: true }), true],
    ['unregistered, part-time pupils do not count', 'UNREGISTERED', [...ft(4), ...pt(3)], false],
    ['a registered school never must', 'REGISTERED_INDEPENDENT_SCHOOL', ft(9, { lookedAfter: true }), false],
    ['registration type not yet known', null, ft(9), false],
  ])('%s', (_name, type, active, required) => {
    const answer = registrationRequirement(type, active);
    expect(answer.required).toBe(required);
    expect(answer.fullTimePupils).toBe(active.filter((p) => p.fullTime).length);
  });
});

describe('nonSchoolFlags', () => {
  it.each([
    ['registered provider', 'REGISTERED_INDEPENDENT_SCHOOL', '2026-09-07', null, 10, 0],
    ['unregistered, 12 weeks full-time', 'UNREGISTERED', '2026-09-07', '2026-11-29', 10, 0],
    ['unregistered, 13 weeks full-time', 'UNREGISTERED', '2026-09-07', '2026-12-06', 10, 1],
    ['unregistered, open-ended 4 sessions', 'UNREGISTERED', '2026-09-07', null, 4, 0],
    ['unregistered, open-ended 6 sessions', 'UNREGISTERED', '2026-09-07', null, 6, 1],
  ])('%s', (_name, type, startDate, endDate, sessionsPerWeek, flags) => {
    const out = nonSchoolFlags(type, { startDate, endDate, sessionsPerWeek, type: 'SCHOOL_COMMISSIONED' });
    expect(out).toHaveLength(flags);
    if (flags) expect(out[0]).toMatch(/12 weeks/);
  });
});

describe('costToDate', () => {
  it.each([
    ['no cost known', null, '2026-11-02', '2026-11-25', null],
    ['not started', 100, null, '2026-11-25', 0],
    ['three and a half weeks of school days', 100, '2026-11-02', '2026-11-25', 1800],
    ['over the holiday only school days count', 50.5, '2026-12-14', '2027-01-08', 50.5 * 9],
  ])('%s', (_name, perDay, start, until, expected) => {
    expect(costToDate(perDay, start, until, calendar)).toBe(expected);
  });
});

describe('checkOfferPlace (places in use never exceed capacity without an override)', () => {
  const offer = { id: 'offer-1', capacity: 3 };
  it.each([
    ['a free place', offer, 2, 'SCHOOL_USER', null, { ok: true, value: { overridden: [] } }],
    ['an offer not heard of (nothing to count)', null, 9, 'SCHOOL_USER', null, { ok: true, value: { overridden: [] } }],
    ['a full offer, for a school', offer, 3, 'SCHOOL_USER', null, 'offerId'],
    ['a full offer, for a school that gives a reason', offer, 3, 'SCHOOL_USER', 'urgent', 'offerId'],
    ['a full offer, for a provider', offer, 3, 'PROVIDER_USER', null, 'offerId'],
    ['an over-full offer, for an LA officer without a reason', offer, 5, 'LA_OFFICER', '  ', 'offerId'],
    ['a full offer, for an LA officer with a reason', offer, 3, 'LA_OFFICER', 'Day-6 duty', { ok: true, value: { overridden: ['offer offer-1 is full: all 3 of its places are in use'] } }],
    ['a full offer, for an LA admin with a reason', offer, 4, 'LA_ADMIN', 'Day-6 duty', { ok: true, value: { overridden: ['offer offer-1 is full: all 3 of its places are in use'] } }],
    ['an offer of no places', { id: 'offer-0', capacity: 0 }, 0, 'SCHOOL_USER', null, 'offerId'],
  ] as const)('%s', (_what, o, inUse, role, reason, expected) => {
    const checked = checkOfferPlace(o, inUse, role, reason);
    if (typeof expected === 'string') {
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.problems).toEqual([{ field: expected, message: expect.stringMatching(/No free place: the offer .* is full: all \d+ of its places are in use/) }]);
    } else expect(checked).toEqual(expected);
  });
});

describe('checkProviderReviewPart', () => {
  it.each([
    ['a progress summary alone', { progressSummary: ' Reading age up a year ' }, { progressSummary: 'Reading age up a year', attendanceComment: null, view: null, recommendation: null }],
    ['a recommendation alone', { recommendation: 'REINTEGRATE' as const }, { progressSummary: null, attendanceComment: null, view: null, recommendation: 'REINTEGRATE' }],
    ['all four', { progressSummary: 'a', attendanceComment: 'b', view: 'c', recommendation: 'CONTINUE' as const }, { progressSummary: 'a', attendanceComment: 'b', view: 'c', recommendation: 'CONTINUE' }],
  ])('takes %s', (_what, input, value) => {
    expect(checkProviderReviewPart(input)).toEqual({ ok: true, value });
  });
  it.each([
    ['nothing', {}, ['input']],
    ['only blanks', { progressSummary: '  ', view: '' }, ['input']],
    ['texts over 4,000 characters', { progressSummary: 'x'.repeat(4001), view: 'y'.repeat(5000) }, ['input.progressSummary', 'input.view']],
  ])('refuses %s, naming the fields', (_what, input, fields) => {
    const checked = checkProviderReviewPart(input);
    expect(checked.ok ? [] : checked.problems.map((p) => p.field)).toEqual(fields);
  });
});

describe('checkReviewRequest (an off-site direction reviewed on request unless one was held in the previous 10 weeks)', () => {
  const TODAY_ = '2026-11-25';
  it.each([
    ['no review held yet', 'OFF_SITE_DIRECTION', '2026-11-25', [], { ok: true, value: { dueOn: '2026-11-25' } }],
    ['the last review 71 days before the request', 'OFF_SITE_DIRECTION', '2026-11-25', ['2026-09-15'], { ok: true, value: { dueOn: '2026-11-25' } }],
    ['a review on the request day itself (not in the period before it)', 'OFF_SITE_DIRECTION', '2026-11-20', ['2026-11-20'], { ok: true, value: { dueOn: '2026-11-20' } }],
    ['a review 70 days before the request', 'OFF_SITE_DIRECTION', '2026-11-25', ['2026-09-16'], { ok: false, conflict: 'A review was held on 2026-09-16, within the 10 weeks before the request; the governing body must meet a request made from 2026-11-26.' }],
    ['a review last week', 'OFF_SITE_DIRECTION', '2026-11-25', ['2026-06-01', '2026-11-18'], { ok: false, conflict: 'A review was held on 2026-11-18, within the 10 weeks before the request; the governing body must meet a request made from 2027-01-28.' }],
    ['a placement that is no off-site direction', 'MANAGED_MOVE', '2026-11-25', [], { ok: false, conflict: expect.stringMatching(/applies to an off-site direction/) }],
  ] as const)('%s', (_what, type, requestedOn, held, expected) => {
    expect(checkReviewRequest(type, requestedOn, held, TODAY_)).toEqual(expected);
  });
  it.each([
    ['a date in the future', '2026-11-26'],
    ['no date', '25/11/2026'],
  ])('refuses %s, naming requestedOn', (_what, requestedOn) => {
    const checked = checkReviewRequest('OFF_SITE_DIRECTION', requestedOn, [], TODAY_);
    expect(checked).toEqual({ ok: false, problems: [{ field: 'requestedOn', message: expect.any(String) }] });
  });
});

describe('partTimeFlag', () => {
  it.each([
    ['a full-time placement', { fullTime: true, hoursPerWeek: 30, plannedEndDate: null, nextReviewDue: null }, null],
    ['a placement without a timetable yet', { fullTime: false, hoursPerWeek: null, plannedEndDate: null, nextReviewDue: null }, null],
    [
      'a part-time placement with its end and next review',
      { fullTime: false, hoursPerWeek: 12, plannedEndDate: '2027-03-26', nextReviewDue: '2027-01-15' },
      'Part-time timetable: 12 hours a week, below the full-time 25; the commissioner keeps the pupil safe and in education for the rest of the week; planned to end 2027-03-26; next review due 2027-01-15.',
    ],
  ])('%s', (_what, placement, flag) => {
    expect(partTimeFlag(placement)).toBe(flag);
  });
});

describe('checkReviewIntervalWeeks', () => {
  it.each([
    [1, true],
    [6, true],
    [12, true],
    [0, false],
    [13, false],
    [2.5, false],
  ])('%d school weeks: %s', (n, ok) => {
    const checked = checkReviewIntervalWeeks(n);
    expect(checked.ok).toBe(ok);
    if (!checked.ok) expect(checked.problems).toEqual([{ field: 'schoolWeeks', message: expect.stringMatching(/1 to 12 school weeks/) }]);
  });
});
