import type { DataSource, EntityManager } from 'typeorm';
import type { AgencyKind } from '../../shared/auth/caller';
import { decodeCursor, toConnection, type Connection } from '../../shared/schema/connection';
import { Agency } from './agency.entity';
import type { AgencyFilter } from './agency.input';
import { scopesInForce } from './agreement.entity';

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
