// Roles and states that placement.test.ts does not cover.
import type { Principal } from '@ap/auth';
import { canSeePlacement, canStartPlacement, checkCanStart, PlacementScope } from './placement';

const PROVIDER = '6f1c1a52-3f0e-4d1b-9a55-0d6f1f4f2a10';
const placement: PlacementScope = { schoolUrn: '100001', providerId: PROVIDER, homeLaCode: '865' };
const as = (role: Principal['role'], type: Principal['org']['type'], id: string): Principal => ({ userId: 'u', role, org: { type, id } });

describe('canSeePlacement', () => {
  it.each<[string, Principal, boolean]>([
    ['the commissioning school’s MIS (upsert only: reads nothing)', as('MIS_CLIENT', 'school', '100001'), false],
    ['another school’s MIS', as('MIS_CLIENT', 'school', '100002'), false],
    ['the pupil’s LA admin', as('LA_ADMIN', 'la', '865'), true],
    ['a QA officer of the same LA', as('QA_OFFICER', 'la', '865'), false],
  ])('%s → %s', (_who, p, expected) => expect(canSeePlacement(p, placement)).toBe(expected));

  it('gives no LA a placement whose pupil has no known home LA', () => {
    const unknownLa = { ...placement, homeLaCode: null };
    expect(canSeePlacement(as('LA_ADMIN', 'la', '865'), unknownLa)).toBe(false);
    expect(canSeePlacement(as('SCHOOL_USER', 'school', '100001'), unknownLa)).toBe(true);
  });
});

describe('canStartPlacement', () => {
  it.each<[string, Principal, boolean]>([
    ['another provider', as('PROVIDER_USER', 'provider', '00000000-0000-4000-8000-000000000000'), false],
    ['the pupil’s LA officer', as('LA_OFFICER', 'la', '865'), true],
    ['another LA', as('LA_ADMIN', 'la', '344'), false],
    ['the school’s MIS', as('MIS_CLIENT', 'school', '100001'), false],
    ['an analyst', as('ANALYST', 'la', '865'), false],
    ['a QA officer', as('QA_OFFICER', 'la', '865'), false],
  ])('%s → %s', (_who, p, expected) => expect(canStartPlacement(p, placement)).toBe(expected));
});

describe('checkCanStart', () => {
  it.each(['ACTIVE', 'ENDED', 'CANCELLED'] as const)('says why a %s placement cannot start', (status) => {
    expect(checkCanStart(status)).toEqual({ ok: false, message: `This placement is ${status.toLowerCase()} and cannot be started` });
  });
});
