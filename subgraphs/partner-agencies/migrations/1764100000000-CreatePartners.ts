import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePartners1764100000000 implements MigrationInterface {
  name = 'CreatePartners1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE partners.agencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('NCB', 'NATIONAL_ENTITY', 'INTERNATIONAL_PARTNER', 'PRIVATE_PARTNER', 'GENERAL_SECRETARIAT')),
        country varchar(3),
        authorised_by uuid REFERENCES partners.agencies (id),
        webhook_url text,
        webhook_secret text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX agencies_kind_country ON partners.agencies (kind, country)`);
    await db.query(`
      CREATE TABLE partners.agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES partners.agencies (id),
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        valid_from timestamptz NOT NULL DEFAULT now(),
        valid_until timestamptz,
        revoked_at timestamptz,
        revocation_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_until IS NULL OR valid_until > valid_from)
      )`);
    await db.query(`CREATE INDEX agreements_agency ON partners.agreements (agency_id)`);
    await db.query(`
      CREATE TABLE partners.api_clients (
        client_id text PRIMARY KEY CHECK (client_id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        agency_id uuid NOT NULL REFERENCES partners.agencies (id),
        secret_hash text NOT NULL,
        description text,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX api_clients_agency ON partners.api_clients (agency_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE partners.api_clients');
    await db.query('DROP TABLE partners.agreements');
    await db.query('DROP TABLE partners.agencies');
  }
}
