import type { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';

/**
 * The stack floor's graph (bench/README.md, "The stack's floor"): the shape of the hub's BorderCheck over four
 * subgraphs — a check and its record in one, the owner agency, the document's alerts and its notices in the three
 * others — with resolvers that return constants. No database, no token, no audit, no plugin: what Apollo Server,
 * @apollo/subgraph and @apollo/gateway cost per request on this machine before the hub does any work of its own.
 */
type SchemaModule = Exclude<
  Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number],
  DocumentNode
>;

export interface FloorSubgraph {
  name: string;
  typeDefs: DocumentNode;
  resolvers: NonNullable<SchemaModule['resolvers']>;
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

const DOCUMENT_KEY = '@key(fields: "issuingCountry documentNumber")';

interface DocumentKey {
  issuingCountry: string;
  documentNumber: string;
}

export const FLOOR_SUBGRAPHS: readonly FloorSubgraph[] = [
  {
    name: 'documents',
    typeDefs: parse(`${LINK}
      type Query { checkDocuments(input: [DocumentCheckInput!]!): [DocumentCheck!]! }
      input DocumentCheckInput { issuingCountry: String! documentNumber: String! }
      type DocumentCheck { verdict: String! document: TravelDocument! }
      type TravelDocument ${DOCUMENT_KEY} {
        issuingCountry: String!
        documentNumber: String!
        sltdRecord: SltdRecord
      }
      type SltdRecord { status: String! reportedAt: String! ownerAgency: Agency! }
      type Agency @key(fields: "id", resolvable: false) { id: ID! }`),
    resolvers: {
      Query: {
        checkDocuments: (_: unknown, { input }: { input: DocumentKey[] }) =>
          input.map((document) => ({
            verdict: 'HIT',
            document: {
              ...document,
              sltdRecord: { status: 'STOLEN', reportedAt: '2026-01-01', ownerAgency: { id: 'NCB-FRA' } },
            },
          })),
      },
    },
  },
  {
    name: 'agencies',
    typeDefs: parse(`${LINK}
      type Agency @key(fields: "id") { id: ID! name: String! country: String! }`),
    resolvers: {
      Agency: {
        __resolveReference: ({ id }: { id: string }) => ({ id, name: 'NCB Paris', country: 'FRA' }),
      },
    },
  },
  {
    name: 'alerts',
    typeDefs: parse(`${LINK}
      type TravelDocument ${DOCUMENT_KEY} {
        issuingCountry: String!
        documentNumber: String!
        alerts: [DocumentAlert!]!
      }
      type DocumentAlert { alertNumber: String! title: String! }`),
    resolvers: {
      TravelDocument: {
        __resolveReference: (key: DocumentKey) => key,
        alerts: () => [{ alertNumber: 'DA-2026-000001', title: 'Counterfeit data page' }],
      },
    },
  },
  {
    name: 'notices',
    typeDefs: parse(`${LINK}
      type TravelDocument ${DOCUMENT_KEY} {
        issuingCountry: String!
        documentNumber: String!
        notices: [Notice!]!
      }
      type Notice { controlNumber: String! type: String! }`),
    resolvers: {
      TravelDocument: {
        __resolveReference: (key: DocumentKey) => key,
        notices: () => [{ controlNumber: 'R-2026-000001', type: 'RED' }],
      },
    },
  },
];

/** One subgraph's fetch through the gateway: the selection of scenario 1. */
export const FLOOR_CHECK_QUERY = `query BorderCheck($d: [DocumentCheckInput!]!) {
  checkDocuments(input: $d) { verdict document { issuingCountry documentNumber sltdRecord { status reportedAt } } }
}`;

/** Four subgraphs' fetches through the gateway: the shape of the contract's BorderCheck (scenario 1-full). */
export const FLOOR_FULL_QUERY = `query BorderCheck($d: [DocumentCheckInput!]!) {
  checkDocuments(input: $d) {
    verdict
    document {
      issuingCountry documentNumber
      sltdRecord { status reportedAt ownerAgency { name country } }
      alerts { alertNumber title }
      notices { controlNumber type }
    }
  }
}`;
