import type { Logger as TypeOrmLogger } from 'typeorm';
import { currentTraceId } from '@ap/logger';

/**
 * Counts the SQL statements a DataSource sends (TypeORM calls logQuery for every one, whatever
 * its logging setting), split by whether they ran inside a traced unit of work (a request or an
 * applied event) or in the background (the relay's polls, jobs). For /metrics: the bench reads
 * it to check that an `_entities` call costs one statement, not one per entity. Logs nothing.
 */
export class StatementCounter implements TypeOrmLogger {
  traced = 0;
  background = 0;

  logQuery(): void {
    if (currentTraceId()) this.traced += 1;
    else this.background += 1;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
