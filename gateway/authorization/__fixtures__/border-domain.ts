/**
 * A miniature of the hub's graph, written once and rendered in the shapes the authorization step meets:
 * the API schema (what the filter walks), the composed supergraph (where requirements are read from, also
 * with `@link(..., as:)` renames) and a Federation 2 subgraph (to compose a real supergraph in tests).
 */
import { buildSchema, type GraphQLSchema } from 'graphql';
import type { AuthorizationSubject } from '../caller';
import { readAccessRequirements, type AccessRequirement } from '../requirements';

export interface DirectiveSpelling {
  authenticated: string;
  requiresScopes: string;
  policy: string;
}

const STANDARD_SPELLING: DirectiveSpelling = {
  authenticated: 'authenticated',
  requiresScopes: 'requiresScopes',
  policy: 'policy',
};

const LOCATIONS = 'FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM';

interface Rendering {
  spelling: DirectiveSpelling;
  /** Supergraph shape: every type carries its @join__type. */
  join: boolean;
  /**
   * Whether the interface carries the rules composition propagates from its implementations; a subgraph may
   * not write them (composition rejects auth directives on interfaces) and the API schema has them.
   */
  interfaceRules: boolean;
}

function domainTypes({ spelling, join, interfaceRules }: Rendering): string {
  const j = join ? ' @join__type(graph: BORDER)' : '';
  const authenticated = ` @${spelling.authenticated}`;
  const scopes = (groups: string): string => ` @${spelling.requiresScopes}(scopes: ${groups})`;
  const policy = (groups: string): string => ` @${spelling.policy}(policies: ${groups})`;
  const watchlist = scopes('[["watchlist:read", "border:officer"], ["watchlist:admin"]]');
  const dossier = policy('[["same-agency"], ["supervisor", "audit-logged"]]');
  return `
type Query${j} {
  notices(first: Int = 20, after: String, issuingCountry: String): NoticeConnection!
  notice(controlNumber: String!): Notice
  travelDocument(issuingCountry: String!, documentNumber: String!): TravelDocument
  me: Officer${authenticated}
  alerts: [Alert!]!
  search(term: String!): [SearchResult!]!
  watchlistMatches(surname: String!): [WatchlistMatch!]!${watchlist}
  biometricDossier(personId: ID!): BiometricDossier${dossier}
}

type NoticeConnection${j} {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [NoticeEdge!]!
}

type PageInfo${j} {
  hasNextPage: Boolean!
  endCursor: String
}

type NoticeEdge${j} {
  cursor: String!
  node: Notice!
}

type Notice${j} {
  id: ID!
  controlNumber: String!
  charges: [String!]!${scopes('[["notices:read"]]')}
  subject: Person
  documents: [TravelDocument!]!
  riskLevel: RiskLevel
}

type Person${j} {
  surname: String!
  forename: String
  dateOfBirth: String${scopes('[["pii:read"]]')}
}

type TravelDocument${j} {
  issuingCountry: String!
  documentNumber: String!
  sltdRecord: SltdRecord
  notices(status: NoticeStatus): [Notice!]!${scopes('[["notices:read"]]')}
}

type SltdRecord${j}${scopes('[["sltd:summary"]]')} {
  status: SltdStatus!
  reportedAt: String
  holder: Person${scopes('[["sltd:read"]]')}
}

enum SltdStatus${j} {
  STOLEN
  LOST
  REVOKED
}

enum NoticeStatus${j} {
  ACTIVE
  CANCELLED
}

enum RiskLevel${j}${authenticated} {
  LOW
  MEDIUM
  HIGH
}

scalar BiometricTemplate${j}${scopes('[["biometric:read"]]')}

type Officer${j} {
  badgeNumber: String!
  agency: String!
}

interface Alert${j}${interfaceRules ? authenticated : ''} {
  id: ID!
  raisedAt: String!
  summary: String${interfaceRules ? scopes('[["sltd:read"]]') : ''}
}

type DocumentAlert implements Alert${j} {
  id: ID!
  raisedAt: String!
  summary: String${scopes('[["sltd:read"]]')}
  document: TravelDocument!
}

type PersonAlert implements Alert${j}${authenticated} {
  id: ID!
  raisedAt: String!
  summary: String
  subject: Person!
}

union SearchResult${j} = Notice | TravelDocument | SltdRecord

type WatchlistMatch${j} {
  surname: String!
  score: Float!
}

type BiometricDossier${j} {
  personId: ID!
  template: BiometricTemplate
}
`;
}

