import { Client, ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from '@ap/logger';
import type { BusMessage, EventBus } from './bus';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  bus: EventBus;
  logger: Logger;
  /** How often to look for events when nothing wakes the relay (default 200 ms; 1 s while LISTEN works). */
  intervalMs?: number;
  batchSize?: number;
  /** Wake on the outbox's NOTIFY (default true); the poll goes on either way. */
  listen?: boolean;
}

/** recordEvent(s) send this NOTIFY in the writing transaction; PostgreSQL delivers it on commit. */
export const OUTBOX_CHANNEL = 'outbox_written';
/** While LISTEN works the poll is only a fallback. */
const LISTENING_INTERVAL_MS = 1000;

/** The envelope as PostgreSQL's own text of the jsonb: parsing it into objects only to serialise it again was work for nothing (an attendance push's day summaries are ~500 kB). */
interface PendingRow {
  id: string;
  topic: string;
  key: string;
  envelope: string;
  trace_id: string | null;
  traceparent: string | null;
}

const MAX_BACKOFF_MS = 5000;
/** Arbitrary but fixed: the advisory lock key of "the outbox relay" in any service database. */
const OUTBOX_LOCK = 7_001_001;

/**
 * Publishes what the outbox holds. Rows are only marked published once Kafka has acknowledged
 * them, in the same transaction that locked them; if Kafka is down the transaction rolls back
 * and the rows simply wait. At-least-once: a crash between the broker's ack and our commit
 * publishes again, which the consumers' processed_events absorbs.
 */
