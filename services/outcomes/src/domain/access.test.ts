import { canReadProviderOutcomes } from './access';

const provider = '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10';

describe('canReadProviderOutcomes', () => {
  it('lets analysts and LA staff read any provider', () => {
    expect(canReadProviderOutcomes({ userId: 'a', role: 'ANALYST', org: { type: 'la', id: '865' } }, provider)).toBe(true);
    expect(canReadProviderOutcomes({ userId: 'a', role: 'LA_OFFICER', org: { type: 'la', id: '865' } }, provider)).toBe(true);
  });
  it('lets a provider read only its own figures', () => {
    expect(canReadProviderOutcomes({ userId: 'p', role: 'PROVIDER_USER', org: { type: 'provider', id: provider } }, provider)).toBe(true);
    expect(canReadProviderOutcomes({ userId: 'p', role: 'PROVIDER_USER', org: { type: 'provider', id: '00000000-0000-4000-8000-000000000000' } }, provider)).toBe(false);
  });
  it('does not give schools provider figures', () => {
    expect(canReadProviderOutcomes({ userId: 's', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } }, provider)).toBe(false);
  });
});
