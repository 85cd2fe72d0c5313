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

/** A document on file: its record and the record's owner (a key the agencies subgraph resolves). */
const onFile = (document: DocumentKey) => ({
  ...document,
  sltdRecord: {
    status: 'STOLEN',
    documentType: 'PASSPORT',
    reportedAt: '2026-01-01',
    ownerAgency: { id: 'NCB-FRA' },
  },
});

/** A page of notices as the hub's list returns one: a bureau's request, a subject, one document each. */
const noticePage = (first: number) => ({
  totalCount: 3000,
  pageInfo: { hasNextPage: true, endCursor: `cursor-${first}` },
  edges: Array.from({ length: first }, (_, i) => ({
    node: {
      id: `notice-${i}`,
      controlNumber: `R-2026-${String(i).padStart(6, '0')}`,
      type: 'RED',
      status: 'PUBLISHED',
      requestedBy: { id: 'NCB-FRA' },
      subject: {
        surname: 'DUPONT',
        forenames: 'JEAN',
        dateOfBirth: '1980-01-01',
        sex: 'M',
        nationalities: ['FRA'],
      },
      charges: ['Fraud'],
      documents: [{ issuingCountry: 'FRA', documentNumber: `FL${String(i).padStart(7, '0')}` }],
    },
  })),
});

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
      type SltdRecord { status: String! documentType: String! reportedAt: String! ownerAgency: Agency! }
      type Agency @key(fields: "id", resolvable: false) { id: ID! }`),
    resolvers: {
      Query: {
        checkDocuments: (_: unknown, { input }: { input: DocumentKey[] }) =>
          input.map((document) => ({ verdict: 'HIT', document: onFile(document) })),
      },
      TravelDocument: { __resolveReference: onFile },
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
      type Query { notices(first: Int!): NoticeConnection! }
      type NoticeConnection { totalCount: Int! pageInfo: PageInfo! edges: [NoticeEdge!]! }
      type PageInfo { hasNextPage: Boolean! endCursor: String }
      type NoticeEdge { node: Notice! }
      type Notice {
        id: ID!
        controlNumber: String!
        type: String!
        status: String!
        requestedBy: Agency!
        subject: Subject!
        charges: [String!]!
        documents: [TravelDocument!]!
      }
      type Subject { surname: String! forenames: String dateOfBirth: String sex: String! nationalities: [String!]! }
      type Agency @key(fields: "id", resolvable: false) { id: ID! }
      type TravelDocument ${DOCUMENT_KEY} {
        issuingCountry: String!
        documentNumber: String!
        notices: [Notice!]!
      }`),
    resolvers: {
      Query: { notices: (_: unknown, { first }: { first: number }) => noticePage(first) },
      TravelDocument: {
        __resolveReference: (key: DocumentKey) => key,
        notices: () => noticePage(1).edges.map((edge) => edge.node),
      },
    },
  },
];

/** One subgraph's fetch through the gateway: the selection of scenario 1 (and of scenario 2's bp-fra manifests). */
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

/** Five fetches over four subgraphs for a page of notices: the shape of the contract's LinkedRecords (scenario 3). */
export const FLOOR_LINKED_RECORDS_QUERY = `query LinkedRecords($first: Int!) {
  notices(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id controlNumber type status
        requestedBy { id name country }
        subject { surname forenames dateOfBirth sex nationalities }
        charges
        documents {
          issuingCountry documentNumber
          sltdRecord { status documentType ownerAgency { name } }
          alerts { alertNumber title }
        }
      }
    }
  }
}`;
