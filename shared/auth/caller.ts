/**
 * Who is calling: an API client of an agency, as its verified access token says. Built once per request from the
 * token (gateway and subgraphs alike) and never from anything else the client sends.
 */
export const AgencyKinds = [
  'NCB',
  'NATIONAL_ENTITY',
  'INTERNATIONAL_PARTNER',
  'PRIVATE_PARTNER',
  'GENERAL_SECRETARIAT',
] as const;
export type AgencyKind = (typeof AgencyKinds)[number];

import type { OperationGrant } from './operation-grants';

export interface Caller {
  clientId: string;
  agencyId: string;
  agencyKind: AgencyKind;
  /** ISO 3166-1 alpha-3 (or an ICAO code); null for international bodies without a country. */
  country: string | null;
  scopes: ReadonlySet<string>;
  /**
   * Temporary access from the ACTIVE operations the agency takes part in (token claim `ops`): scopes valid only for
   * checks made in an operation's context (shared/auth/operation-grants.ts). Never merged into `scopes`.
   */
  operations: readonly OperationGrant[];
  tokenId: string;
  /** The raw bearer token, forwarded by the gateway to the subgraphs, which verify it themselves. */
  token: string;
}

/** Scopes `[["a","b"],["c"]]` mean (a AND b) OR c, as in the federation `@requiresScopes` directive. */
export function satisfiesScopes(
  scopes: ReadonlySet<string>,
  alternatives: readonly (readonly string[])[],
): boolean {
  return alternatives.some((all) => all.every((scope) => scopes.has(scope)));
}
