import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Compliance, Rating } from '../domain/audit';

@Entity({ name: 'audit' })
export class Audit {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index()
  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ type: 'text' })
  rating: Rating;

  @Column({ type: 'text' })
  compliance: Compliance;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ name: 'completed_by', type: 'text' })
  completedBy: string;

  @CreateDateColumn({ name: 'completed_at', type: 'timestamptz' })
  completedAt: Date;
}
