import { Column, CreateDateColumn, Entity, PrimaryColumn, VirtualColumn } from 'typeorm';
import type { SenStatus } from '../domain/referral';

@Entity({ name: 'pupil' })
export class Pupil {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'char', length: 13, unique: true })
  upn: string;

  @Column({ name: 'given_name', type: 'text' })
  givenName: string;

  @Column({ name: 'family_name', type: 'text' })
  familyName: string;

  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth: string;

  @Column({ name: 'home_la_code', type: 'char', length: 3, nullable: true })
  homeLaCode: string | null;

  /** The school on roll (the last to register or push the pupil); it may see the pupil before any referral. */
  @Column({ name: 'registered_by_school_urn', type: 'char', length: 6, nullable: true })
  registeredBySchoolUrn: string | null;

  @Column({ name: 'sen_status', type: 'text', default: 'NONE' })
  senStatus: SenStatus;

  @Column({ name: 'has_social_worker', type: 'boolean', default: false })
  hasSocialWorker: boolean;

  @Column({ name: 'pupil_premium', type: 'boolean', default: false })
  pupilPremium: boolean;

  @Column({ name: 'looked_after', type: 'boolean', default: false })
  lookedAfter: boolean;

  /**
   * The LA of the school on roll, from the directory's school.registered events (directory_school);
   * read with every load, so a school the directory learns later counts at once.
   */
  @VirtualColumn({
    type: 'text',
    query: (alias) => `SELECT ds.la_code FROM directory_school ds WHERE ds.urn = ${alias}.registered_by_school_urn::text`,
  })
  schoolLaCode: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
