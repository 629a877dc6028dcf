import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who read placement rows (outcomeRows, the CSV export), when, with what filter, how many, pseudonymised or not. */
export class CreateRowsReadLog1733000000002 implements MigrationInterface {
  name = 'CreateRowsReadLog1733000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outcome_rows_read (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id text NOT NULL,
        role text NOT NULL,
        organisation text NOT NULL,
        operation text NOT NULL,
        filter jsonb NOT NULL,
        rows integer NOT NULL,
        pseudonymised boolean NOT NULL,
        trace_id text NOT NULL,
        read_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outcome_rows_read`);
  }
}
