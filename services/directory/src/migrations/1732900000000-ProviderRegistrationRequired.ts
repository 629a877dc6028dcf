import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 10: whether a provider must register as an independent school, learnt from the placement service. */
export class ProviderRegistrationRequired1732900000000 implements MigrationInterface {
  name = 'ProviderRegistrationRequired1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provider
      ADD COLUMN registration_required boolean NOT NULL DEFAULT false,
      ADD COLUMN registration_required_reason text,
      ADD COLUMN registration_required_as_of timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provider DROP COLUMN registration_required, DROP COLUMN registration_required_reason, DROP COLUMN registration_required_as_of`);
  }
}
