import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers, setting } from '@ap/config';
import { createLogger } from '@ap/logger';
import { CreateEventTables1700000000000, eventEntities } from '../src';

export const logger = createLogger('events-test');

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** Topics of this test file never meet anyone else's on the shared broker. */
export function useUniqueNamespace(): string {
  const namespace = uniqueName('events-test');
  process.env.KAFKA_NAMESPACE = namespace;
  return namespace;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: setting('PGADMIN_URL') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** A throwaway database with the event tables (via the real migration) and a table handlers write to. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `events_test_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(setting('PGADMIN_URL'));
  url.pathname = `/${name}`;
  const dataSource = new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: eventEntities,
    migrations: [CreateEventTables1700000000000],
    migrationsRun: true,
    poolSize: 5,
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE TABLE applied (event_id uuid NOT NULL, trace_id text, note text)`);
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** A KafkaJS admin for looking at the broker from outside the library. */
export async function kafkaAdmin(brokers = kafkaBrokers()): Promise<Admin> {
  const admin = new Kafka({ clientId: 'events-test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return admin;
}

/** Retries an assertion until it passes or time runs out; fails with the last assertion error. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
