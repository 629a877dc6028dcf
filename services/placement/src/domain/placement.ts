import { mayAccess, Principal } from '@ap/auth';
import { placementAccess } from '../access';

export type PlacementStatus = 'PLANNED' | 'ACTIVE' | 'ENDED' | 'CANCELLED';

/** Only a planned placement can start; starting twice is a conflict, not a silent success. */
export function checkCanStart(status: PlacementStatus): { ok: true } | { ok: false; message: string } {
  if (status === 'PLANNED') return { ok: true };
  return { ok: false, message: `This placement is ${status.toLowerCase()} and cannot be started` };
}

export interface PlacementScope {
  schoolUrn: string;
  providerId: string;
  homeLaCode: string | null;
}

const facts = (placement: PlacementScope) => ({
  schoolUrns: [placement.schoolUrn],
  providerIds: [placement.providerId],
  pupilLaCode: placement.homeLaCode,
});

/** A commissioning school sees its placements, a provider those with it, an LA those of its pupils (src/access.ts). */
export function canSeePlacement(p: Principal, placement: PlacementScope): boolean {
  return mayAccess(placementAccess, 'Query.placement', p, facts(placement));
}

/** The same relation for each placement listed under a pupil (Pupil.placements). */
export function canListPlacement(p: Principal, placement: PlacementScope): boolean {
  return mayAccess(placementAccess, 'Pupil.placements', p, facts(placement));
}

/** The provider records the start; the LA may do so for its pupils. */
export function canStartPlacement(p: Principal, placement: PlacementScope): boolean {
  return mayAccess(placementAccess, 'Mutation.startPlacement', p, facts(placement));
}
