import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReferralReason, ReferralStatus } from '../domain/referral';

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

  @Index()
  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ type: 'text' })
  reason: ReferralReason;

  @Column({ type: 'text' })
  status: ReferralStatus;

  @Column({ name: 'first_day_of_exclusion', type: 'date', nullable: true })
  firstDayOfExclusion: string | null;

  @Column({ name: 'day6_deadline', type: 'date', nullable: true })
  day6Deadline: string | null;

  @Column({ name: 'parental_consent', type: 'boolean' })
  parentalConsent: boolean;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy: string;

  @CreateDateColumn({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;
}
