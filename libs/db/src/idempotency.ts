import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import stringify from 'safe-stable-stringify';
import { conflict } from '@ap/errors';

/**
 * Idempotency keys for creating mutations: a client that retries after a timeout, with the same
 * `Idempotency-Key` header and the same input, gets the entity its first attempt created and
 * nothing is written twice. One table per service database (created by the shared migration
 * below, which every service runs), keyed by caller (organisation + user), operation and key.
 *
 * The key is claimed in the same transaction as the create: a concurrent request with the same
 * key waits on the unique index until the first commits (then replays its answer) or rolls back
 * (then creates itself). A create that fails stores nothing, so a retry is judged afresh.
 */

/** How long a key is remembered. A retry after a timeout comes within minutes; a day covers a client's overnight re-run. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

export class CreateIdempotencyKeyTable1700000000001 implements MigrationInterface {
  name = 'CreateIdempotencyKeyTable1700000000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        caller text NOT NULL,
        operation text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        entity_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (caller, operation, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
  }
}

/** Who is asking, structurally (a Principal from @ap/auth fits). */
export interface IdempotencyCaller {
  userId: string;
  org: { type: string; id: string };
}

export interface CreateRequest {
  /** The client's key; without one the create simply runs. */
  key: string | null | undefined;
  caller: IdempotencyCaller;
  /** The mutation's name, e.g. 'submitReferral'. */
  operation: string;
  /** The mutation's arguments as the client sent them. */
  input: unknown;
}

export interface CreateWork<T> {
  /** Creates the entity with this transaction only (no other connection: concurrent requests hold the rest of the pool). */
  create(tx: EntityManager): Promise<T>;
  idOf(entity: T): string;
  /** Loads what an earlier attempt created, for the replayed answer. */
  replay(id: string): Promise<T | null>;
}

/** The SHA-256 of the operation and its input as canonical JSON (keys sorted), so key order does not matter. */
export function requestHash(operation: string, input: unknown): string {
  return createHash('sha256').update(`${operation}\n${stringify(input ?? null)}`).digest('hex');
}

const callerOf = (c: IdempotencyCaller) => `${c.org.type}:${c.org.id}/${c.userId}`;

interface KeyRow {
  request_hash: string;
  entity_id: string;
}

/**
 * Runs `work.create` in one transaction, at most once per (caller, operation, key) while the key
 * lives: a repeat with the same input returns the same entity and writes nothing; a repeat with
 * other input is a CONFLICT.
 */
export async function createOnce<T>(db: DataSource, request: CreateRequest, work: CreateWork<T>): Promise<T> {
  if (!request.key) return db.transaction('READ COMMITTED', work.create);
  const { key, operation } = request;
  const caller = callerOf(request.caller);
  const hash = requestHash(operation, request.input);

  const answer = async (row: KeyRow): Promise<T> => {
    if (row.request_hash !== hash) {
      throw conflict(
        `The Idempotency-Key "${key}" was already used for a different ${operation} request: ` +
          'send a new key with a new request, or repeat the first request unchanged',
      );
    }
    const earlier = await work.replay(row.entity_id);
    if (!earlier) throw conflict(`What the Idempotency-Key "${key}" created is no longer there: send the request again with a new key`);
    return earlier;
  };

  // Most retries find their key already there; answer those without opening a transaction.
  const [seen] = (await db.query(
    `SELECT request_hash, entity_id FROM idempotency_keys WHERE caller = $1 AND operation = $2 AND key = $3 AND expires_at > now()`,
    [caller, operation, key],
  )) as KeyRow[];
  if (seen) return answer(seen);

  const outcome = await db.transaction('READ COMMITTED', async (tx) => {
    // Claims the key, or takes over an expired one; waits while another transaction holds it.
    const claimed: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (caller, operation, key, request_hash, entity_id, expires_at)
       VALUES ($1, $2, $3, $4, '', now() + make_interval(hours => $5))
       ON CONFLICT (caller, operation, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, entity_id = '', created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
       RETURNING key`,
      [caller, operation, key, hash, IDEMPOTENCY_KEY_TTL_HOURS],
    );
    if (claimed.length === 0) {
      const [row] = (await tx.query(
        `SELECT request_hash, entity_id FROM idempotency_keys WHERE caller = $1 AND operation = $2 AND key = $3`,
        [caller, operation, key],
      )) as KeyRow[];
      return { earlier: row };
    }
    const entity = await work.create(tx);
    await tx.query(`UPDATE idempotency_keys SET entity_id = $4 WHERE caller = $1 AND operation = $2 AND key = $3`, [
      caller,
      operation,
      key,
      work.idOf(entity),
    ]);
    return { entity };
  });
  // Replayed outside the transaction, so the replay's own reads never wait for a connection held here.
  return 'entity' in outcome ? (outcome.entity as T) : answer(outcome.earlier);
}

/** Forgets expired keys. Safe to run twice, or from two processes at once. Returns how many went. */
export async function purgeExpiredIdempotencyKeys(db: DataSource): Promise<number> {
  const [, affected] = (await db.query(`DELETE FROM idempotency_keys WHERE expires_at <= now()`)) as [unknown, number];
  return affected ?? 0;
}
