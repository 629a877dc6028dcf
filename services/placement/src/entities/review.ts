import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReviewDecision } from '../domain/rules';

@Entity({ name: 'placement_review' })
export class PlacementReview {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'placement_id', type: 'uuid' })
  placementId: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate: string;

  @Column({ name: 'held_on', type: 'date', nullable: true })
  heldOn: string | null;

  @Column({ type: 'text', nullable: true })
  decision: ReviewDecision | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'pupil_voice', type: 'text', nullable: true })
  pupilVoice: string | null;

  @Column({ name: 'parent_voice', type: 'text', nullable: true })
  parentVoice: string | null;

  @Column({ name: 'recorded_by', type: 'text', nullable: true })
  recordedBy: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', nullable: true })
  recordedAt: Date | null;

  // The provider's part (recordProviderReviewPart): its account and view, before or after the meeting.
  @Column({ name: 'provider_progress_summary', type: 'text', nullable: true })
  providerProgressSummary: string | null;

  @Column({ name: 'provider_attendance_comment', type: 'text', nullable: true })
  providerAttendanceComment: string | null;

  @Column({ name: 'provider_view', type: 'text', nullable: true })
  providerView: string | null;

  @Column({ name: 'provider_recommendation', type: 'text', nullable: true })
  providerRecommendation: ReviewDecision | null;

  @Column({ name: 'provider_recorded_by', type: 'text', nullable: true })
  providerRecordedBy: string | null;

  @Column({ name: 'provider_recorded_at', type: 'timestamptz', nullable: true })
  providerRecordedAt: Date | null;
}

@Entity({ name: 'placement_history' })
export class PlacementHistory {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' })
  id: string;

  @Column({ name: 'placement_id', type: 'uuid' })
  placementId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'by_role', type: 'text' })
  byRole: string;

  @Column({ name: 'by_org', type: 'text' })
  byOrg: string;

  @Column({ type: 'text', nullable: true })
  detail: string | null;
}
