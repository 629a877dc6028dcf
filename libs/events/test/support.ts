import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '@ap/config';
import { openDatabase } from '@ap/db';
import { createTestDatabase as createServiceDatabase, eventually } from '@ap/testing';
import { createLogger } from '@ap/logger';
import { CreateEventTables1700000000000, eventEntities } from '../src';

export const logger = createLogger('events-test');

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

export interface TestDatabase {
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** A throwaway database with the event tables (via the real migration) and a table handlers write to. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createServiceDatabase('outcomes');
  const dataSource = await openDatabase({ url: db.url, entities: eventEntities, migrations: [CreateEventTables1700000000000] });
  await dataSource.query(`CREATE TABLE applied (event_id uuid NOT NULL, trace_id text, note text)`);
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** A KafkaJS admin for looking at the broker from outside the library. */
export async function kafkaAdmin(brokers = kafkaBrokers()): Promise<Admin> {
  const admin = new Kafka({ clientId: 'events-test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return admin;
}

export { eventually };
