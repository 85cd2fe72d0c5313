import type { Caller } from './auth/caller';
import { canonicalCountry } from './countries';

/**
 * Record-level restrictions (docs/architecture.md, access model layer 3). The owner of a notice, SLTD record or alert may
 * limit it to some countries or agency kinds, or keep it away from some. Every table that holds such records has
 * the same columns, and every query path (lists, counts, `_entities`, checks, screening) adds this predicate in
 * SQL, so an excluded caller cannot even count the record.
 *
 *   owner_agency_id uuid, allowed_countries text[] NULL, excluded_countries text[] NOT NULL DEFAULT '{}',
 *   allowed_agency_kinds text[] NULL, excluded_agency_kinds text[] NOT NULL DEFAULT '{}'
 */
export const RESTRICTION_COLUMNS_SQL = `
  allowed_countries text[],
  excluded_countries text[] NOT NULL DEFAULT '{}',
  allowed_agency_kinds text[],
  excluded_agency_kinds text[] NOT NULL DEFAULT '{}'`;

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * A TypeORM query-builder condition that is true where `caller` may see the row aliased `alias`.
 * The owner always sees its records; the General Secretariat sees everything (it administers the exchange).
 */
export function visibleTo(alias: string, caller: Caller | null): SqlCondition {
  if (!caller) return { sql: 'false', params: {} };
  if (caller.agencyKind === 'GENERAL_SECRETARIAT') return { sql: 'true', params: {} };
  return {
    sql: `(${alias}.owner_agency_id = :restrictAgency OR (
      (${alias}.allowed_countries IS NULL OR :restrictCountry = ANY (${alias}.allowed_countries))
      AND NOT (:restrictCountry = ANY (${alias}.excluded_countries))
      AND (${alias}.allowed_agency_kinds IS NULL OR :restrictKind = ANY (${alias}.allowed_agency_kinds))
      AND NOT (:restrictKind = ANY (${alias}.excluded_agency_kinds))))`,
    params: {
      restrictAgency: caller.agencyId,
      restrictCountry: caller.country ? canonicalCountry(caller.country) : '',
      restrictKind: caller.agencyKind,
    },
  };
}
