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

/** The restriction columns of the row aliased `alias` as RestrictedRecord's properties, for plain-row statements. */
export function restrictionColumnsAs(alias: string): string {
  return `${alias}.owner_agency_id AS "ownerAgencyId", ${alias}.allowed_countries AS "allowedCountries",
  ${alias}.excluded_countries AS "excludedCountries", ${alias}.allowed_agency_kinds AS "allowedAgencyKinds",
  ${alias}.excluded_agency_kinds AS "excludedAgencyKinds"`;
}

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/** The restriction predicate on the row aliased `alias`, with the caller's agency, country and kind as given. */
function restrictionPredicate(alias: string, agency: string, country: string, kind: string): string {
  return `(${alias}.owner_agency_id = ${agency} OR (
      (${alias}.allowed_countries IS NULL OR ${country} = ANY (${alias}.allowed_countries))
      AND NOT (${country} = ANY (${alias}.excluded_countries))
      AND (${alias}.allowed_agency_kinds IS NULL OR ${kind} = ANY (${alias}.allowed_agency_kinds))
      AND NOT (${kind} = ANY (${alias}.excluded_agency_kinds))))`;
}

/** The caller's agency, canonical country ('' without one) and kind, as the predicate compares them. */
function restrictionValues(caller: Caller): [string, string, string] {
  return [caller.agencyId, caller.country ? canonicalCountry(caller.country) : '', caller.agencyKind];
}

/**
 * A TypeORM query-builder condition that is true where `caller` may see the row aliased `alias`.
 * The owner always sees its records; the General Secretariat sees everything (it administers the exchange).
 */
export function visibleTo(alias: string, caller: Caller | null): SqlCondition {
  if (!caller) return { sql: 'false', params: {} };
  if (caller.agencyKind === 'GENERAL_SECRETARIAT') return { sql: 'true', params: {} };
  const [restrictAgency, restrictCountry, restrictKind] = restrictionValues(caller);
  return {
    sql: restrictionPredicate(alias, ':restrictAgency', ':restrictCountry', ':restrictKind'),
    params: { restrictAgency, restrictCountry, restrictKind },
  };
}

/** Which of the three forms of the predicate a caller gets: a constant statement is prepared once per form. */
export type VisibilityForm = 'none' | 'all' | 'restricted';

export interface PositionalCondition {
  form: VisibilityForm;
  /** The predicate with `$first`, `$first+1`, `$first+2` for the caller's agency, country and kind (restricted only). */
  sql: string;
  values: unknown[];
}

/**
 * `visibleTo` for a constant SQL text with positional parameters (a named prepared statement): the same predicate,
 * its parameters numbered from `first`. The text depends only on the form, never on the caller's values.
 */
export function visibleToPositional(
  alias: string,
  caller: Caller | null,
  first: number,
): PositionalCondition {
  if (!caller) return { form: 'none', sql: 'false', values: [] };
  if (caller.agencyKind === 'GENERAL_SECRETARIAT') return { form: 'all', sql: 'true', values: [] };
  return {
    form: 'restricted',
    sql: restrictionPredicate(alias, `$${first}::uuid`, `$${first + 1}::text`, `$${first + 2}::text`),
    values: restrictionValues(caller),
  };
}
