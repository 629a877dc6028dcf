import { sampleLaCalendar, SchoolCalendar, upnCheckLetter } from '@ap/domain';
import { checkCanAccept, checkPupilDetails, checkReferrableProvider, checkReferralForm, PupilDetails, REFERRAL_STATUSES, ReferralForm } from './referral';

/** A valid permanent UPN made with the real check-letter rule: LA 865, school 1234, 2024, serial. */
const upn = (serial = '001') => {
  const rest = `865123424${serial}`;
  return upnCheckLetter(rest) + rest;
};
const wrongCheckLetter = (value: string) => (value[0] === 'A' ? 'B' : 'A') + value.slice(1);

const TODAY = '2026-01-15';
const pupil: PupilDetails = { upn: upn(), givenName: 'Sam', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' };
const fields = (r: { ok: boolean; problems?: { field: string }[] }) => (r.ok ? [] : (r.problems ?? []).map((p) => p.field));

describe('checkPupilDetails', () => {
  it('accepts a valid pupil and normalises what a person types', () => {
    const r = checkPupilDetails(
      { upn: `  ${upn('002').toLowerCase()} `, givenName: '  Sam  Lee ', familyName: ' Jones ', dateOfBirth: '2011-03-14', homeLaCode: ' 865 ' },
      TODAY,
    );
    expect(r).toEqual({
      ok: true,
      value: { upn: upn('002'), givenName: 'Sam Lee', familyName: 'Jones', dateOfBirth: '2011-03-14', homeLaCode: '865' },
    });
  });

  it('accepts a temporary UPN (13th character a letter)', () => {
    const rest = '86512342400A';
    const r = checkPupilDetails({ ...pupil, upn: upnCheckLetter(rest) + rest }, TODAY);
    expect(r.ok).toBe(true);
  });

  it.each([
    ['no home LA', null],
    ['a blank home LA', '   '],
  ])('stores %s as null', (_what, homeLaCode) => {
    const r = checkPupilDetails({ ...pupil, homeLaCode }, TODAY);
    expect(r.ok && r.value.homeLaCode).toBeNull();
  });

  it.each<[string, Partial<PupilDetails>, string, RegExp]>([
    ['a wrong check letter', { upn: wrongCheckLetter(upn()) }, 'upn', /check letter/i],
    ['a short UPN', { upn: 'A86512' }, 'upn', /13 characters/],
    ['an empty UPN', { upn: '' }, 'upn', /empty/i],
    ['a blank given name', { givenName: '   ' }, 'givenName', /Given name is required/],
    ['a blank family name', { familyName: '' }, 'familyName', /Family name is required/],
    ['a 101-character given name', { givenName: 'a'.repeat(101) }, 'givenName', /at most 100/],
    ['an impossible date of birth', { dateOfBirth: '2011-02-30' }, 'dateOfBirth', /real date/],
    ['a date of birth in another format', { dateOfBirth: '14/03/2011' }, 'dateOfBirth', /YYYY-MM-DD/],
    ['a date of birth in the future', { dateOfBirth: '2026-01-16' }, 'dateOfBirth', /future/],
    ['a pupil a day too young for Reception', { dateOfBirth: '2021-09-01' }, 'dateOfBirth', /outside Reception to Year 13 \(national curriculum year -1\)/],
    ['a pupil a day too old for Year 13', { dateOfBirth: '2007-08-31' }, 'dateOfBirth', /outside Reception to Year 13 \(national curriculum year 14\)/],
    ['a two-digit home LA', { homeLaCode: '86' }, 'homeLaCode', /three-digit/],
    ['a home LA with letters', { homeLaCode: 'ABC' }, 'homeLaCode', /three-digit/],
  ])('refuses %s', (_what, change, field, message) => {
    const r = checkPupilDetails({ ...pupil, ...change }, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0].field).toBe(field);
      expect(r.problems[0].message).toMatch(message);
    }
  });

  it.each([
    ['youngest in Reception', '2021-08-31'],
    ['oldest in Reception', '2020-09-01'],
    ['youngest in Year 13', '2008-08-31'],
    ['oldest in Year 13', '2007-09-01'],
  ])('accepts the edge of the range: %s', (_what, dateOfBirth) => {
    expect(checkPupilDetails({ ...pupil, dateOfBirth }, TODAY).ok).toBe(true);
  });

  it('reports every problem at once, in the order of the form', () => {
    const r = checkPupilDetails({ upn: 'nope', givenName: '', familyName: ' ', dateOfBirth: 'x', homeLaCode: '1' }, TODAY);
    expect(fields(r)).toEqual(['upn', 'givenName', 'familyName', 'dateOfBirth', 'homeLaCode']);
  });
});

