import type { Scope } from '../../shared/auth/scopes';
import { NCB_COUNTRIES } from './ncb-countries';
import type { Random } from './random';
import type { AgencyKind, AgencyRow, AgreementRow, ApiClientRow } from './tables';

/** Everything an NCB's agreement grants (docs/architecture.md, demo clients: "every NCB scope"). */
const NCB_SCOPES: readonly Scope[] = [
  'sltd:check',
  'sltd:summary',
  'sltd:read',
  'sltd:write',
  'hits:manage',
  'notices:screen',
  'notices:read',
  'notices:write',
  'alerts:read',
  'alerts:write',
  'audit:read',
  'operations:manage',
  'schema:read',
];

export interface DemoClient {
  clientId: string;
  agencyCode: string;
  scopes: readonly Scope[];
}

/** docs/architecture.md's demo client table. Their secret is `demo-` + client id; they exist outside production only. */
export const DEMO_CLIENTS: readonly DemoClient[] = [
  { clientId: 'ncb-fra', agencyCode: 'NCB-FRA', scopes: NCB_SCOPES },
  { clientId: 'ncb-usa', agencyCode: 'NCB-USA', scopes: NCB_SCOPES },
  { clientId: 'ncb-uto', agencyCode: 'NCB-UTO', scopes: NCB_SCOPES },
  {
    clientId: 'bp-fra',
    agencyCode: 'BP-FRA',
    scopes: ['sltd:check', 'sltd:summary', 'notices:screen', 'alerts:read'],
  },
  { clientId: 'iom', agencyCode: 'IOM', scopes: ['sltd:check', 'notices:read:yellow', 'alerts:read'] },
  {
    clientId: 'frontex',
    agencyCode: 'FRONTEX',
    scopes: ['sltd:check', 'sltd:summary', 'notices:screen', 'alerts:read'],
  },
  { clientId: 'airline-demo', agencyCode: 'AIRLINE-NLD', scopes: ['sltd:check'] },
  {
    clientId: 'gs-admin',
    agencyCode: 'GS',
    scopes: ['agencies:admin', 'notices:publish', 'audit:read', 'operations:manage', 'schema:read'],
  },
  { clientId: 'explorer', agencyCode: 'SANDBOX', scopes: ['schema:read'] },
];

export const demoSecret = (clientId: string): string => `demo-${clientId}`;

/** Agreements run from the start of the demo's history, open-ended. */
const AGREEMENTS_VALID_FROM = '2025-01-01T00:00:00.000Z';

export interface PartnerData {
  agencies: AgencyRow[];
  agreements: AgreementRow[];
  /** Without secrets: hashing them is the slow part, done apart and in parallel. */
  clients: Omit<ApiClientRow, 'secretHash'>[];
}

interface AgencySpec {
  code: string;
  name: string;
  kind: AgencyKind;
  country: string | null;
  authorisedByCode?: string;
}

function agencySpecs(): AgencySpec[] {
  const ncbs = NCB_COUNTRIES.map<AgencySpec>((country) => ({
    code: `NCB-${country.code}`,
    name: country.code === 'UTO' ? 'NCB of Utopia' : `NCB ${country.ncbCity}`,
    kind: 'NCB',
    country: country.code,
  }));
  return [
    { code: 'GS', name: 'General Secretariat', kind: 'GENERAL_SECRETARIAT', country: null },
    ...ncbs,
    {
      code: 'BP-FRA',
      name: 'Police aux frontières (French border police)',
      kind: 'NATIONAL_ENTITY',
      country: 'FRA',
      authorisedByCode: 'NCB-FRA',
    },
    {
      code: 'IOM',
      name: 'International Organization for Migration',
      kind: 'INTERNATIONAL_PARTNER',
      country: null,
    },
    {
      code: 'FRONTEX',
      name: 'Frontex, European Border and Coast Guard Agency',
      kind: 'INTERNATIONAL_PARTNER',
      country: null,
    },
    { code: 'AIRLINE-NLD', name: 'Tulip Air (demo airline)', kind: 'PRIVATE_PARTNER', country: 'NLD' },
    { code: 'SANDBOX', name: 'Developer sandbox', kind: 'PRIVATE_PARTNER', country: null },
  ];
}

/**
 * Agencies for every demo country and partner, with their agreements and demo API clients. In production only
 * the agencies are seeded: agreements there are granted by people, and demo clients with known secrets must
 * not exist.
 */
export function buildPartners(random: Random, production: boolean): PartnerData {
  const agencies: AgencyRow[] = [];
  const byCode = new Map<string, AgencyRow>();
  for (const spec of agencySpecs()) {
    const authorisedBy = spec.authorisedByCode ? (byCode.get(spec.authorisedByCode)?.id ?? null) : null;
    const row: AgencyRow = {
      id: random.uuid(),
      code: spec.code,
      name: spec.name,
      kind: spec.kind,
      country: spec.country,
      authorisedBy,
      createdAt: AGREEMENTS_VALID_FROM,
    };
    agencies.push(row);
    byCode.set(row.code, row);
  }
  if (production) return { agencies, agreements: [], clients: [] };
  const scopesOf = new Map<string, readonly string[]>(
    DEMO_CLIENTS.map((client) => [client.agencyCode, client.scopes]),
  );
  const agreements = agencies.map<AgreementRow>((agency) => ({
    id: random.uuid(),
    agencyId: agency.id,
    scopes: scopesOf.get(agency.code) ?? NCB_SCOPES,
    validFrom: AGREEMENTS_VALID_FROM,
    createdAt: AGREEMENTS_VALID_FROM,
  }));
  const clients = DEMO_CLIENTS.map((client) => {
    const agency = byCode.get(client.agencyCode);
    if (!agency) throw new Error(`Demo client ${client.clientId}: no agency ${client.agencyCode}`);
    return {
      clientId: client.clientId,
      agencyId: agency.id,
      description: `Demo client of ${agency.name}`,
      createdAt: AGREEMENTS_VALID_FROM,
    };
  });
  return { agencies, agreements, clients };
}
