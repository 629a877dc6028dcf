import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox and processed_events tables; every service lists this in its own migrations. */
export class CreateEventTables1700000000000 implements MigrationInterface {
  name = 'CreateEventTables1700000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "outbox" (
        "id" uuid NOT NULL,
        "topic" text NOT NULL,
        "key" text NOT NULL,
        "type" text NOT NULL,
        "envelope" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz,
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        CONSTRAINT "PK_outbox" PRIMARY KEY ("id")
      )`);
    // Partial: the relay only ever looks for what is still unpublished.
    await db.query(`CREATE INDEX "IDX_outbox_unpublished" ON "outbox" ("created_at") WHERE published_at IS NULL`);
    await db.query(`
      CREATE TABLE "processed_events" (
        "event_id" uuid NOT NULL,
        "consumer" text NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_processed_events" PRIMARY KEY ("event_id", "consumer")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "processed_events"`);
    await db.query(`DROP INDEX "IDX_outbox_unpublished"`);
    await db.query(`DROP TABLE "outbox"`);
  }
}
