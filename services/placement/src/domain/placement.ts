import { mayAccess, Principal } from '@ap/auth';
import { placementAccess } from '../access';

export type PlacementStatus = 'PLANNED' | 'ACTIVE' | 'ENDED' | 'CANCELLED';

/**
 * A pupil has at most one open full-time placement (DOMAIN.md); part-time placements may combine.
 * The partial unique index placement_one_full_time_per_pupil holds the same list.
 */
export const OPEN_PLACEMENT_STATUSES: readonly PlacementStatus[] = ['PLANNED', 'ACTIVE'];

/** Recorded in refused_placement when an accepted referral arrives for a pupil already placed. */
export function secondPlacementRefusal(openPlacement: { id: string; status: PlacementStatus }): string {
  return `The pupil already has an open placement (${openPlacement.id}, ${openPlacement.status.toLowerCase()}); a pupil has one full-time placement at a time`;
}

/** Only a planned placement can start; starting twice is a conflict, not a silent success. */
export function checkCanStart(status: PlacementStatus): { ok: true } | { ok: false; message: string } {
  if (status === 'PLANNED') return { ok: true };
  return { ok: false, message: `This placement is ${status.toLowerCase()} and cannot be started` };
}

export interface PlacementScope {
  schoolUrn: string | null;
  providerId: string;
  homeLaCode: string | null;
  commissionerLaCode?: string | null;
}

/** The commissioning LA counts as the pupil's LA: it placed the pupil. */
const facts = (placement: PlacementScope, providerLaCode?: string | null) => ({
  schoolUrns: [placement.schoolUrn],
  providerIds: [placement.providerId],
  pupilLaCode: placement.commissionerLaCode ?? placement.homeLaCode,
  providerLaCode: providerLaCode ?? null,
});

/** A commissioning school sees its placements, a provider those with it, an LA those of its pupils, a QA officer those of its LA's providers (src/access.ts). */
export function canSeePlacement(p: Principal, placement: PlacementScope, providerLaCode?: string | null): boolean {
  return mayAccess(placementAccess, 'Query.placement', p, facts(placement, providerLaCode));
}

/** The same relation for each placement listed under a pupil (Pupil.placements). */
export function canListPlacement(p: Principal, placement: PlacementScope): boolean {
  return mayAccess(placementAccess, 'Pupil.placements', p, facts(placement));
}

/** Whether the caller may do `operation` (a Mutation row of src/access.ts) to this placement. */
export function mayManagePlacement(operation: string, p: Principal, placement: PlacementScope): boolean {
  return mayAccess(placementAccess, operation, p, facts(placement));
}

/** The provider records the start; the LA may do so for its pupils. */
export function canStartPlacement(p: Principal, placement: PlacementScope): boolean {
  return mayManagePlacement('Mutation.startPlacement', p, placement);
}