export class OutboxRelay {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Batches of one relay run one after another, so a manual flushOnce cannot overtake the loop. */
  private previous: Promise<unknown> = Promise.resolve();
  private failures = 0;
  private lastError?: string;
  private busy = false;
  private wakeAgain = false;
  private listener?: Client;
  private listenRetry?: NodeJS.Timeout;
  private listenFailures = 0;
  private listening = false;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.intervalMs = opts.intervalMs ?? 200;
    this.batchSize = opts.batchSize ?? 100;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
    if (this.opts.listen !== false) void this.listen();
  }

  /** Stops polling and listening and waits for the batch in flight, so nothing is left half-done. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearTimeout(this.listenRetry);
    this.timer = undefined;
    const listener = this.listener;
    this.listener = undefined;
    this.listening = false;
    await listener?.end().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * A connection of its own that LISTENs for the outbox's NOTIFY, so an event goes out as soon as
   * its transaction commits instead of at the next poll. If it fails, the relay polls as before
   * and tries to listen again with back-off.
   */
  private async listen(): Promise<void> {
    if (!this.running || this.listener) return;
    const client = new Client(connectionConfig(this.opts.dataSource));
    const retry = (err: unknown) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listening = false;
      client.end().catch(() => undefined);
      this.listenFailures += 1;
      const delay = Math.min(1000 * 2 ** (this.listenFailures - 1), 30_000);
      this.opts.logger.warn({ err, retryInMs: delay }, 'outbox relay cannot LISTEN; polling meanwhile');
      if (this.running) this.listenRetry = setTimeout(() => void this.listen(), delay);
    };
    this.listener = client;
    client.on('error', retry);
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listenFailures = 0;
      this.listening = this.listener === client;
      if (this.listener !== client) await client.end().catch(() => undefined); // stopped meanwhile
      else this.wake(); // anything written before we listened
    } catch (err) {
      retry(err);
    }
  }

  /** Publishes at once; if a batch is under way, runs again as soon as it ends. */
  private wake(): void {
    if (!this.running) return;
    if (this.busy) {
      this.wakeAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Publishes one batch of pending events; returns how many. Never throws: failures wait for the next try. */
  async flushOnce(): Promise<number> {
    const batch = this.previous.then(() => this.publishBatch());
    this.previous = batch.catch(() => undefined);
    this.inFlight.add(batch);
    try {
      const published = await batch;
      this.failures = 0;
      this.lastError = undefined;
      return published;
    } catch (error) {
      this.failures += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
      return 0;
    } finally {
      this.inFlight.delete(batch);
    }
  }

  /** Whether commits wake the relay now (else it only polls). */
  isListening(): boolean {
    return this.listening;
  }

  /** For /readyz: whether the last attempt to publish failed (the events wait in the outbox meanwhile). */
  health(): { failing: boolean; failuresInARow: number; lastError?: string } {
    return { failing: this.failures > 0, failuresInARow: this.failures, lastError: this.lastError };
  }

  /** Events written but not yet published. */
  async pending(): Promise<number> {
    const [{ count }] = await this.opts.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL`);
    return count;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(async () => {
      this.busy = true;
      this.wakeAgain = false;
      const published = await this.flushOnce();
      this.busy = false;
      // A full batch means more may be waiting, and a wake-up during the batch may be for a row it missed: go again at once.
      const idle = this.listening && this.opts.intervalMs === undefined ? LISTENING_INTERVAL_MS : this.intervalMs;
      const next = this.failures > 0 ? this.backoffMs() : published === this.batchSize || this.wakeAgain ? 0 : idle;
      this.schedule(next);
    }, delayMs);
  }

  private backoffMs(): number {
    return Math.min(this.intervalMs * 2 ** this.failures, MAX_BACKOFF_MS);
  }

  private async publishBatch(): Promise<number> {
    const { dataSource, bus, logger } = this.opts;
    let rows: PendingRow[] = [];
    try {
      // Before the transaction: on a fresh broker this waits for leaders, which must not hold the rows' locks.
      // Only the next batch's rows (by the partial index): all pending rows would be a scan of the whole backlog per batch.
      const topics: { topic: string }[] = await dataSource.query(
        `SELECT DISTINCT topic FROM (SELECT topic FROM outbox WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1) AS next`,
        [this.batchSize],
      );
      if (topics.length === 0) return 0;
      await bus.ensureTopics(topics.map((t) => t.topic));
      return await dataSource.transaction(async (manager) => {
        // One publisher per database at a time (other replicas of the service skip their turn):
        // SKIP LOCKED alone would let a second relay publish a key's later events while the
        // first still holds its earlier ones.
        const [turn] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS mine`, [OUTBOX_LOCK]);
        if (!turn.mine) return 0;
        rows = await manager.query(
          `SELECT id, topic, key, envelope::text AS envelope, envelope->>'traceId' AS trace_id, envelope->>'traceparent' AS traceparent FROM outbox
           WHERE published_at IS NULL
           ORDER BY created_at, id
           LIMIT $1
           FOR UPDATE SKIP LOCKED`,
          [this.batchSize],
        );
        if (rows.length === 0) return 0;
        const byTopic = groupByTopic(rows);
        // Cached by the bus: a no-op unless a row for another topic arrived meanwhile.
        await bus.ensureTopics([...byTopic.keys()]);
        for (const [topic, messages] of byTopic) await bus.publish(topic, messages);
        await manager.query(
          `UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`,
          [rows.map((r) => r.id)],
        );
        return rows.length;
      });
    } catch (error) {
      logger.error(
        { err: error, pending: rows.length, failuresInARow: this.failures + 1 },
        'outbox relay could not publish; the events wait in the outbox',
      );
      await this.noteFailure(rows, error);
      throw error;
    }
  }

  /** In its own statement: the batch's transaction has rolled back, taking its updates with it. */
  private async noteFailure(rows: PendingRow[], error: unknown): Promise<void> {
    if (rows.length === 0) return;
    const message = error instanceof Error ? error.message : String(error);
    await this.opts.dataSource
      .query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r.id),
        message.slice(0, 2000),
      ])
      .catch((e: unknown) => this.opts.logger.error({ err: e }, 'outbox relay could not record the failure'));
  }
}

/** The relay's own connection, to the DataSource's database with its settings. */
function connectionConfig(dataSource: DataSource): ClientConfig {
  const o = dataSource.options as { url?: string; host?: string; port?: number; username?: string; password?: string; database?: string; applicationName?: string };
  const base: ClientConfig = o.url ? { connectionString: o.url } : { host: o.host, port: o.port, user: o.username, password: o.password, database: o.database };
  return { ...base, application_name: `${o.applicationName ?? 'service'} outbox relay` };
}

/** Keeps the outbox order within each topic, which is where ordering matters (per key). */
function groupByTopic(rows: PendingRow[]): Map<string, BusMessage[]> {
  const byTopic = new Map<string, BusMessage[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({ key: row.key, value: row.envelope, headers: traceHeader(row) });
    byTopic.set(row.topic, messages);
  }
  return byTopic;
}

function traceHeader(row: PendingRow): Record<string, string> | undefined {
  if (!row.trace_id) return undefined;
  return row.traceparent ? { 'x-trace-id': row.trace_id, traceparent: row.traceparent } : { 'x-trace-id': row.trace_id };
}
