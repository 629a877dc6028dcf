import { checkCanApprove, checkProviderDetails, complianceAfterAudit, ProviderDetails, registrationRequirementAfter } from './provider';

const base: ProviderDetails = { name: ' Horizons  Learning ', registrationType: 'UNREGISTERED', urn: null, ukprn: null, postcode: 'sn10 1aa' };

describe('checkProviderDetails', () => {
  it('normalises name and postcode', () => {
    expect(checkProviderDetails(base)).toEqual({ ok: true, value: { ...base, name: 'Horizons Learning', postcode: 'SN10 1AA' } });
  });
  it.each([
    [{ registrationType: 'AP_ACADEMY' as const }, 'urn'],
    [{ registrationType: 'AP_ACADEMY' as const, urn: '12345' }, 'urn'],
    [{ urn: '123456' }, 'urn'],
    [{ registrationType: 'FE_COLLEGE' as const }, 'ukprn'],
    [{ ukprn: '1234' }, 'ukprn'],
    [{ name: '   ' }, 'name'],
    [{ postcode: 'not a postcode' }, 'postcode'],
  ])('refuses %o naming %s', (change, field) => {
    const r = checkProviderDetails({ ...base, ...change });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toContain(field);
  });
  it('accepts a PRU with its URN and an FE college with its UKPRN', () => {
    expect(checkProviderDetails({ ...base, registrationType: 'PUPIL_REFERRAL_UNIT', urn: '100001' }).ok).toBe(true);
    expect(checkProviderDetails({ ...base, registrationType: 'FE_COLLEGE', ukprn: '10001234' }).ok).toBe(true);
  });
});

describe('checkCanApprove', () => {
  it('approves applied and suspended providers only', () => {
    expect(checkCanApprove('APPLIED').ok).toBe(true);
    expect(checkCanApprove('SUSPENDED').ok).toBe(true);
    expect(checkCanApprove('APPROVED').ok).toBe(false);
    expect(checkCanApprove('WITHDRAWN').ok).toBe(false);
  });
});

describe('complianceAfterAudit', () => {
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  it('applies the first audit', () => {
    expect(complianceAfterAudit({ compliance: 'NOT_AUDITED', complianceAsOf: null }, { compliance: 'COMPLIANT', completedAt: day('2026-01-01') }))
      .toEqual({ compliance: 'COMPLIANT', complianceAsOf: day('2026-01-01') });
  });
  it('ignores an audit older than the one already applied', () => {
    expect(complianceAfterAudit({ compliance: 'NON_COMPLIANT', complianceAsOf: day('2026-03-01') }, { compliance: 'COMPLIANT', completedAt: day('2026-01-01') })).toBeNull();
  });
});

describe('registrationRequirementAfter', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['the first answer', null, '2026-03-01T09:00:00Z', true],
    ['a newer answer', '2026-03-01T09:00:00Z', '2026-03-02T09:00:00Z', true],
    ['an answer of the same moment', '2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z', true],
    ['an older answer', '2026-03-02T09:00:00Z', '2026-03-01T09:00:00Z', false],
  ])('%s: applied %s → %s is %s', (_, asOf, effectiveAt, applies) => {
    const next = { required: true, reason: '5 full-time pupils', effectiveAt: at(effectiveAt) };
    const r = registrationRequirementAfter({ registrationRequiredAsOf: asOf ? at(asOf) : null }, next);
    expect(r).toEqual(applies ? { registrationRequired: true, registrationRequiredReason: '5 full-time pupils', registrationRequiredAsOf: at(effectiveAt) } : null);
  });
});
