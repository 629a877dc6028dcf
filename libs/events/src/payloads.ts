// TypeScript views of the contracts in schemas/events (the JSON Schemas are the authority;
// keep these in step). Ids are uuids, times ISO 8601 strings.

export interface ReferralSubmittedV1 {
  referralId: string;
  pupilId: string;
  providerId: string;
  schoolUrn: string;
  reason: string;
  submittedAt: string;
}

export interface ReferralAcceptedV1 {
  referralId: string;
  pupilId: string;
  providerId: string;
  schoolUrn: string;
  reason: string;
  acceptedAt: string;
  /** The pupil's home LA; optional so that events written before it was added still validate. */
  homeLaCode?: string | null;
}

export interface PlacementPlannedV1 {
  placementId: string;
  referralId: string;
  pupilId: string;
  providerId: string;
}

export interface PlacementStartedV1 {
  placementId: string;
  referralId: string;
  pupilId: string;
  providerId: string;
  startedAt: string;
}

export interface AuditCompletedV1 {
  auditId: string;
  providerId: string;
  rating: 'GREEN' | 'AMBER' | 'RED';
  compliance: 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT';
  completedAt: string;
}

export interface ProviderRegisteredV1 {
  providerId: string;
  name: string;
  registrationType: string;
  /** The LA whose directory lists the provider; optional so that events written before it was added still validate. */
  laCode?: string | null;
}

export interface ProviderApprovedV1 {
  providerId: string;
  approvedAt: string;
}

/** No personal data: UPN and names never leave the referral service. */
export interface PupilRegisteredV1 {
  pupilId: string;
}

/** Event type → its v1 payload, for typed handlers and producers. */
export interface EventPayloads {
  'referral.submitted': ReferralSubmittedV1;
  'referral.accepted': ReferralAcceptedV1;
  'placement.planned': PlacementPlannedV1;
  'placement.started': PlacementStartedV1;
  'audit.completed': AuditCompletedV1;
  'provider.registered': ProviderRegisteredV1;
  'provider.approved': ProviderApprovedV1;
  'pupil.registered': PupilRegisteredV1;
}

export type EventType = keyof EventPayloads;
