import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One row per read of a pupil's identifying data: who, when, what (UK GDPR accountability). */
@Entity({ name: 'pupil_access_log' })
export class PupilAccess {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index()
  @Column({ name: 'pupil_id', type: 'uuid' })
  pupilId: string;

  @Column({ name: 'user_id', type: 'text' })
  userId: string;

  @Column({ type: 'text' })
  role: string;

  @Column({ type: 'text' })
  organisation: string;

  /** The identifying fields read, e.g. {upn,givenName}. */
  @Column({ type: 'text', array: true })
  fields: string[];

  @Column({ name: 'trace_id', type: 'text' })
  traceId: string;

  @Column({ name: 'read_at', type: 'timestamptz', default: () => 'now()' })
  readAt: Date;
}
