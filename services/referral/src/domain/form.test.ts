import { createSchoolCalendar, day6Date, ENGLAND_BANK_HOLIDAYS, sampleLaCalendar } from '@ap/domain';
import {
  applyFormChange,
  byUrgency,
  checkAgreedStartDate,
  checkDeclineReason,
  checkMove,
  checkResponseDays,
  checkSubmittable,
  EMPTY_FORM,
  FormSections,
  FREE_TEXT_MAX,
  holdsPlacement,
  isOverdue,
  ReferralMove,
  respondByDate,
  schoolDaysLeft,
} from './form';
import { REFERRAL_STATUSES } from './referral';

const TODAY = '2026-01-14';
const facts = { today: TODAY, dateOfBirth: '2011-03-14' };
const cal = sampleLaCalendar();
const day6 = (first: string) => day6Date(first, cal);

const complete: FormSections = {
  ...EMPTY_FORM,
  providerId: '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10',
  offerId: '0b7f8f3e-5d2a-4c1e-8a3b-2f6e9d1c4a70',
  reason: 'SEMH_NEEDS',
  needsAndStrengths: 'Good at art',
  risks: 'Absconds',
  riskLevel: 'MEDIUM',
  interventionsTried: 'Mentoring',
  currentAttendancePercent: 72.5,
  outcomesWanted: 'Back to mainstream',
  proposedStartDate: '2026-02-02',
  hoursWanted: 25,
  pupilVoice: 'Wants smaller classes',
  parentVoice: 'Supportive',
  consent: { parentalConsent: true, givenBy: 'Mrs Jones', givenOn: '2026-01-10', dataSharingAgreed: true },
};

describe('applyFormChange: each value given is checked, every problem at once, nothing applied on any', () => {
  it.each([
    ['currentAttendancePercent', { currentAttendancePercent: 100.5 }],
    ['currentAttendancePercent', { currentAttendancePercent: -1 }],
    ['hoursWanted', { hoursWanted: 40.5 }],
    ['hoursWanted', { hoursWanted: 0 }],
    ['riskLevel', { riskLevel: 'EXTREME' }],
    ['route', { route: 'POST' }],
    ['reason', { reason: 'BORED' }],
    ['needsAndStrengths', { needsAndStrengths: 'x'.repeat(100_000) }],
    ['parentVoice', { parentVoice: 'x'.repeat(FREE_TEXT_MAX + 1) }],
    ['consent.givenOn', { consent: { parentalConsent: true, givenOn: '2026-01-15', dataSharingAgreed: true } }],
    ['consent.givenOn', { consent: { parentalConsent: true, givenOn: '2010-01-01', dataSharingAgreed: true } }],
    ['firstDayOfExclusion', { firstDayOfExclusion: '2011-03-13' }],
    ['proposedStartDate', { proposedStartDate: '2026-02-30' }],
    ['proposedStartDate', { proposedStartDate: '2011-01-01' }],
    ['providerId', { providerId: 'not-a-uuid' }],
  ])('refuses %s in %o', (field, change) => {
    const r = applyFormChange(EMPTY_FORM, change as never, facts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toEqual([field]);
  });

  it('reports several problems together', () => {
    const r = applyFormChange(EMPTY_FORM, { hoursWanted: 41, currentAttendancePercent: 101, riskLevel: 'X' as never }, facts);
    expect(r.ok ? [] : r.problems.map((p) => p.field).sort()).toEqual(['currentAttendancePercent', 'hoursWanted', 'riskLevel']);
  });

  it('keeps sections left out, clears those given as null, and trims text', () => {
    const first = applyFormChange(EMPTY_FORM, { risks: '  Absconds ', hoursWanted: 20 }, facts);
    expect(first.ok && first.value).toMatchObject({ risks: 'Absconds', hoursWanted: 20 });
    const second = applyFormChange((first as { value: FormSections }).value, { risks: null }, facts);
    expect(second.ok && second.value).toMatchObject({ risks: null, hoursWanted: 20 });
  });

  it('accepts the edges: 0 and 100 percent, 40 hours, consent given today', () => {
    const r = applyFormChange(EMPTY_FORM, { currentAttendancePercent: 100, hoursWanted: 40, consent: { ...complete.consent, givenOn: TODAY } }, facts);
    expect(r.ok).toBe(true);
    expect(applyFormChange(EMPTY_FORM, { currentAttendancePercent: 0 }, facts).ok).toBe(true);
  });
});

describe('checkSubmittable', () => {
  it('passes a complete form', () => {
    expect(checkSubmittable(complete, cal, day6)).toMatchObject({ ok: true, value: { day6Deadline: null } });
  });

  it('names every missing section at once', () => {
    const r = checkSubmittable(EMPTY_FORM, cal, day6);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual([
      'reason', 'needsAndStrengths', 'risks', 'riskLevel', 'interventionsTried', 'currentAttendancePercent', 'outcomesWanted',
      'proposedStartDate', 'hoursWanted', 'pupilVoice', 'parentVoice', 'providerId', 'offerId', 'consent.parentalConsent',
      'consent.dataSharingAgreed', 'consent.givenBy', 'consent.givenOn',
    ]);
  });

  it('needs the offer on the direct route', () => {
    const r = checkSubmittable({ ...complete, offerId: null }, cal, day6);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(['offerId']);
  });

  it('needs no provider on the LA panel route, but the first day of a permanent exclusion', () => {
    const r = checkSubmittable({ ...complete, route: 'LA_PANEL', providerId: null, reason: 'PERMANENT_EXCLUSION' }, cal, day6);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(['firstDayOfExclusion']);
  });

  it('counts day 6 of a permanent exclusion on the LA calendar', () => {
    const r = checkSubmittable({ ...complete, reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: '2026-01-12' }, cal, day6);
    expect(r.ok && r.value.day6Deadline).toBe('2026-01-19');
  });
});

describe('checkMove: the status flow', () => {
  const allowed: Record<ReferralMove, string[]> = {
    edit: ['DRAFT'],
    submit: ['DRAFT'],
    review: ['SUBMITTED'],
    accept: ['SUBMITTED', 'UNDER_REVIEW'],
    decline: ['SUBMITTED', 'UNDER_REVIEW'],
    withdraw: ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW'],
    assignProvider: ['SUBMITTED'],
  };
  const cases = Object.entries(allowed).flatMap(([move, from]) => REFERRAL_STATUSES.map((s) => [move, s, from.includes(s)] as const));
  it.each(cases)('%s from %s: %s', (move, status, ok) => {
    const r = checkMove(status, move as ReferralMove);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.message).toMatch(new RegExp(`^This referral is ${status.toLowerCase().replace('_', ' ')} and can no longer be`));
  });
});

