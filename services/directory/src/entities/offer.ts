import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { KeyStage } from '@ap/domain';
import type { DeliveryMode, Need } from '../domain/offer';

/** What a provider offers: a programme for some key stages and needs, at a price, with places. */
@Entity({ name: 'offer' })
export class Offer {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'key_stages', type: 'text', array: true })
  keyStages: KeyStage[];

  @Column({ type: 'text', array: true })
  needs: Need[];

  @Column({ type: 'text', array: true })
  subjects: string[];

  @Column({ type: 'text', array: true })
  qualifications: string[];

  @Column({ name: 'vocational_areas', type: 'text', array: true })
  vocationalAreas: string[];

  @Column({ name: 'delivery_modes', type: 'text', array: true })
  deliveryModes: DeliveryMode[];

  @Column({ name: 'sessions_offered', type: 'integer' })
  sessionsOffered: number;

  /** numeric comes back as a string; parsed to pounds. */
  @Column({ name: 'price_per_day', type: 'numeric', precision: 8, scale: 2, transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  pricePerDay: number;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ name: 'places_in_use', type: 'integer', default: 0 })
  placesInUse: number;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A placement holding a place on an offer (released_at set once it ended or was cancelled). */
@Entity({ name: 'offer_place' })
export class OfferPlace {
  @PrimaryColumn({ name: 'placement_id', type: 'uuid' })
  placementId: string;

  @Column({ name: 'offer_id', type: 'uuid' })
  offerId: string;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt: Date | null;
}
