// Every role against canReadProviderOutcomes; access.test.ts covers the main cases.
import type { Principal, Role } from '@ap/auth';
import { canReadProviderOutcomes } from './access';

const provider = '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10';
const as = (role: Role, type: Principal['org']['type'], id: string): Principal => ({ userId: 'u', role, org: { type, id } });

describe('canReadProviderOutcomes, role by role', () => {
  it.each<[Role, Principal['org']['type'], string, boolean]>([
    ['LA_ADMIN', 'la', '344', true],
    ['QA_OFFICER', 'la', '865', true],
    ['MIS_CLIENT', 'school', '100001', false],
    // A provider id in a school's organisation is still not the provider.
    ['SCHOOL_USER', 'school', provider, false],
  ])('%s of %s:%s → %s', (role, type, id, expected) => {
    expect(canReadProviderOutcomes(as(role, type, id), provider)).toBe(expected);
  });
});
