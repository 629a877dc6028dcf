import { Column, Entity, EntityManager, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import type { EventHandlers } from './consumer';
import type { EventOf } from './envelope';

/**
 * What a service knows of the directory's offers, from `offer.changed`: which provider an offer
 * belongs to, whether it is open, its capacity, key stages and price. The referral service refers
 * only to an open offer of the provider; the placement service counts places against capacity.
 * A service that needs it lists the entity, the migration and the handlers (consumer `from: ['directory']`).
 */
@Entity({ name: 'directory_offer' })
export class DirectoryOffer {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'la_code', type: 'text' })
  laCode: string;

  @Column({ type: 'boolean' })
  open: boolean;

  @Column({ type: 'int' })
  capacity: number;

  @Column({ name: 'key_stages', type: 'text', array: true })
  keyStages: string[];

  /** In pounds (numeric in the database, a number here). */
  @Column({ name: 'price_per_day', type: 'numeric', precision: 10, scale: 2, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  pricePerDay: number;

  /** When the directory made the change: an older event never overwrites a newer one. */
  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt: Date;
}

export class CreateDirectoryOfferTable1733000000001 implements MigrationInterface {
  name = 'CreateDirectoryOfferTable1733000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_offer (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL,
        la_code text NOT NULL,
        open boolean NOT NULL,
        capacity int NOT NULL CHECK (capacity >= 0),
        key_stages text[] NOT NULL,
        price_per_day numeric(10, 2) NOT NULL,
        effective_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX directory_offer_provider ON directory_offer (provider_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE directory_offer`);
  }
}

export const directoryOfferMigrations = [CreateDirectoryOfferTable1733000000001];

/** The whole offer, newest effective time wins: a late, older event or a redelivery changes nothing. */
async function offerChanged(event: EventOf<'offer.changed'>, tx: EntityManager): Promise<void> {
  const { offerId, providerId, laCode, open, capacity, keyStages, pricePerDay, effectiveAt } = event.payload;
  await tx.query(
    `INSERT INTO directory_offer (id, provider_id, la_code, open, capacity, key_stages, price_per_day, effective_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET provider_id = EXCLUDED.provider_id, la_code = EXCLUDED.la_code, open = EXCLUDED.open,
       capacity = EXCLUDED.capacity, key_stages = EXCLUDED.key_stages, price_per_day = EXCLUDED.price_per_day, effective_at = EXCLUDED.effective_at
     WHERE directory_offer.effective_at < EXCLUDED.effective_at`,
    [offerId, providerId, laCode, open, capacity, keyStages, pricePerDay, effectiveAt],
  );
}

export const directoryOfferHandlers = { 'offer.changed': offerChanged } satisfies EventHandlers;
