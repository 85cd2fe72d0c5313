import type pg from 'pg';
import type { AgencyKind, Caller } from '../../shared/auth/caller';

/**
 * Who an import acts for: an API client, as the token endpoint would see it (partners.api_clients →
 * partners.agencies, the scopes of the agency's agreements active now). The import then applies the rules the
 * mutations apply to that caller: the same write scope, the same agency kinds, the same own-country rule.
 */
export interface ImportOwner {
  clientId: string;
  agencyId: string;
  agencyName: string;
  agencyKind: AgencyKind;
  country: string | null;
  scopes: ReadonlySet<string>;
}

export class OwnerError extends Error {}

export async function resolveOwner(client: pg.ClientBase, clientId: string, now: Date): Promise<ImportOwner> {
  const { rows } = await client.query<{
    agency_id: string;
    name: string;
    kind: AgencyKind;
    country: string | null;
    disabled_at: Date | null;
    scopes: string[] | null;
  }>(
    `SELECT a.id AS agency_id, a.name, a.kind, a.country, c.disabled_at,
            (SELECT array_agg(DISTINCT s) FROM partners.agreements g, unnest(g.scopes) AS s
              WHERE g.agency_id = a.id AND g.revoked_at IS NULL AND g.valid_from <= $2
                AND (g.valid_until IS NULL OR g.valid_until > $2)) AS scopes
       FROM partners.api_clients c JOIN partners.agencies a ON a.id = c.agency_id
      WHERE c.client_id = $1`,
    [clientId, now],
  );
  const row = rows[0];
  if (!row) throw new OwnerError(`--owner ${clientId}: no such API client`);
  if (row.disabled_at) throw new OwnerError(`--owner ${clientId}: the client is disabled`);
  return {
    clientId,
    agencyId: row.agency_id,
    agencyName: row.name,
    agencyKind: row.kind,
    country: row.country,
    scopes: new Set(row.scopes ?? []),
  };
}

/** The owner as the audit trail records callers. */
export function ownerAsCaller(owner: ImportOwner): Caller {
  return {
    clientId: owner.clientId,
    agencyId: owner.agencyId,
    agencyKind: owner.agencyKind,
    country: owner.country,
    scopes: owner.scopes,
    operations: [],
    tokenId: '',
    token: '',
  };
}
