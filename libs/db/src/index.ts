import { DataSource, EntityManager, EntitySchema, EntityTarget, FindOptionsWhere, MixedList, ObjectLiteral, QueryFailedError } from 'typeorm';
import { conflict, badUserInput } from '@ap/errors';
import { StatementCounter } from './statements';

export interface DatabaseOptions {
  url: string;
  /** Entity classes; columns must name their types (the services run without decorator metadata). */
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  /** Pool size; small by default because five services share one server. */
  poolSize?: number;
  applicationName?: string;
}

const counters = new WeakMap<DataSource, StatementCounter>();

/** The statements this DataSource has sent so far (see StatementCounter). */
export function statementsSent(dataSource: DataSource): { traced: number; background: number } {
  const counter = counters.get(dataSource);
  return { traced: counter?.traced ?? 0, background: counter?.background ?? 0 };
}

/** A TypeORM DataSource for one service's own database. Schema changes only through migrations. */
export function createDataSource(options: DatabaseOptions): DataSource {
  const counter = new StatementCounter();
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    logger: counter,
    applicationName: options.applicationName,
    extra: { max: options.poolSize ?? 5 },
  });
  counters.set(dataSource, counter);
  return dataSource;
}

/** Connects and brings the schema up to date; safe to call on every start. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (e) {
    await dataSource.destroy();
    throw e;
  }
  return dataSource;
}

/**
 * Runs work in one transaction: a state change and the events it records commit together or
 * not at all, so nothing half-written is ever left behind.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction('READ COMMITTED', work);
}

const PG_UNIQUE_VIOLATION = '23505';
const PG_INVALID_TEXT = '22P02';

/**
 * Turns the database errors a client can cause into public errors. `uniqueMessages` maps a
 * constraint name to the sentence a person should read; other database errors are rethrown
 * untouched (and masked at the service edge).
 */
/** The unique constraint or index a failed statement broke, or undefined for any other error. */
export function violatedUniqueConstraint(e: unknown): string | undefined {
  if (!(e instanceof QueryFailedError)) return undefined;
  const driverError = e.driverError as { code?: string; constraint?: string };
  return driverError.code === PG_UNIQUE_VIOLATION ? driverError.constraint ?? '' : undefined;
}

export function translateDatabaseError(e: unknown, uniqueMessages: Record<string, string> = {}): never {
  if (e instanceof QueryFailedError) {
    const driverError = e.driverError as { code?: string; constraint?: string };
    if (driverError.code === PG_UNIQUE_VIOLATION) {
      const message = driverError.constraint ? uniqueMessages[driverError.constraint] : undefined;
      throw conflict(message ?? 'This record already exists');
    }
    if (driverError.code === PG_INVALID_TEXT) throw badUserInput('An identifier or value has the wrong format');
  }
  throw e;
}

/** True when PostgreSQL answers; used by /readyz. */
export async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  try {
    await dataSource.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads a row by id and locks it until the transaction ends, so that two decisions on the same
 * record (accept, approve, start) cannot both win. An id that is not a uuid finds nothing.
 */
export function findForUpdate<T extends ObjectLiteral & { id: string }>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  id: string,
): Promise<T | null> {
  if (!isUuid(id)) return Promise.resolve(null);
  return tx.getRepository(entity).findOne({ where: { id } as FindOptionsWhere<T>, lock: { mode: 'pessimistic_write' } });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export { StatementCounter } from './statements';
export { findByIds, loaderById, loaderOfMany } from './loaders';
export {
  createOnce,
  CreateIdempotencyKeyTable1700000000001,
  IDEMPOTENCY_KEY_TTL_HOURS,
  purgeExpiredIdempotencyKeys,
  requestHash,
} from './idempotency';
export type { CreateRequest, CreateWork, IdempotencyCaller } from './idempotency';
export { CreatePupilAccessLogTable1733200000000, PupilReadLog } from './pupil-reads';
export type { PupilReader } from './pupil-reads';
