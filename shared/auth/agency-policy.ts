import type { AgencyKind } from './caller';
import { isKnownScope, KNOWN_SCOPES, type Scope } from './scopes';

/**
 * What each kind of agency may ever hold (docs/architecture.md, "What each kind of agency may hold"): a scope
 * outside its kind's column is refused when an agreement is granted, makes `createApiClient` refuse to hand the
 * agency a new client, and is left out of every token issued or accepted for it — so an agreement made before
 * the policy changed cannot carry it any more. Every scope has a decided cell for every kind (the type demands it)
 * with its reason; add a row when a scope is added to shared/auth/scopes.ts.
 */
interface PolicyCell {
  allowed: boolean;
  reason: string;
}

type KindColumn = Readonly<Record<AgencyKind, PolicyCell>>;

const yes = (reason: string): PolicyCell => ({ allowed: true, reason });
const no = (reason: string): PolicyCell => ({ allowed: false, reason });

const ALL_KINDS = (reason: string): KindColumn => ({
  NCB: yes(reason),
  NATIONAL_ENTITY: yes(reason),
  INTERNATIONAL_PARTNER: yes(reason),
  PRIVATE_PARTNER: yes(reason),
  GENERAL_SECRETARIAT: yes(reason),
});

const PRIVATE_CHECK_ONLY =
  'a private partner (an airline, a hotel chain) only asks whether a document is reported; it never reads police data';
const OWN_COUNTRY_RECORDS =
  'records belong to a country: its NCB and the national entities it authorised report and manage them';
const NO_COUNTRY = 'it has no country of its own whose records it could keep';
const LAW_ENFORCEMENT_ONLY =
  'personal data of criminal cases is shared with member countries’ law enforcement and the General Secretariat only';

