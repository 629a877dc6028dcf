import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DeclineReasonCode } from '../domain/form';
import type { PlacementState, ReferralReason, ReferralRoute, ReferralStatus, ReferralStep, RiskLevel } from '../domain/referral';

/** numeric columns come back from pg as strings. */
const decimal = { to: (v: number | null | undefined) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity({ name: 'referral' })
export class Referral {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index()
  @Column({ name: 'pupil_id', type: 'uuid' })
  pupilId: string;

  @Index()
  @Column({ name: 'school_urn', type: 'char', length: 6 })
  schoolUrn: string;

  /** Null for a draft without one yet, and for an LA-panel referral until the panel assigns one. */
  @Index()
  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId: string | null;

  @Column({ type: 'text', default: 'DIRECT' })
  route: ReferralRoute;

  /** The directory's offer, when direct (recorded; not yet checked: the directory does not publish offers). */
  @Column({ name: 'offer_id', type: 'uuid', nullable: true })
  offerId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: ReferralReason | null;

  @Column({ type: 'text' })
  status: ReferralStatus;

  @Column({ name: 'first_day_of_exclusion', type: 'date', nullable: true })
  firstDayOfExclusion: string | null;

  @Column({ name: 'day6_deadline', type: 'date', nullable: true })
  day6Deadline: string | null;

  @Column({ name: 'needs_and_strengths', type: 'text', nullable: true })
  needsAndStrengths: string | null;

  @Column({ type: 'text', nullable: true })
  risks: string | null;

  @Column({ name: 'risk_level', type: 'text', nullable: true })
  riskLevel: RiskLevel | null;

  @Column({ name: 'interventions_tried', type: 'text', nullable: true })
  interventionsTried: string | null;

  @Column({ name: 'current_attendance_percent', type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: decimal })
  currentAttendancePercent: number | null;

  @Column({ name: 'outcomes_wanted', type: 'text', nullable: true })
  outcomesWanted: string | null;

  @Column({ name: 'proposed_start_date', type: 'date', nullable: true })
  proposedStartDate: string | null;

  @Column({ name: 'hours_wanted', type: 'numeric', precision: 4, scale: 1, nullable: true, transformer: decimal })
  hoursWanted: number | null;

  @Column({ name: 'pupil_voice', type: 'text', nullable: true })
  pupilVoice: string | null;

  @Column({ name: 'parent_voice', type: 'text', nullable: true })
  parentVoice: string | null;

  @Column({ name: 'parental_consent', type: 'boolean' })
  parentalConsent: boolean;

  @Column({ name: 'consent_given_by', type: 'text', nullable: true })
  consentGivenBy: string | null;

  @Column({ name: 'consent_given_on', type: 'date', nullable: true })
  consentGivenOn: string | null;

  @Column({ name: 'data_sharing_agreed', type: 'boolean', default: false })
  dataSharingAgreed: boolean;

  @Column({ name: 'submitted_by', type: 'text', nullable: true })
  submittedBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  /** submitted (or assigned, on the panel route) + N school days on the LA's calendar. */
  @Column({ name: 'respond_by', type: 'date', nullable: true })
  respondBy: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'agreed_start_date', type: 'date', nullable: true })
  agreedStartDate: string | null;

  @Column({ name: 'decline_reason_code', type: 'text', nullable: true })
  declineReasonCode: DeclineReasonCode | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: string | null;

  @Column({ name: 'withdraw_reason', type: 'text', nullable: true })
  withdrawReason: string | null;

  /** From the placement service's events. */
  @Column({ name: 'placement_id', type: 'uuid', nullable: true })
  placementId: string | null;

  @Column({ name: 'placement_status', type: 'text', nullable: true })
  placementStatus: PlacementState | null;

  @Column({ name: 'day6_alerted_at', type: 'timestamptz', nullable: true })
  day6AlertedAt: Date | null;

  /** Every step of the status flow: who and when. */
  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  history: ReferralStep[];
}
