import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 8: schools and LAs, the provider profile and its approval history, offers and the places they hold. */
export class DirectoryProfileOffersSchools1732700000000 implements MigrationInterface {
  name = 'DirectoryProfileOffersSchools1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE local_authority (code char(3) PRIMARY KEY, name text NOT NULL)`);
    await q.query(`
      CREATE TABLE school (
        urn char(6) PRIMARY KEY,
        name text NOT NULL,
        phase text NOT NULL,
        la_code char(3) NOT NULL REFERENCES local_authority (code),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX school_la_idx ON school (la_code)`);
    await q.query(`ALTER TABLE provider
      ADD COLUMN address text,
      ADD COLUMN latitude double precision,
      ADD COLUMN longitude double precision,
      ADD COLUMN contacts jsonb NOT NULL DEFAULT '[]'::jsonb,
      ADD CONSTRAINT provider_location_check CHECK ((latitude IS NULL) = (longitude IS NULL))`);
    // The bounding box of a distance search is answered by this GiST index (built in, no extension).
    await q.query(`CREATE INDEX provider_location_idx ON provider USING gist (point(longitude, latitude)) WHERE latitude IS NOT NULL`);
    await q.query(`
      CREATE TABLE provider_status_change (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES provider (id),
        from_status text,
        to_status text NOT NULL,
        reason text,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX provider_status_change_provider_idx ON provider_status_change (provider_id, changed_at)`);
    await q.query(`
      CREATE TABLE offer (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES provider (id),
        name text NOT NULL,
        key_stages text[] NOT NULL,
        needs text[] NOT NULL,
        subjects text[] NOT NULL DEFAULT '{}',
        qualifications text[] NOT NULL DEFAULT '{}',
        vocational_areas text[] NOT NULL DEFAULT '{}',
        delivery_modes text[] NOT NULL,
        sessions_offered integer NOT NULL,
        price_per_day numeric(8,2) NOT NULL CHECK (price_per_day >= 0),
        capacity integer NOT NULL CHECK (capacity >= 0),
        places_in_use integer NOT NULL DEFAULT 0 CHECK (places_in_use >= 0),
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX offer_provider_idx ON offer (provider_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX offer_key_stages_idx ON offer USING gin (key_stages)`);
    await q.query(`CREATE INDEX offer_needs_idx ON offer USING gin (needs)`);
    // One row per placement that took a place: started, ended and cancelled events apply once each.
    await q.query(`
      CREATE TABLE offer_place (
        placement_id uuid PRIMARY KEY,
        offer_id uuid NOT NULL REFERENCES offer (id),
        released_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE offer_place`);
    await q.query(`DROP TABLE offer`);
    await q.query(`DROP TABLE provider_status_change`);
    await q.query(`ALTER TABLE provider DROP CONSTRAINT provider_location_check, DROP COLUMN address, DROP COLUMN latitude, DROP COLUMN longitude, DROP COLUMN contacts`);
    await q.query(`DROP TABLE school`);
    await q.query(`DROP TABLE local_authority`);
  }
}
