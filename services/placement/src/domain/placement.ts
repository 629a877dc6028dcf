import type { Principal } from '@ap/auth';

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
