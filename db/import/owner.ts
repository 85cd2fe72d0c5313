import type pg from 'pg';
import type { AgencyKind, Caller } from '../../shared/auth/caller';
import { findClientAgency } from '../../subgraphs/partner-agencies/agency.repository';
import { repositoryConnection } from './kind';

/**
 * Who an import acts for: an API client, as the token endpoint would see it (its agency, and the scopes of the
 * agency's agreements in force now as the token endpoint grants them: findClientAgency in
 * subgraphs/partner-agencies/agency.repository.ts). The import then applies the rules the mutations apply to that
 * caller: the same write scope, the same agency kinds, the same own-country rule.
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
  const found = await findClientAgency(repositoryConnection(client), clientId, now);
  if (!found) throw new OwnerError(`--owner ${clientId}: no such API client`);
  if (found.disabled) throw new OwnerError(`--owner ${clientId}: the client is disabled`);
  const { agencyId, agencyName, agencyKind, country, scopes } = found;
  return { clientId, agencyId, agencyName, agencyKind, country, scopes };
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
