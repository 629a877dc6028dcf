import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

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

  /** The school that first registered the pupil here; it may see the pupil before any referral. */
  @Column({ name: 'registered_by_school_urn', type: 'char', length: 6, nullable: true })
  registeredBySchoolUrn: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
