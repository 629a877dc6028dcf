// Edge cases of the directory rules that provider.test.ts does not cover.
import { checkCanApprove, checkProviderDetails, complianceAfterAudit, ProviderDetails } from './provider';

const base: ProviderDetails = { name: 'Horizons Learning', registrationType: 'UNREGISTERED', urn: null, ukprn: null, postcode: null };
const problems = (change: Partial<ProviderDetails>) => {
  const r = checkProviderDetails({ ...base, ...change });
  return r.ok ? [] : r.problems;
};

describe('checkProviderDetails', () => {
  it('allows a name of 200 characters (after collapsing spaces) and refuses 201', () => {
    expect(problems({ name: `${'a'.repeat(100)}    ${'b'.repeat(99)}` })).toEqual([]);
    expect(problems({ name: 'a'.repeat(201) })).toEqual([{ field: 'name', message: 'Provider name must be at most 200 characters' }]);
  });

  it('reports one problem, not two, for an FE college with a malformed UKPRN', () => {
    expect(problems({ registrationType: 'FE_COLLEGE', ukprn: '1234' })).toEqual([
      { field: 'ukprn', message: 'An FE college needs its eight-digit UKPRN' },
    ]);
  });

  it('lets a provider that is not an FE college record a valid UKPRN, but not a malformed one', () => {
    expect(problems({ ukprn: '10001234' })).toEqual([]);
    expect(problems({ ukprn: '1000123X' })).toEqual([{ field: 'ukprn', message: 'A UKPRN has eight digits' }]);
  });

  it.each([
    ['REGISTERED_INDEPENDENT_SCHOOL'],
    ['PUPIL_REFERRAL_UNIT'],
    ['AP_ACADEMY'],
    ['AP_FREE_SCHOOL'],
  ] as const)('requires a six-digit URN of a %s', (registrationType) => {
    expect(problems({ registrationType, urn: '100001' })).toEqual([]);
    expect(problems({ registrationType, urn: '   ' }).map((p) => p.field)).toEqual(['urn']);
    expect(problems({ registrationType, urn: '1000011' }).map((p) => p.field)).toEqual(['urn']);
  });

  it('treats blank identifiers as none and trims the rest', () => {
    const r = checkProviderDetails({ ...base, registrationType: 'AP_ACADEMY', urn: ' 100001 ', ukprn: '  ', postcode: '' });
    expect(r).toEqual({ ok: true, value: { ...base, registrationType: 'AP_ACADEMY', urn: '100001', ukprn: null, postcode: null } });
  });

  it.each([
    ['SW1A 1AA', 'SW1A 1AA'],
    ['m1 1ae', 'M1 1AE'],
    ['  B33   8TH ', 'B33 8TH'],
    ['CR26XH', 'CR2 6XH'],
    ['gir0aa', 'GIR 0AA'],
    ['EC1A1BB', 'EC1A 1BB'],
  ])('accepts the postcode %j as %j', (postcode, expected) => {
    const r = checkProviderDetails({ ...base, postcode });
    expect(r.ok && r.value.postcode).toBe(expected);
  });

  it.each(['SW1A', '12345', 'SW1A 1AAA', 'Q'])('refuses the postcode %j, quoting it', (postcode) => {
    expect(problems({ postcode })).toEqual([{ field: 'postcode', message: `"${postcode}" is not a UK postcode` }]);
  });
});

describe('checkCanApprove', () => {
  it('explains why an approved or withdrawn provider cannot be approved', () => {
    expect(checkCanApprove('APPROVED')).toEqual({ ok: false, message: 'This provider is already approved' });
    expect(checkCanApprove('WITHDRAWN')).toEqual({ ok: false, message: expect.stringMatching(/must apply again/) });
  });
});

describe('complianceAfterAudit', () => {
  const at = (iso: string) => new Date(iso);
  it('lets a newer audit replace an older one', () => {
    expect(
      complianceAfterAudit({ compliance: 'COMPLIANT', complianceAsOf: at('2026-01-01T09:00:00Z') }, { compliance: 'NON_COMPLIANT', completedAt: at('2026-01-01T09:00:01Z') }),
    ).toEqual({ compliance: 'NON_COMPLIANT', complianceAsOf: at('2026-01-01T09:00:01Z') });
  });
  it('applies an audit completed at the same moment as the current one (a re-sent audit changes nothing harmful)', () => {
    const when = at('2026-01-01T09:00:00Z');
    expect(complianceAfterAudit({ compliance: 'ACTION_REQUIRED', complianceAsOf: when }, { compliance: 'ACTION_REQUIRED', completedAt: when })).toEqual({
      compliance: 'ACTION_REQUIRED',
      complianceAsOf: when,
    });
  });
  it('ignores an audit one millisecond older than the current one', () => {
    expect(
      complianceAfterAudit({ compliance: 'NON_COMPLIANT', complianceAsOf: at('2026-01-01T09:00:00.001Z') }, { compliance: 'COMPLIANT', completedAt: at('2026-01-01T09:00:00Z') }),
    ).toBeNull();
  });
});
