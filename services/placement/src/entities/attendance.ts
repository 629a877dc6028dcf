import { Column, Entity, PrimaryColumn } from 'typeorm';

export type Session = 'AM' | 'PM';
export type MarkSource = 'PROVIDER' | 'MIS';

/** One session's mark; written set-based by src/attendance.ts (the entity is for reads). */
@Entity({ name: 'attendance_mark' })
export class AttendanceMark {
  @PrimaryColumn({ name: 'placement_id', type: 'uuid' })
  placementId: string;

  @PrimaryColumn({ type: 'date' })
  date: string;

  @PrimaryColumn({ type: 'text' })
  session: Session;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  source: MarkSource;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

export type AlertReason = 'CODE_N' | 'CODE_O' | 'NO_MARK';

@Entity({ name: 'absence_alert' })
export class AbsenceAlert {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'placement_id', type: 'uuid' })
  placementId: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  session: Session;

  @Column({ type: 'text' })
  reason: AlertReason;

  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ name: 'school_urn', type: 'char', length: 6, nullable: true })
  schoolUrn: string | null;

  @Column({ name: 'la_code', type: 'char', length: 3, nullable: true })
  laCode: string | null;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'acknowledgement_note', type: 'text', nullable: true })
  acknowledgementNote: string | null;
}

export type ProgressArea = 'ENGLISH' | 'MATHS' | 'SEMH' | 'VOCATIONAL' | 'OTHER';

@Entity({ name: 'progress_note' })
export class ProgressNote {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'placement_id', type: 'uuid' })
  placementId: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  area: ProgressArea;

  @Column({ type: 'text' })
  summary: string;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH';

@Entity({ name: 'behaviour_incident' })
export class BehaviourIncident {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'placement_id', type: 'uuid' })
  placementId: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text' })
  severity: Severity;

  @Column({ type: 'text' })
  category: string;

  @Column({ name: 'action_taken', type: 'text' })
  actionTaken: string;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}
