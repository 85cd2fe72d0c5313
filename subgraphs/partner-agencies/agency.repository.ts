import type { DataSource, EntityManager } from 'typeorm';
import type { AgencyKind } from '../../shared/auth/caller';
import { queryPrepared, type PreparedStatement } from '../../shared/prepared-statement';
import { decodeCursor, toConnection, type Connection } from '../../shared/schema/connection';
import { Agency } from './agency.entity';
import type { AgencyFilter } from './agency.input';
import { scopesInForce } from './agreement.entity';

/**
 * Agencies by id, for the per-request loader (every `Agency` reference a LinkedRecords page or a check resolves):
 * a constant text prepared once per connection, rows mapped to `Agency` by hand, where TypeORM's `findBy` built
 * and hydrated the same SELECT on every call (1.9–2.4% of the hub's samples in LinkedRecords, bench/README.md
 * "Where the time goes"). Every column of the entity, named as TypeORM names its properties;
 * `agency.repository.db.spec.ts` holds the rows equal to TypeORM's entities.
 */
const AGENCIES_BY_ID: PreparedStatement = {
  name: 'partners_agencies_by_id',
  text:
    'SELECT id, code, name, kind, country, authorised_by AS "authorisedById", webhook_url AS "webhookUrl", ' +
    'webhook_secret AS "webhookSecret", created_at AS "createdAt" FROM partners.agencies WHERE id = ANY($1::uuid[])',
};

export async function findAgenciesByIds(db: DataSource, ids: readonly string[]): Promise<Agency[]> {
  const rows = await queryPrepared<Agency>(db, AGENCIES_BY_ID, [ids]);
  return rows.map((row) => Object.assign(new Agency(), row));
}

/** The SQL of agency lists, in one place. Ordered by code, which is unique and stable. */
export async function listAgencies(
  db: DataSource,
  filter: AgencyFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<Agency>> {
  const query = db.getRepository(Agency).createQueryBuilder('a');
  if (filter?.kind) query.andWhere('a.kind = :kind', { kind: filter.kind });
  if (filter?.country) query.andWhere('a.country = :country', { country: filter.country.toUpperCase() });
  const cursor = decodeCursor(after, 'code');
  const totalCount = await query.getCount();
  if (cursor) query.andWhere('a.code > :code', { code: cursor.sort });
  const rows = await query
    .orderBy('a.code', 'ASC')
    .limit(first + 1)
    .getMany();
  return toConnection(
    rows,
    first,
    totalCount,
    (a) => ({ sort: a.code, id: a.id }),
    (a) => a,
  );
}

/** An API client's agency and the scopes it holds now, for a caller outside any request (the bulk import). */
export interface ClientAgency {
  agencyId: string;
  agencyName: string;
  agencyKind: AgencyKind;
  country: string | null;
  disabled: boolean;
  scopes: Set<string>;
}

/**
 * The agency of API client `clientId` and its scopes at `now`, as the token endpoint grants them (scopesInForce:
 * its agreements in force, less what its kind may not hold), in one statement; null when there is no such client.
 */
export async function findClientAgency(
  db: Pick<EntityManager, 'query'>,
  clientId: string,
  now: Date,
): Promise<ClientAgency | null> {
  const rows = (await db.query(
    `SELECT a.id AS agency_id, a.name, a.kind, a.country, c.disabled_at IS NOT NULL AS disabled,
            coalesce((SELECT jsonb_agg(jsonb_build_object('scopes', g.scopes, 'validFrom', g.valid_from,
                                                          'validUntil', g.valid_until, 'revokedAt', g.revoked_at))
                        FROM partners.agreements g WHERE g.agency_id = a.id), '[]') AS agreements
       FROM partners.api_clients c JOIN partners.agencies a ON a.id = c.agency_id
      WHERE c.client_id = $1`,
    [clientId],
  )) as {
    agency_id: string;
    name: string;
    kind: AgencyKind;
    country: string | null;
    disabled: boolean;
    agreements: {
      scopes: string[];
      validFrom: string;
      validUntil: string | null;
      revokedAt: string | null;
    }[];
  }[];
  const row = rows[0];
  if (!row) return null;
  const date = (value: string | null) => (value === null ? null : new Date(value));
  const agreements = row.agreements.map((g) => ({
    scopes: g.scopes,
    validFrom: new Date(g.validFrom),
    validUntil: date(g.validUntil),
    revokedAt: date(g.revokedAt),
  }));
  return {
    agencyId: row.agency_id,
    agencyName: row.name,
    agencyKind: row.kind,
    country: row.country,
    disabled: row.disabled,
    scopes: scopesInForce(row.kind, agreements, now),
  };
}
