import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PlacementStatus } from '../domain/placement';

@Entity({ name: 'placement' })
export class Placement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** One placement per accepted referral, however often the event arrives. */
  @Column({ name: 'referral_id', type: 'uuid', unique: true })
  referralId: string;

  @Index()
  @Column({ name: 'pupil_id', type: 'uuid' })
  pupilId: string;

  @Index()
  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'school_urn', type: 'char', length: 6 })
  schoolUrn: string;

  @Column({ name: 'home_la_code', type: 'char', length: 3, nullable: true })
  homeLaCode: string | null;

  @Column({ type: 'text' })
  status: PlacementStatus;

  @CreateDateColumn({ name: 'planned_at', type: 'timestamptz' })
  plannedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;
}
