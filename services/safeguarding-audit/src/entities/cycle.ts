import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Rating } from '../domain/audit';
import type { ProviderCompliance as Compliance } from '../domain/compliance';
import type { TemplateSection } from '../domain/template';

/** A published version of an audit template: never updated, so audits on it never change. */
@Entity({ name: 'audit_template' })
export class AuditTemplate {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  sections: TemplateSection[];

  @Column({ name: 'published_by', type: 'text' })
  publishedBy: string;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt: Date;
}

/** What must be done about an AMBER or RED standard, by whom and by when. */
@Entity({ name: 'audit_action' })
export class AuditAction {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'audit_id', type: 'uuid' })
  auditId: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'standard_id', type: 'text' })
  standardId: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text' })
  owner: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closed_by', type: 'text', nullable: true })
  closedBy: string | null;
}

export interface VisitFinding {
  area: string;
  rating: Rating;
  comment: string | null;
}

export interface FollowUp {
  id: string;
  action: string;
  dueDate: string;
  closedAt: string | null;
}

export const VISIT_TYPES = ['SAFEGUARDING', 'HEALTH_AND_SAFETY', 'TEACHING_AND_LEARNING', 'ATTENDANCE'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

@Entity({ name: 'monitoring_visit' })
export class MonitoringVisit {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ type: 'text' })
  type: VisitType;

  @Column({ name: 'visited_on', type: 'date' })
  visitedOn: string;

  @Column({ name: 'visited_by', type: 'text' })
  visitedBy: string;

  @Column({ type: 'jsonb' })
  findings: VisitFinding[];

  @Column({ name: 'follow_ups', type: 'jsonb' })
  followUps: FollowUp[];

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

/** A provider's derived compliance as last published: the event goes out only when it changes. */
@Entity({ name: 'provider_compliance' })
export class ProviderComplianceRecord {
  @PrimaryColumn({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ type: 'text' })
  compliance: Compliance;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'effective_at', type: 'timestamptz', nullable: true })
  effectiveAt: Date | null;

  @Column({ name: 'known_since', type: 'date' })
  knownSince: string;

  @Column({ name: 'last_audit_completed_at', type: 'timestamptz', nullable: true })
  lastAuditCompletedAt: Date | null;
}
