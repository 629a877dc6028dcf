import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Answer, AuditStatus, Compliance, Rating, StandardRating } from '../domain/audit';

/** One audit of a provider: scheduled on a template version, self-assessed, rated, completed. */
@Entity({ name: 'audit' })
export class Audit {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index()
  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  /** The template version the audit was scheduled on (never changes); null for a one-step audit. */
  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId: string | null;

  @Column({ type: 'text', nullable: true })
  period: string | null;

  @Column({ type: 'text', default: 'COMPLETED' })
  status: AuditStatus;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  answers: Answer[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  ratings: StandardRating[];

  /** The overall rating: the worst standard's, or the one-step audit's rating. */
  @Column({ type: 'text', nullable: true })
  rating: Rating | null;

  /** What the overall rating means on its own (audit.completed carries it). */
  @Column({ type: 'text', nullable: true })
  compliance: Compliance | null;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ name: 'scheduled_by', type: 'text', nullable: true })
  scheduledBy: string | null;

  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true })
  scheduledAt: Date | null;

  @Column({ name: 'submitted_by', type: 'text', nullable: true })
  submittedBy: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'completed_by', type: 'text', nullable: true })
  completedBy: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'expires_on', type: 'date', nullable: true })
  expiresOn: string | null;
}