/** The API schema as the gateway exposes it, with the directive definitions a hand-written SDL needs. */
export const BORDER_API_SDL = `
directive @authenticated on ${LOCATIONS}
directive @requiresScopes(scopes: [[String!]!]!) on ${LOCATIONS}
directive @policy(policies: [[String!]!]!) on ${LOCATIONS}
${domainTypes({ spelling: STANDARD_SPELLING, join: false, interfaceRules: true })}`;

/** The same graph as a composed supergraph; a spelling other than the spec name is linked with `as:`. */
export function borderSupergraphSdl(spelling: DirectiveSpelling = STANDARD_SPELLING): string {
  const link = (spec: keyof DirectiveSpelling): string => {
    const as = spelling[spec] === spec ? '' : `, as: "${spelling[spec]}"`;
    return `@link(url: "https://specs.apollo.dev/${spec}/v0.1"${as}, for: SECURITY)`;
  };
  return `
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
  ${link('authenticated')}
  ${link('requiresScopes')}
  ${link('policy')}
{
  query: Query
}

directive @${spelling.authenticated} on ${LOCATIONS}

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

directive @${spelling.policy}(policies: [[${spelling.policy}__Policy!]!]!) on ${LOCATIONS}

directive @${spelling.requiresScopes}(scopes: [[${spelling.requiresScopes}__Scope!]!]!) on ${LOCATIONS}

scalar join__FieldSet

enum join__Graph {
  BORDER @join__graph(name: "border-records", url: "http://border-records:4001/graphql")
}

scalar link__Import

enum link__Purpose {
  SECURITY
  EXECUTION
}

scalar ${spelling.policy}__Policy

scalar ${spelling.requiresScopes}__Scope
${domainTypes({ spelling, join: true, interfaceRules: true })}`;
}

/** The graph as one Federation 2 subgraph, for composing a real supergraph. */
export const BORDER_SUBGRAPH_SDL = `
extend schema
  @link(
    url: "https://specs.apollo.dev/federation/v2.9"
    import: ["@authenticated", "@requiresScopes", "@policy"]
  )
${domainTypes({ spelling: STANDARD_SPELLING, join: false, interfaceRules: false })}`;

export function subject(
  grants: { authenticated?: boolean; scopes?: readonly string[]; policies?: readonly string[] } = {},
): AuthorizationSubject {
  const policies = new Set(grants.policies ?? []);
  return {
    authenticated: grants.authenticated ?? false,
    scopes: new Set(grants.scopes ?? []),
    policy: (name) => policies.has(name),
  };
}

export const ANONYMOUS = subject();

/** Holds every scope and policy the border graph mentions. */
export const SUPERVISOR = subject({
  authenticated: true,
  scopes: [
    'notices:read',
    'pii:read',
    'sltd:summary',
    'sltd:read',
    'biometric:read',
    'watchlist:admin',
    'schema:read',
  ],
  policies: ['same-agency'],
});

/** The miniature as the operation filter takes it: its API schema, and the rules read from its supergraph. */
export function borderGraph(): { schema: GraphQLSchema; requirements: Map<string, AccessRequirement> } {
  return { schema: buildSchema(BORDER_API_SDL), requirements: readAccessRequirements(borderSupergraphSdl()) };
}
