import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Running totals per provider, kept up to date from events. */
@Entity({ name: 'provider_outcome' })
export class ProviderOutcome {
  @PrimaryColumn({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'placements_started', type: 'integer', default: 0 })
  placementsStarted: number;

  /** Placements that ended with the pupil reintegrated into mainstream school. */
  @Column({ name: 'placements_reintegrated', type: 'integer', default: 0 })
  placementsReintegrated: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
