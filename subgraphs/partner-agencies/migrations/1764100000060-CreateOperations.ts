import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Border points and border-security operations (docs/architecture.md, "Operations"). The rules a race could break
 * are the database's: codes are primary keys (two plans of one code: one wins, the other is CONFLICT), an operation
 * lists a border point or a participant once, a window ends after it starts and lasts at most 366 days, and a status
 * or kind outside the lists cannot be written. Which transitions are allowed is decided in code
 * (operations/operation-status.ts) under the operation's row lock.
 */
export class CreateOperations1764100000060 implements MigrationInterface {
  name = 'CreateOperations1764100000060';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE partners.border_points (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}[A-Z2-9]{3}(-[A-Z0-9]{1,8})?$'),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('AIRPORT', 'SEAPORT', 'LAND_CROSSING', 'OTHER')),
        country varchar(3) NOT NULL
      )`);
    await db.query(`CREATE INDEX border_points_country_kind ON partners.border_points (country, kind)`);
    await db.query(`
      CREATE TABLE partners.operations (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}(-[A-Z0-9]{1,12}){1,4}$'),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('STOP', 'INFRA', 'IMEST', 'ICEBREAKER', 'LIONFISH', 'HAWK', 'JOINT', 'OTHER')),
        purpose text NOT NULL,
        coordinator_id uuid NOT NULL REFERENCES partners.agencies (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('PLANNED', 'ACTIVE', 'CLOSED', 'CANCELLED')),
        granted_scopes text[] NOT NULL
          CHECK (cardinality(granted_scopes) > 0
            AND granted_scopes <@ ARRAY['sltd:check', 'sltd:summary', 'notices:screen', 'alerts:read']),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '366 days')
      )`);
    await db.query(`CREATE INDEX operations_coordinator ON partners.operations (coordinator_id)`);
    await db.query(`CREATE INDEX operations_starts_at ON partners.operations (starts_at DESC, code DESC)`);
    await db.query(`CREATE INDEX operations_active ON partners.operations (ends_at) WHERE status = 'ACTIVE'`);
    await db.query(`
      CREATE TABLE partners.operation_border_points (
        operation_code text NOT NULL REFERENCES partners.operations (code),
        border_point_code text NOT NULL REFERENCES partners.border_points (code),
        PRIMARY KEY (operation_code, border_point_code)
      )`);
    // border_points null: all of the operation's border points, as they are at any time.
    await db.query(`
      CREATE TABLE partners.operation_participants (
        operation_code text NOT NULL REFERENCES partners.operations (code),
        agency_id uuid NOT NULL REFERENCES partners.agencies (id),
        border_points text[] CHECK (border_points IS NULL OR cardinality(border_points) > 0),
        PRIMARY KEY (operation_code, agency_id)
      )`);
    await db.query(
      `CREATE INDEX operation_participants_agency ON partners.operation_participants (agency_id)`,
    );
    // A team device's client bound to one operation (docs/architecture.md, "Operation-bound API clients").
    await db.query(
      `ALTER TABLE partners.api_clients ADD COLUMN operation_code text REFERENCES partners.operations (code)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE partners.api_clients DROP COLUMN operation_code');
    await db.query('DROP TABLE partners.operation_participants');
    await db.query('DROP TABLE partners.operation_border_points');
    await db.query('DROP TABLE partners.operations');
    await db.query('DROP TABLE partners.border_points');
  }
}
