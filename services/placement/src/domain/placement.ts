import type { Principal } from '@ap/auth';

export type PlacementStatus = 'PLANNED' | 'ACTIVE' | 'ENDED' | 'CANCELLED';

/**
 * A pupil has at most one open full-time placement (DOMAIN.md); until timetables arrive every
 * placement is full-time. The partial unique index placement_one_open_per_pupil holds the same list.
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
  schoolUrn: string;
  providerId: string;
  homeLaCode: string | null;
}

/** A commissioning school sees its placements, a provider those with it, an LA those of its pupils. */
export function canSeePlacement(p: Principal, placement: PlacementScope): boolean {
  switch (p.role) {
    case 'SCHOOL_USER':
    case 'MIS_CLIENT':
      return placement.schoolUrn === p.org.id;
    case 'PROVIDER_USER':
      return placement.providerId === p.org.id;
    case 'LA_ADMIN':
    case 'LA_OFFICER':
      return placement.homeLaCode === p.org.id;
    default:
      return false;
  }
}

/** The provider records the start; the LA may do so for its pupils. */
export function canStartPlacement(p: Principal, placement: PlacementScope): boolean {
  if (p.role === 'PROVIDER_USER') return placement.providerId === p.org.id;
  if (p.role === 'LA_ADMIN' || p.role === 'LA_OFFICER') return placement.homeLaCode === p.org.id;
  return false;
}
