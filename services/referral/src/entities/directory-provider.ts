import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the referral service knows of the directory, from its events: which providers exist and
 * which are approved, so that a school can refer only to an approved provider.
 */
@Entity({ name: 'directory_provider' })
export class DirectoryProvider {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'boolean', default: false })
  approved: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