export const AGENCY_SCOPE_POLICY: Readonly<Record<Scope, KindColumn>> = {
  'sltd:check': ALL_KINDS(
    'a border check answers HIT or NO_HIT only; any partner screening travellers needs it',
  ),
  'sltd:summary': {
    NCB: yes('a bureau acts on a hit: it needs the record’s status and owner'),
    NATIONAL_ENTITY: yes('border police act on a hit at the gate'),
    INTERNATIONAL_PARTNER: yes('border and migration bodies act on a hit (status, owner to contact)'),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it coordinates between the owner and the checker'),
  },
  'sltd:read': {
    NCB: yes('a bureau reads the holder and theft details of a document it intercepts'),
    NATIONAL_ENTITY: yes('an entity its NCB authorised may read them for the same purpose'),
    INTERNATIONAL_PARTNER: no(LAW_ENFORCEMENT_ONLY),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it administers the database and answers the owners’ questions about it'),
  },
  'sltd:write': {
    NCB: yes(OWN_COUNTRY_RECORDS),
    NATIONAL_ENTITY: yes(OWN_COUNTRY_RECORDS),
    INTERNATIONAL_PARTNER: no('it issues no travel documents, so it reports none'),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: no(NO_COUNTRY),
  },
  'hits:manage': {
    NCB: yes('hits on its own records: it confirms or rejects them'),
    NATIONAL_ENTITY: yes('hits on the records it reported'),
    INTERNATIONAL_PARTNER: no(
      'it owns no records, so no hits are its to decide; it sees its own checks’ hits anyway',
    ),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: no('a hit is decided by the record’s owner, not by the administrator'),
  },
  'notices:screen': {
    NCB: yes('screening travellers and suspects against notices'),
    NATIONAL_ENTITY: yes('border police screen travellers at the gate'),
    INTERNATIONAL_PARTNER: yes('border and migration bodies screen against notice identities only'),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it screens on members’ behalf (command and coordination centre)'),
  },
  'notices:read': {
    NCB: yes('notices are the members’ own cooperation channel'),
    NATIONAL_ENTITY: yes('its NCB may extend full notices to its law enforcement bodies'),
    INTERNATIONAL_PARTNER: no(LAW_ENFORCEMENT_ONLY),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it reviews every notice'),
  },
  'notices:read:yellow': {
    NCB: yes('missing persons: a narrower grant than notices:read'),
    NATIONAL_ENTITY: yes('missing persons: a narrower grant than notices:read'),
    INTERNATIONAL_PARTNER: yes(
      'migration and humanitarian bodies help find missing persons (YELLOW notices only)',
    ),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('a narrower grant than notices:read'),
  },
  'notices:write': {
    NCB: yes('a bureau requests notices for its own country’s cases'),
    NATIONAL_ENTITY: no('notices are requested through the NCB, which answers for them'),
    INTERNATIONAL_PARTNER: no('notices are requested by member countries’ NCBs'),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: no('it decides on notices; requesting them too would let it approve its own'),
  },
  'notices:publish': {
    NCB: no('publication is the General Secretariat’s review of a bureau’s request'),
    NATIONAL_ENTITY: no('publication is the General Secretariat’s review'),
    INTERNATIONAL_PARTNER: no('publication is the General Secretariat’s review'),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it reviews and publishes notices'),
  },
  'alerts:read': {
    NCB: yes('document alerts help detect forged documents'),
    NATIONAL_ENTITY: yes('border police examine documents at the gate'),
    INTERNATIONAL_PARTNER: yes('border and migration bodies examine documents'),
    PRIVATE_PARTNER: no('detection indicators must not reach forgers: they stay with public authorities'),
    GENERAL_SECRETARIAT: yes('it administers the alerts'),
  },
  'alerts:write': {
    NCB: yes('a bureau publishes alerts on its forensic experts’ findings'),
    NATIONAL_ENTITY: no('every bureau reads an alert: an entity’s findings are published through its NCB'),
    INTERNATIONAL_PARTNER: no(
      'every bureau reads an alert: only members and the General Secretariat answer for one',
    ),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it publishes alerts of general interest'),
  },
  'audit:read': {
    NCB: yes('the trail of its own records'),
    NATIONAL_ENTITY: yes('the trail of the records it reported'),
    INTERNATIONAL_PARTNER: no('it owns no records whose trail it could read'),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it oversees the whole trail'),
  },
  'agencies:admin': {
    NCB: no('the exchange is administered by the General Secretariat only'),
    NATIONAL_ENTITY: no('the exchange is administered by the General Secretariat only'),
    INTERNATIONAL_PARTNER: no('the exchange is administered by the General Secretariat only'),
    PRIVATE_PARTNER: no('the exchange is administered by the General Secretariat only'),
    GENERAL_SECRETARIAT: yes('it administers agencies, agreements and API clients'),
  },
  'operations:manage': {
    NCB: yes('a bureau coordinates border-security operations in its country'),
    NATIONAL_ENTITY: no('operations are coordinated by its NCB, which answers for them'),
    INTERNATIONAL_PARTNER: no(
      'it takes part in operations; member countries and the General Secretariat run them',
    ),
    PRIVATE_PARTNER: no(PRIVATE_CHECK_ONLY),
    GENERAL_SECRETARIAT: yes('it plans and coordinates operations with the member countries'),
  },
  'schema:read': ALL_KINDS(
    'the schema holds no data, and every signed-in client reads it anyway (GET /explorer/schema.graphql, public outside production)',
  ),
};

export function mayHold(kind: AgencyKind, scope: string): boolean {
  return isKnownScope(scope) && AGENCY_SCOPE_POLICY[scope][kind].allowed;
}

/** Why `kind` may not hold `scope` (for the error), or null when it may. */
export function refusalOf(kind: AgencyKind, scope: string): string | null {
  if (!isKnownScope(scope)) return `${scope} is not a known scope`;
  const cell = AGENCY_SCOPE_POLICY[scope][kind];
  return cell.allowed ? null : `${scope} may not be granted to an agency of kind ${kind}: ${cell.reason}`;
}

/** The scopes a kind may hold, in the scope list's order. */
export function scopesAllowedTo(kind: AgencyKind): Scope[] {
  return KNOWN_SCOPES.filter((scope) => AGENCY_SCOPE_POLICY[scope][kind].allowed);
}

/** `scopes` without those its kind may not hold (tokens issued or accepted for an agency of that kind). */
export function withinPolicy(kind: AgencyKind, scopes: Iterable<string>): string[] {
  return [...scopes].filter((scope) => mayHold(kind, scope));
}