describe('respondBy and overdue', () => {
  it('counts N school days on the LA calendar, over the February half-term', () => {
    // Wednesday 11 February 2026 + 5 school days: Thu 12, Fri 13, then half-term (16–20 Feb), Mon 23 … Wed 25.
    expect(respondByDate('2026-02-11', 5, cal)).toBe('2026-02-25');
  });
  it.each([
    ['2026-02-25', 'SUBMITTED', false],
    ['2026-02-26', 'SUBMITTED', true],
    ['2026-02-26', 'UNDER_REVIEW', true],
    ['2026-02-26', 'ACCEPTED', false],
    ['2026-02-26', 'DRAFT', false],
  ] as const)('today %s, %s: overdue %s', (today, status, overdue) => {
    expect(isOverdue('2026-02-25', status, today)).toBe(overdue);
  });
});

describe('schoolDaysLeft', () => {
  it.each([
    // Over the spring bank holiday (Mon 25 May 2026), the half-term (26–29 May) and an INSET day (Mon 1 June).
    ['2026-05-21', '2026-06-02', 2], // Fri 22 May, Tue 2 June (1 June is INSET)
    ['2026-05-22', '2026-06-02', 1],
    ['2026-06-02', '2026-06-02', 0],
    ['2026-06-03', '2026-06-02', -1],
    ['2026-06-08', '2026-06-02', -4], // Wed 3, Thu 4, Fri 5, Mon 8
  ])('today %s, day 6 %s: %i', (today, deadline, left) => {
    expect(schoolDaysLeft(today, deadline, cal)).toBe(left);
  });

  it('does not count a bank holiday inside a term', () => {
    const c = createSchoolCalendar({ terms: [{ start: '2026-04-27', end: '2026-05-08' }], bankHolidays: ENGLAND_BANK_HOLIDAYS });
    // Mon 4 May 2026 is a bank holiday: from Fri 1 May to Wed 6 May is Tue 5, Wed 6.
    expect(schoolDaysLeft('2026-05-01', '2026-05-06', c)).toBe(2);
  });
});

describe('byUrgency', () => {
  it('puts the fewest school days left first, then those with nothing planned', () => {
    const list = [
      { schoolDaysLeft: 3, placementPlanned: false, day6Deadline: '2026-06-05' },
      { schoolDaysLeft: -2, placementPlanned: true, day6Deadline: '2026-05-20' },
      { schoolDaysLeft: -2, placementPlanned: false, day6Deadline: '2026-05-20' },
      { schoolDaysLeft: 0, placementPlanned: false, day6Deadline: '2026-06-02' },
    ];
    expect([...list].sort(byUrgency).map((e) => `${e.schoolDaysLeft}${e.placementPlanned ? 'p' : ''}`)).toEqual(['-2', '-2p', '0', '3']);
  });
});

describe('decisions', () => {
  it('needs a known reason code and a reason text', () => {
    const r = checkDeclineReason('BUSY', ' ');
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(['reason.code', 'reason.text']);
    expect(checkDeclineReason('NO_CAPACITY', 'Full until September')).toEqual({ ok: true, value: { code: 'NO_CAPACITY', text: 'Full until September' } });
  });
  it.each([
    [null, true],
    ['2026-01-14', true],
    ['2026-01-13', false],
    ['2026-13-01', false],
    ['2027-06-01', false],
  ])('agreed start date %s: ok %s', (date, ok) => {
    expect(checkAgreedStartDate(date, TODAY).ok).toBe(ok);
  });
  it.each([
    [null, true],
    ['PLANNED', true],
    ['STARTED', true],
    ['ENDED', false],
    ['CANCELLED', false],
  ] as const)('a placement %s holds the pupil: %s', (state, holds) => {
    expect(holdsPlacement(state)).toBe(holds);
  });
});

describe('checkResponseDays', () => {
  it.each([
    [1, true],
    [5, true],
    [30, true],
    [0, false],
    [31, false],
    [-2, false],
    [2.5, false],
    [Number.NaN, false],
  ])('%d school days: %s', (n, ok) => {
    const r = checkResponseDays(n);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.problems).toEqual([{ field: 'schoolDays', message: expect.stringMatching(/from 1 to 30/) }]);
  });
});
