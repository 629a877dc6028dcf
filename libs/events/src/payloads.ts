// TypeScript views of the contracts in schemas/events (the JSON Schemas are the authority;
// keep these in step). Ids are uuids, times ISO 8601 strings.

/** A pupil's cohort facts as the referral service publishes them: never names, UPN or date of birth. */
export interface PupilCohortV1 {
  homeLaCode?: string | null;
  senStatus: 'NONE' | 'SEN_SUPPORT' | 'EHC_ASSESSMENT' | 'EHCP';
  pupilPremium: boolean;
  lookedAfter: boolean;
  hasSocialWorker: boolean;
  /** National curriculum year on the event's date (Reception 0). */
  yearGroup?: number | null;
  keyStage?: 'EYFS' | 'KS1' | 'KS2' | 'KS3' | 'KS4' | 'KS5' | null;
  academicYear?: string | null;
}

/** Optional facts of the referral form for outcomes; optional so that older events still validate. */
export interface ReferralOutcomeFactsV1 {
  cohort?: PupilCohortV1 | null;
  /** A permanent exclusion's sixth school day. */
  day6Deadline?: string | null;
  /** The pupil's attendance at referral (the form's current attendance). */
  currentAttendancePercent?: number | null;
}

export interface ReferralSubmittedV1 extends ReferralOutcomeFactsV1 {
  referralId: string;
  pupilId: string;
  providerId: string;
  schoolUrn: string;
  reason: string;
  submittedAt: string;
}

