import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TimetableSession } from '@ap/domain';
import type { PlacementStatus } from '../domain/placement';
import type { EndReason, PlacementType } from '../domain/rules';

/** numeric columns come back from pg as strings. */
const numeric = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity({ name: 'placement' })
export class Placement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** One placement per accepted referral, however often the event arrives; null when commissioned directly. */
  @Column({ name: 'referral_id', type: 'uuid', unique: true, nullable: true })
  referralId: string | null;

  @Index()
  @Column({ name: 'pupil_id', type: 'uuid' })
  pupilId: string;

  @Index()
  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'school_urn', type: 'char', length: 6, nullable: true })
  schoolUrn: string | null;

  @Column({ name: 'home_la_code', type: 'char', length: 3, nullable: true })
  homeLaCode: string | null;

  @Column({ type: 'text' })
  status: PlacementStatus;

  @Column({ type: 'text', default: 'SCHOOL_COMMISSIONED' })
  type: PlacementType;

  @Column({ name: 'offer_id', type: 'uuid', nullable: true })
  offerId: string | null;

  /** The LA commissioning it (excluded pupils); null when a school commissions. */
  @Column({ name: 'commissioner_la_code', type: 'char', length: 3, nullable: true })
  commissionerLaCode: string | null;

  @CreateDateColumn({ name: 'planned_at', type: 'timestamptz' })
  plannedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'planned_start_date', type: 'date', nullable: true })
  plannedStartDate: string | null;

  @Column({ name: 'planned_end_date', type: 'date', nullable: true })
  plannedEndDate: string | null;

  @Column({ name: 'start_date', type: 'date', nullable: true })
  startDate: string | null;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate: string | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: EndReason | null;

  @Column({ name: 'destination_urn', type: 'char', length: 6, nullable: true })
  destinationUrn: string | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ name: 'cost_per_day', type: 'numeric', nullable: true, transformer: numeric })
  costPerDay: number | null;

  @Column({ type: 'jsonb', nullable: true })
  timetable: TimetableSession[] | null;

  @Column({ name: 'hours_per_week', type: 'numeric', nullable: true, transformer: numeric })
  hoursPerWeek: number | null;

  /** Placements from referrals before timetables count as full-time. */
  @Column({ name: 'full_time', type: 'boolean', default: true })
  fullTime: boolean;

  @Column({ name: 'sessions_per_week', type: 'int', nullable: true })
  sessionsPerWeek: number | null;

  @Column({ name: 'notice_given_on', type: 'date', nullable: true })
  noticeGivenOn: string | null;

  @Column({ name: 'pupil_looked_after', type: 'boolean', default: false })
  pupilLookedAfter: boolean;

  @Column({ name: 'pupil_has_ehcp', type: 'boolean', default: false })
  pupilHasEhcp: boolean;

  @Column({ name: 'reintegration_plan', type: 'jsonb', nullable: true })
  reintegrationPlan: { targetDate: string; schoolUrn: string; steps: string[] } | null;

  @Column({ name: 'override_reason', type: 'text', nullable: true })
  overrideReason: string | null;

  /** An LA officer placed the pupil on a full offer (the reason is overrideReason); the start needs no second override. */
  @Column({ name: 'offer_place_overridden', type: 'boolean', default: false })
  offerPlaceOverridden: boolean;
  /** The pupil's UPN, for MIS attendance writeback only (from referral.accepted, or given at createPlacement); never shown. */
  @Column({ type: 'char', length: 13, nullable: true })
  upn: string | null;
}
