import { column as col, type TableSpec } from './bulk-insert';
import { addDays } from './dates';
import type { AgencyRow } from './tables';

/**
 * Border points and the demo's border-security operations (docs/architecture.md, "Operations"). Border points are
 * reference data, seeded in production too; the operations are demo data, seeded outside production only.
 */
export interface BorderPointRow {
  code: string;
  name: string;
  kind: 'AIRPORT' | 'SEAPORT' | 'LAND_CROSSING' | 'OTHER';
  country: string;
}

const airport = (code: string, name: string, country: string): BorderPointRow => ({
  code,
  name,
  kind: 'AIRPORT',
  country,
});
const seaport = (code: string, name: string, country: string): BorderPointRow => ({
  code,
  name,
  kind: 'SEAPORT',
  country,
});
const land = (code: string, name: string, country: string): BorderPointRow => ({
  code,
  name,
  kind: 'LAND_CROSSING',
  country,
});

/** Real places, with their UN/LOCODE; terminal or lane suffixes where an operation works at one terminal. */
export const BORDER_POINTS: readonly BorderPointRow[] = [
  airport('FRCDG-T1', 'Paris Charles de Gaulle, terminal 1', 'FRA'),
  airport('FRCDG-T2', 'Paris Charles de Gaulle, terminal 2', 'FRA'),
  airport('FRORY', 'Paris Orly', 'FRA'),
  airport('FRNCE', 'Nice Côte d’Azur', 'FRA'),
  airport('FRLYS', 'Lyon Saint-Exupéry', 'FRA'),
  seaport('FRMRS', 'Port of Marseille Fos', 'FRA'),
  seaport('FRCQF', 'Port of Calais', 'FRA'),
  land('FRMTN-A8', 'Menton, A8 motorway crossing to Italy', 'FRA'),
  airport('USJFK-T4', 'New York John F. Kennedy, terminal 4', 'USA'),
  airport('USLAX', 'Los Angeles International', 'USA'),
  airport('USMIA', 'Miami International', 'USA'),
  seaport('USLGB', 'Port of Long Beach', 'USA'),
  land('USSYS', 'San Ysidro port of entry', 'USA'),
  airport('ESMAD', 'Madrid-Barajas Adolfo Suárez', 'ESP'),
  seaport('ESALG', 'Port of Algeciras', 'ESP'),
  airport('ITFCO', 'Rome Fiumicino', 'ITA'),
  seaport('ITGOA', 'Port of Genoa', 'ITA'),
  land('PLDOR', 'Dorohusk crossing to Ukraine', 'POL'),
  airport('PLWAW', 'Warsaw Chopin', 'POL'),
  airport('TRIST', 'Istanbul Airport', 'TUR'),
  land('TRKPK', 'Kapıkule crossing to Bulgaria', 'TUR'),
  airport('SEARN', 'Stockholm Arlanda', 'SWE'),
  seaport('MATNG', 'Tanger Med', 'MAR'),
  airport('MACMN', 'Casablanca Mohammed V', 'MAR'),
  airport('EGCAI', 'Cairo International', 'EGY'),
  airport('NGLOS', 'Lagos Murtala Muhammed', 'NGA'),
  airport('KENBO', 'Nairobi Jomo Kenyatta', 'KEN'),
  land('KENAM', 'Namanga crossing to Tanzania', 'KEN'),
  airport('JPNRT', 'Tokyo Narita', 'JPN'),
  seaport('UAODS', 'Port of Odesa', 'UKR'),
  airport('AREZE', 'Buenos Aires Ezeiza', 'ARG'),
  airport('AEDXB', 'Dubai International', 'ARE'),
  airport('IDCGK', 'Jakarta Soekarno-Hatta', 'IDN'),
  airport('PHMNL', 'Manila Ninoy Aquino', 'PHL'),
  airport('THBKK', 'Bangkok Suvarnabhumi', 'THA'),
  seaport('GRPIR', 'Port of Piraeus', 'GRC'),
  airport('PTLIS', 'Lisbon Humberto Delgado', 'PRT'),
];

export interface OperationRow {
  code: string;
  name: string;
  kind: string;
  purpose: string;
  coordinatorId: string;
  startsAt: string;
  endsAt: string;
  status: 'PLANNED' | 'ACTIVE' | 'CLOSED' | 'CANCELLED';
  grantedScopes: readonly string[];
  borderPoints: readonly string[];
  /** Agency id → its border points (null: all of the operation's). */
  participants: readonly { agencyId: string; borderPoints: readonly string[] | null }[];
  createdAt: string;
}

/** The codes the plan fixes: travel-documents and notices seed checks and hits in them. */
export const DEMO_OPERATIONS = {
  active: 'STOP-2026-CDG',
  closed: 'LIONFISH-2026-MRS',
  planned: 'IMEST-2027-LAX',
} as const;

/**
 * `seededAt` is the moment the seed runs: the ACTIVE operation's window is around it (7 days before, 60 after), so
 * the demo has a running operation whatever the date. The others are fixed: the closed one ended before DEMO_NOW
 * (db/seed/dates.ts), where the other subgraphs' demo results are dated.
 */