export interface ReferralAcceptedV1 extends ReferralOutcomeFactsV1 {
  referralId: string;
  pupilId: string;
  providerId: string;
  schoolUrn: string;
  reason: string;
  acceptedAt: string;
  /** The pupil's home LA; optional so that events written before it was added still validate. */
  homeLaCode?: string | null;
  /**
   * The pupil's UPN, for the placement service: a school's MIS writes attendance back by UPN, so the
   * placement keeps it (outcomes reads this topic too and never stores it). Optional: older events lack it.
   */
  upn?: string | null;
  /** The directory's offer referred to; optional so that events written before it was added still validate. */
  offerId?: string | null;
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
  /** The directory's offer the placement takes a place on; optional so older events still validate. */
  offerId?: string | null;
  /** The commissioning school; optional so older events still validate. */
  schoolUrn?: string | null;
  /** The rest are optional too, for outcomes (type, timetable, cost, whose pupil). */
  placementType?: 'OFF_SITE_DIRECTION' | 'MANAGED_MOVE' | 'DAY6_PROVISION' | 'EHCP_NAMED' | 'MEDICAL' | 'REDUCED_TIMETABLE' | 'SCHOOL_COMMISSIONED' | null;
  startDate?: string | null;
  fullTime?: boolean | null;
  sessionsPerWeek?: number | null;
  costPerDay?: number | null;
  homeLaCode?: string | null;
  commissionerLaCode?: string | null;
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

/** A pupil's cohort facts as set or changed in the pupil registry (on registration and on every change). */
export interface PupilCohortChangedV1 {
  pupilId: string;
  cohort: PupilCohortV1;
}

/** A school (a commissioner of AP) is in the directory, in the LA that maintains or hosts it. Keyed by URN. */
export interface SchoolRegisteredV1 {
  urn: string;
  name: string;
  phase: 'NURSERY' | 'PRIMARY' | 'MIDDLE' | 'SECONDARY' | 'ALL_THROUGH' | 'SPECIAL' | 'PRU' | 'ALTERNATIVE_PROVISION' | 'POST16';
  laCode: string;
}

/** The LA suspended a provider from its directory: no new referrals or placements until reinstated. */
export interface ProviderSuspendedV1 {
  providerId: string;
  laCode: string;
  reason: string;
  suspendedAt: string;
}

/** The provider left the LA's directory for good: no new referrals or placements. */
export interface ProviderWithdrawnV1 {
  providerId: string;
  laCode: string;
  reason: string;
  withdrawnAt: string;
}

/** A suspended provider is APPROVED again. */
export interface ProviderReinstatedV1 {
  providerId: string;
  laCode: string;
  reason: string;
  reinstatedAt: string;
}

/** A provider's safeguarding compliance changed (published on a change only, not on every audit). An older event never overwrites a newer one: compare effectiveAt. */
export interface ProviderComplianceChangedV1 {
  providerId: string;
  compliance: 'NOT_AUDITED' | 'COMPLIANT' | 'ACTION_REQUIRED' | 'NON_COMPLIANT' | 'EXPIRED';
  reason: string;
  effectiveAt: string;
  lastAuditCompletedAt?: string | null;
}

/** Whether an unregistered provider now gives full-time education to enough pupils (5, or 1 looked-after or with an EHCP) that it must register as an independent school. Published when the answer changes. */
export interface ProviderRegistrationRequiredV1 {
  providerId: string;
  required: boolean;
  fullTimePupils: number;
  lookedAfterOrEhcpPupils: number;
  reason: string;
  effectiveAt: string;
}

/** The placement ended (the pupil left the provider). Gives the offer's place back. */
export interface PlacementEndedV1 {
  placementId: string;
  referralId?: string | null;
  pupilId: string;
  providerId: string;
  offerId?: string | null;
  schoolUrn?: string | null;
  endedOn: string;
  endReason: 'REINTEGRATED_MAINSTREAM' | 'SPECIAL_SCHOOL' | 'POST16_MOVE' | 'MOVED_AWAY' | 'PERMANENTLY_EXCLUDED' | 'OTHER';
  destinationUrn?: string | null;
}

/** A placement that was planned or active was cancelled. Gives the offer's place back if it had started. */
export interface PlacementCancelledV1 {
  placementId: string;
  referralId?: string | null;
  pupilId: string;
  providerId: string;
  offerId?: string | null;
  schoolUrn?: string | null;
  reason: string;
  wasActive: boolean;
  cancelledAt: string;
}

/** A placement review was held and its decision recorded. */
export interface PlacementReviewRecordedV1 {
  placementId: string;
  reviewId: string;
  pupilId: string;
  providerId: string;
  heldOn: string;
  decision: 'CONTINUE' | 'EXTEND' | 'REINTEGRATE' | 'END';
  nextReviewDue?: string | null;
}

/** The provider (or the LA panel) declined a referral. */
export interface ReferralDeclinedV1 {
  referralId: string;
  pupilId: string;
  providerId?: string | null;
  schoolUrn: string;
  reasonCode: string;
  declinedAt: string;
}

/** The referring school (or the LA) withdrew a referral. */
export interface ReferralWithdrawnV1 {
  referralId: string;
  pupilId: string;
  providerId?: string | null;
  schoolUrn: string;
  withdrawnAt: string;
}

/** A permanently excluded pupil's referral reached its last two school days before day 6 with no accepted placement. Published once per referral. */
export interface ReferralDay6AtRiskV1 {
  referralId: string;
  pupilId: string;
  laCode?: string | null;
  day6Deadline: string;
  schoolDaysLeft: number;
}

/** One placement's attendance for one school day as session totals (DfE definitions). Re-published when a mark of that day changes: the newest asOf wins. */
export interface AttendanceDaySummarisedV1 {
  placementId: string;
  pupilId: string;
  providerId: string;
  schoolUrn?: string | null;
  laCode?: string | null;
  date: string;
  possibleSessions: number;
  attendedSessions: number;
  authorisedAbsenceSessions: number;
  unauthorisedAbsenceSessions: number;
  codes?: { AM?: string | null; PM?: string | null };
  asOf: string;
}

/** One placement's days changed by one write, each as AttendanceDaySummarisedV1's totals: one event per placement per write. */
export interface AttendanceDaysSummarisedV1 {
  placementId: string;
  pupilId: string;
  providerId: string;
  schoolUrn?: string | null;
  laCode?: string | null;
  days: Pick<AttendanceDaySummarisedV1, 'date' | 'possibleSessions' | 'attendedSessions' | 'authorisedAbsenceSessions' | 'unauthorisedAbsenceSessions' | 'codes'>[];
  asOf: string;
}

/** An absence without a known reason (N, O, or no mark by 10:30 for a timetabled AM session): a same-day safeguarding signal. Once per alert. */
export interface AttendanceAbsenceUnexplainedV1 {
  alertId: string;
  placementId: string;
  pupilId: string;
  providerId: string;
  schoolUrn?: string | null;
  laCode?: string | null;
  date: string;
  session: 'AM' | 'PM';
  reason: 'CODE_N' | 'CODE_O' | 'NO_MARK';
  code?: string | null;
  raisedAt: string;
}

/** An offer was added, changed or closed in the directory (keyed by offer). The newest effectiveAt wins. */
export interface OfferChangedV1 {
  offerId: string;
  providerId: string;
  laCode: string;
  /** False once closed: no new referrals or placements to it. */
  open: boolean;
  capacity: number;
  keyStages: ('EYFS' | 'KS1' | 'KS2' | 'KS3' | 'KS4' | 'KS5')[];
  pricePerDay: number;
  effectiveAt: string;
}

/** A qualification result entered in outcomes (published so the read model rebuilds from the topics). */
export interface OutcomeAttainmentRecordedV1 {
  attainmentId: string;
  placementId: string;
  pupilId: string;
  subject: 'ENGLISH' | 'MATHS' | 'SCIENCE' | 'ICT' | 'VOCATIONAL' | 'OTHER';
  qualification: 'GCSE' | 'FUNCTIONAL_SKILLS_E3' | 'FUNCTIONAL_SKILLS_L1' | 'FUNCTIONAL_SKILLS_L2' | 'ENTRY_LEVEL' | 'OTHER';
  grade: string;
  achievedOn: string;
}

/** A post-16 destination entered in outcomes; the latest for a pupil and academic year stands. */
export interface OutcomeDestinationRecordedV1 {
  destinationId: string;
  pupilId: string;
  academicYear: string;
  destination: 'EDUCATION' | 'EMPLOYMENT' | 'TRAINING' | 'NEET' | 'UNKNOWN';
  recordedOn: string;
}

/** A suspension a school reported, entered in outcomes. */
export interface OutcomeSuspensionRecordedV1 {
  suspensionId: string;
  pupilId: string;
  startDate: string;
  days: number;
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
  'pupil.cohort_changed': PupilCohortChangedV1;
  'school.registered': SchoolRegisteredV1;
  'provider.suspended': ProviderSuspendedV1;
  'provider.withdrawn': ProviderWithdrawnV1;
  'provider.reinstated': ProviderReinstatedV1;
  'provider.compliance_changed': ProviderComplianceChangedV1;
  'provider.registration_required': ProviderRegistrationRequiredV1;
  'placement.ended': PlacementEndedV1;
  'placement.cancelled': PlacementCancelledV1;
  'placement.review_recorded': PlacementReviewRecordedV1;
  'referral.declined': ReferralDeclinedV1;
  'referral.withdrawn': ReferralWithdrawnV1;
  'referral.day6_at_risk': ReferralDay6AtRiskV1;
  'attendance.day_summarised': AttendanceDaySummarisedV1;
  'attendance.days_summarised': AttendanceDaysSummarisedV1;
  'attendance.absence_unexplained': AttendanceAbsenceUnexplainedV1;
  'offer.changed': OfferChangedV1;
  'outcome.attainment_recorded': OutcomeAttainmentRecordedV1;
  'outcome.destination_recorded': OutcomeDestinationRecordedV1;
  'outcome.suspension_recorded': OutcomeSuspensionRecordedV1;
}

export type EventType = keyof EventPayloads;
