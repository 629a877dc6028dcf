import type { Principal, Role } from '@ap/auth';
import { canReadProviderOutcomes } from './access';

const provider = '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10';
const as = (role: Role, type: Principal['org']['type'], id: string): Principal => ({ userId: 'u', role, org: { type, id } });

describe('canReadProviderOutcomes', () => {
  it.each<[Role, Principal['org']['type'], string, string | null, boolean]>([
    // LA staff and analysts: the providers of their own LA's directory only.
    ['ANALYST', 'la', '865', '865', true],
    ['ANALYST', 'la', '999', '865', false],
    ['LA_OFFICER', 'la', '865', '865', true],
    ['LA_ADMIN', 'la', '344', '865', false],
    ['QA_OFFICER', 'la', '865', '865', true],
    // A provider the directory never announced has no LA: nobody's.
    ['LA_ADMIN', 'la', '865', null, false],
    // A provider its own figures, known or not.
    ['PROVIDER_USER', 'provider', provider, null, true],
    ['PROVIDER_USER', 'provider', '00000000-0000-4000-8000-000000000000', '865', false],
    ['SCHOOL_USER', 'school', '100001', '865', false],
    ['MIS_CLIENT', 'school', '100001', '865', false],
    // A provider id in a school's organisation is still not the provider.
    ['SCHOOL_USER', 'school', provider, '865', false],
  ])('%s of %s:%s, provider in LA %s → %s', (role, type, id, providerLa, expected) => {
    expect(canReadProviderOutcomes(as(role, type, id), provider, providerLa)).toBe(expected);
  });
});