export function demoOperations(agencies: readonly AgencyRow[], seededAt: Date): OperationRow[] {
  const id = (code: string): string => {
    const agency = agencies.find((a) => a.code === code);
    if (!agency) throw new Error(`No agency ${code}`);
    return agency.id;
  };
  return [
    {
      code: DEMO_OPERATIONS.active,
      name: 'STOP 2026 — Paris Charles de Gaulle',
      kind: 'STOP',
      purpose:
        'Detect people smuggling networks on flights arriving at Paris Charles de Gaulle terminals 1 and 2.',
      coordinatorId: id('NCB-FRA'),
      startsAt: addDays(seededAt, -7).toISOString(),
      endsAt: addDays(seededAt, 60).toISOString(),
      status: 'ACTIVE',
      grantedScopes: ['notices:screen', 'sltd:check'],
      borderPoints: ['FRCDG-T1', 'FRCDG-T2'],
      participants: [
        { agencyId: id('FRONTEX'), borderPoints: ['FRCDG-T1', 'FRCDG-T2'] },
        { agencyId: id('BP-FRA'), borderPoints: ['FRCDG-T1', 'FRCDG-T2'] },
      ],
      createdAt: addDays(seededAt, -14).toISOString(),
    },
    {
      code: DEMO_OPERATIONS.closed,
      name: 'LIONFISH 2026 — Marseille',
      kind: 'LIONFISH',
      purpose:
        'Checks of ferry and cargo crews and passengers at the port of Marseille against drug trafficking.',
      coordinatorId: id('NCB-FRA'),
      startsAt: '2026-09-01T06:00:00.000Z',
      endsAt: '2026-09-15T18:00:00.000Z',
      status: 'CLOSED',
      grantedScopes: ['notices:screen', 'sltd:check'],
      borderPoints: ['FRMRS'],
      participants: [{ agencyId: id('FRONTEX'), borderPoints: null }],
      createdAt: '2026-08-15T09:00:00.000Z',
    },
    {
      code: DEMO_OPERATIONS.planned,
      name: 'IMEST 2027 — Los Angeles',
      kind: 'IMEST',
      purpose: 'A Major Event Support Team at Los Angeles International for an international sports event.',
      coordinatorId: id('GS'),
      startsAt: '2027-06-01T00:00:00.000Z',
      endsAt: '2027-07-31T00:00:00.000Z',
      status: 'PLANNED',
      grantedScopes: ['alerts:read', 'notices:screen', 'sltd:check'],
      borderPoints: ['USLAX'],
      participants: [{ agencyId: id('NCB-USA'), borderPoints: null }],
      createdAt: '2026-10-20T09:00:00.000Z',
    },
  ];
}

export const BORDER_POINTS_TABLE: TableSpec<BorderPointRow> = {
  table: 'partners.border_points',
  columns: [
    col('code', 'text', (r) => r.code),
    col('name', 'text', (r) => r.name),
    col('kind', 'text', (r) => r.kind),
    col('country', 'text', (r) => r.country),
  ],
};

export const OPERATIONS_TABLE: TableSpec<OperationRow> = {
  table: 'partners.operations',
  columns: [
    col('code', 'text', (r) => r.code),
    col('name', 'text', (r) => r.name),
    col('kind', 'text', (r) => r.kind),
    col('purpose', 'text', (r) => r.purpose),
    col('coordinator_id', 'uuid', (r) => r.coordinatorId),
    col('starts_at', 'timestamptz', (r) => r.startsAt),
    col('ends_at', 'timestamptz', (r) => r.endsAt),
    col('status', 'text', (r) => r.status),
    col('granted_scopes', 'text[]', (r) => r.grantedScopes),
    col('created_at', 'timestamptz', (r) => r.createdAt),
    col('updated_at', 'timestamptz', (r) => r.createdAt),
  ],
};

interface OperationBorderPointRow {
  operationCode: string;
  borderPointCode: string;
}

export const OPERATION_BORDER_POINTS_TABLE: TableSpec<OperationBorderPointRow> = {
  table: 'partners.operation_border_points',
  columns: [
    col('operation_code', 'text', (r) => r.operationCode),
    col('border_point_code', 'text', (r) => r.borderPointCode),
  ],
};

interface OperationParticipantRow {
  operationCode: string;
  agencyId: string;
  borderPoints: readonly string[] | null;
}

export const OPERATION_PARTICIPANTS_TABLE: TableSpec<OperationParticipantRow> = {
  table: 'partners.operation_participants',
  columns: [
    col('operation_code', 'text', (r) => r.operationCode),
    col('agency_id', 'uuid', (r) => r.agencyId),
    col('border_points', 'text[]', (r) => r.borderPoints),
  ],
};

export function operationBorderPointRows(operations: readonly OperationRow[]): OperationBorderPointRow[] {
  return operations.flatMap((o) =>
    o.borderPoints.map((borderPointCode) => ({ operationCode: o.code, borderPointCode })),
  );
}

export function operationParticipantRows(operations: readonly OperationRow[]): OperationParticipantRow[] {
  return operations.flatMap((o) =>
    o.participants.map((p) => ({
      operationCode: o.code,
      agencyId: p.agencyId,
      borderPoints: p.borderPoints,
    })),
  );
}
