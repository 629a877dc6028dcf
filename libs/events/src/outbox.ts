import { Column, Entity, EntityManager, Index, PrimaryColumn } from 'typeorm';
import { assertValidEvent } from './contracts';
import type { EventEnvelope } from './envelope';
import { OUTBOX_CHANNEL } from './relay';
import { topicFor } from './topics';

// Column types are spelled out: the services run under tsx/esbuild, which emits no decorator
// metadata for TypeORM to infer them from.

/** An event written in the same transaction as the change it reports, waiting for the relay. */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_unpublished', ['createdAt'], { where: 'published_at IS NULL' })
export class OutboxEvent {
  /** The envelope's id. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_outbox' })
  id: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  envelope: EventEnvelope;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}

/** One row per event a consumer has applied; its primary key is what makes redelivery harmless. */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn({ name: 'event_id', type: 'uuid', primaryKeyConstraintName: 'PK_processed_events' })
  eventId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_processed_events' })
  consumer: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}

export const eventEntities = [OutboxEvent, ProcessedEvent];

export class OutsideTransactionError extends Error {
  constructor() {
    super('recordEvent must be given the manager of a running transaction, so the change and its event commit together');
    this.name = 'OutsideTransactionError';
  }
}

/**
 * Writes the event to the outbox with the caller's transaction: the state change and its event
 * commit together or not at all. The relay publishes it afterwards.
 */
export async function recordEvent(manager: EntityManager, envelope: EventEnvelope): Promise<void> {
  assertValidEvent(envelope);
  if (!manager.queryRunner?.isTransactionActive) throw new OutsideTransactionError();
  // clock_timestamp(), not now(): now() is the same for every row of a transaction, and the
  // relay publishes in created_at order, so two events in one transaction would lose their order.
  await manager.query(
    `INSERT INTO outbox (id, topic, key, type, envelope, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, clock_timestamp())`,
    [envelope.id, topicFor(envelope.producer), envelope.key, envelope.type, JSON.stringify(envelope)],
  );
  await notifyRelay(manager);
}

/**
 * Wakes the relay (OutboxRelay LISTENs on the channel) when this transaction commits; a rolled-back
 * transaction sends nothing, and several in one transaction arrive as one.
 */
function notifyRelay(manager: EntityManager): Promise<unknown> {
  return manager.query(`NOTIFY ${OUTBOX_CHANNEL}`);
}

/**
 * recordEvent for many events in one statement (a bulk write's events, e.g. a MIS push of 1,000
 * pupils): each is validated, all are written with the caller's transaction, in the order given.
 */
export async function recordEvents(manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  envelopes.forEach(assertValidEvent);
  if (!manager.queryRunner?.isTransactionActive) throw new OutsideTransactionError();
  // One JSON array parameter: PostgreSQL parses it once (about twice as fast as text[] of
  // envelopes at a bulk push's 5,000 events, which pg would also escape element by element).
  await manager.query(
    `INSERT INTO outbox (id, topic, key, type, envelope, created_at)
     SELECT (e.envelope->>'id')::uuid, t.topic, e.envelope->>'key', e.envelope->>'type', e.envelope, clock_timestamp()
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(envelope, ord)
       JOIN unnest($2::text[]) WITH ORDINALITY AS t(topic, ord) USING (ord)
      ORDER BY e.ord`,
    [JSON.stringify(envelopes), envelopes.map((e) => topicFor(e.producer))],
  );
  await notifyRelay(manager);
}
