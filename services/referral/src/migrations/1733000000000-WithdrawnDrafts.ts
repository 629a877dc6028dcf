import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A draft may be withdrawn (WITHDRAWN from any open state): a withdrawn draft was never sent, so,
 * like a draft, it need not carry consent, a submission time, a reason or a direct provider.
 * The constraints of 1732700000000 refused it (a 500).
 */
export class WithdrawnDrafts1733000000000 implements MigrationInterface {
  name = 'WithdrawnDrafts1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_consent_required, DROP CONSTRAINT referral_direct_has_provider`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_consent_required
      CHECK (status = 'DRAFT' OR (status = 'WITHDRAWN' AND submitted_at IS NULL) OR (parental_consent AND submitted_at IS NOT NULL AND reason IS NOT NULL))`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_direct_has_provider
      CHECK (route <> 'DIRECT' OR status = 'DRAFT' OR (status = 'WITHDRAWN' AND submitted_at IS NULL) OR provider_id IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM referral WHERE status = 'WITHDRAWN' AND submitted_at IS NULL`);
    await q.query(`ALTER TABLE referral DROP CONSTRAINT referral_consent_required, DROP CONSTRAINT referral_direct_has_provider`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_consent_required CHECK (status = 'DRAFT' OR (parental_consent AND submitted_at IS NOT NULL AND reason IS NOT NULL))`);
    await q.query(`ALTER TABLE referral ADD CONSTRAINT referral_direct_has_provider CHECK (route <> 'DIRECT' OR status = 'DRAFT' OR provider_id IS NOT NULL)`);
  }
}
