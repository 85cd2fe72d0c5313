/**
 * Every scope an agreement may grant, with what it grants (docs/architecture.md, access model). Agreements are checked against
 * this list when granted, so a typo cannot become a scope nobody enforces. Add a scope here when a field starts
 * requiring it.
 */
export const SCOPES = {
  'sltd:check': 'checkDocuments; the verdict (HIT / NO_HIT / INVALID_INPUT)',
  'sltd:summary': 'SLTD record status, document type, number, issuing country, owner',
  'sltd:read': 'all SLTD record fields (holder, theft details, national reference, dates); search',
  'sltd:write': 'report, update, withdraw records of one’s own country',
  'hits:manage': 'hits on one’s own records; confirm or reject them',
  'notices:screen': 'screenPerson; type, control number and subject identity of matches',
  'notices:read': 'full notices (charges, warrants, marks, documents)',
  'notices:read:yellow': 'YELLOW notices only (missing persons), in full',
  'notices:write': 'request, update, cancel notices of one’s own country',
  'notices:publish': 'publish or refuse requested notices (General Secretariat)',
  'alerts:read': 'document alerts with their indicators',
  'alerts:write': 'publish and withdraw alerts',
  'audit:read': 'the audit trail of one’s own records (General Secretariat: all)',
  'agencies:admin': 'agencies, agreements, API clients',
  'operations:manage':
    'plan, change, activate, close and cancel border-security operations (General Secretariat: any; a bureau: those it coordinates)',
  'schema:read': 'introspection (developers exploring the schema)',
} as const satisfies Record<string, string>;

export type Scope = keyof typeof SCOPES;

export const KNOWN_SCOPES: readonly Scope[] = Object.keys(SCOPES) as Scope[];

export function isKnownScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}
