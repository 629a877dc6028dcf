import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApprovalStatus } from '../domain/provider';

/** The approval history: who changed a provider's status, when, and why. */
@Entity({ name: 'provider_status_change' })
export class ProviderStatusChange {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: ApprovalStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: ApprovalStatus;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** The user id of the LA admin who changed it. */
  @Column({ name: 'changed_by', type: 'text' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