describe('checkReferralForm', () => {
  const calendar = sampleLaCalendar();
  const pex = (firstDayOfExclusion: string | null, today = TODAY): ReturnType<typeof checkReferralForm> =>
    checkReferralForm({ reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion, parentalConsent: true }, today, calendar);

  it('accepts a referral that is not a permanent exclusion, with no day-6 deadline', () => {
    const form: ReferralForm = { reason: 'SEMH_NEEDS', firstDayOfExclusion: null, parentalConsent: true };
    expect(checkReferralForm(form, TODAY, calendar)).toEqual({ ok: true, value: { ...form, day6Deadline: null } });
  });

  it('needs the parent’s consent and the data-sharing agreement', () => {
    const r = checkReferralForm({ reason: 'MEDICAL_NEEDS', firstDayOfExclusion: null, parentalConsent: false }, TODAY, calendar);
    expect(fields(r)).toEqual(['parentalConsent']);
  });

  it.each<[string, string | null, RegExp]>([
    ['no first day', null, /needs the first day/],
    ['an impossible first day', '2026-02-30', /real date/],
    ['a first day more than a year ahead', '2027-01-16', /more than a year ahead/],
  ])('refuses a permanent exclusion with %s', (_what, first, message) => {
    const r = pex(first);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toEqual([{ field: 'firstDayOfExclusion', message: expect.stringMatching(message) }]);
    }
  });

  it('accepts a first day exactly a year ahead', () => {
    expect(pex('2027-01-15').ok).toBe(true);
  });

  it('refuses a first day of exclusion on any other reason', () => {
    const r = checkReferralForm({ reason: 'RISK_OF_EXCLUSION', firstDayOfExclusion: '2026-01-12', parentalConsent: true }, TODAY, calendar);
    expect(fields(r)).toEqual(['firstDayOfExclusion']);
  });

  it('reports consent before the first day', () => {
    const r = checkReferralForm({ reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: null, parentalConsent: false }, TODAY, calendar);
    expect(fields(r)).toEqual(['parentalConsent', 'firstDayOfExclusion']);
  });

  // Day 1 is the first day of the exclusion; day 6 is five school days later.
  it.each([
    ['a Monday: the next Monday', '2026-01-12', '2026-01-19'],
    ['a Wednesday: over the weekend', '2026-01-14', '2026-01-21'],
    ['a Friday: over the weekend', '2026-01-16', '2026-01-23'],
    ['the week before February half-term (ends Fri 13 Feb, back Mon 23 Feb)', '2026-02-11', '2026-02-25'],
    ['the last day before February half-term', '2026-02-13', '2026-02-27'],
    ['the week before October half-term (ends Fri 24 Oct, back Mon 3 Nov)', '2025-10-21', '2025-11-04'],
    ['the week of the early-May bank holiday (Mon 4 May)', '2026-04-29', '2026-05-07'],
    ['over Christmas (ends Fri 19 Dec; 5 Jan is an INSET day)', '2025-12-17', '2026-01-08'],
  ])('counts day 6 in school days from %s', (_what, first, deadline) => {
    const r = pex(first, first);
    expect(r).toEqual({ ok: true, value: { reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: first, parentalConsent: true, day6Deadline: deadline } });
  });

  it.each([
    ['before the calendar starts', '2024-06-03', '2024-06-01', /outside the school calendar/],
    ['where the calendar runs out', '2028-07-20', '2028-07-01', /runs out/],
  ])('reports a first day %s as a problem, not a crash', (_what, first, today, message) => {
    let r: ReturnType<typeof checkReferralForm> | undefined;
    expect(() => (r = pex(first, today))).not.toThrow();
    expect(r).toEqual({ ok: false, problems: [{ field: 'firstDayOfExclusion', message: expect.stringMatching(message) }] });
  });

  it('lets a fault in the calendar itself through rather than blaming the form', () => {
    const broken: SchoolCalendar = {
      ...calendar,
      addSchoolDays: () => {
        throw new TypeError('calendar data missing');
      },
    };
    expect(() => checkReferralForm({ reason: 'PERMANENT_EXCLUSION', firstDayOfExclusion: '2026-01-12', parentalConsent: true }, TODAY, broken)).toThrow(
      'calendar data missing',
    );
  });
});

describe('checkCanAccept', () => {
  it.each(REFERRAL_STATUSES.map((s) => [s, s === 'SUBMITTED' || s === 'UNDER_REVIEW'] as const))('%s → can accept: %s', (status, ok) => {
    const r = checkCanAccept(status);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.message).toBe(`This referral is ${status.toLowerCase().replace('_', ' ')} and can no longer be accepted`);
  });
});

describe('checkReferrableProvider', () => {
  const id = '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10';
  it('accepts an approved provider', () => {
    expect(checkReferrableProvider(id, { approved: true })).toEqual({ ok: true, value: id });
  });
  it.each([
    [null, /not in the AP directory/],
    [{ approved: false }, /not yet approved/],
    [{ approved: false, status: 'SUSPENDED' }, /is suspended from the AP directory.*choose another provider/],
    [{ approved: false, status: 'WITHDRAWN' }, /has been withdrawn from the AP directory/],
  ])('refuses %o, naming providerId', (provider, message) => {
    const r = checkReferrableProvider(id, provider);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ field: 'providerId', message: expect.stringMatching(message) }]);
  });
});
