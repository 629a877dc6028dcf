import type { Principal } from '@ap/auth';
import { canSeePlacement, canStartPlacement, checkCanStart } from './placement';

const provider = '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10';
const placement = { schoolUrn: '100001', providerId: provider, homeLaCode: '865' };
const who = (role: Principal['role'], type: Principal['org']['type'], id: string): Principal => ({ userId: 'u', role, org: { type, id } });

describe('checkCanStart', () => {
  it('starts only a planned placement', () => {
    expect(checkCanStart('PLANNED').ok).toBe(true);
    for (const s of ['ACTIVE', 'ENDED', 'CANCELLED'] as const) expect(checkCanStart(s).ok).toBe(false);
  });
});

describe('canSeePlacement', () => {
  it.each([
    [who('SCHOOL_USER', 'school', '100001'), true],
    [who('SCHOOL_USER', 'school', '100002'), false],
    [who('PROVIDER_USER', 'provider', provider), true],
    [who('PROVIDER_USER', 'provider', '00000000-0000-4000-8000-000000000000'), false],
    [who('LA_OFFICER', 'la', '865'), true],
    [who('LA_OFFICER', 'la', '344'), false],
    [who('ANALYST', 'la', '865'), false],
  ])('%o → %s', (p, expected) => expect(canSeePlacement(p, placement)).toBe(expected));
});

describe('canStartPlacement', () => {
  it('lets the provider and the pupil’s LA start it, not the school', () => {
    expect(canStartPlacement(who('PROVIDER_USER', 'provider', provider), placement)).toBe(true);
    expect(canStartPlacement(who('LA_ADMIN', 'la', '865'), placement)).toBe(true);
    expect(canStartPlacement(who('SCHOOL_USER', 'school', '100001'), placement)).toBe(false);
  });
});
