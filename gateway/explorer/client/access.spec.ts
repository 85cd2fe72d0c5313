import { buildSchema, parse } from 'graphql';
import {
  annotateSchema,
  callerFromToken,
  coordinateOfPath,
  describeRequirement,
  fieldsOfDocument,
  isGranted,
} from './access';
import type { AccessRules } from './types';

const SDL = `
  type Query { check(input: [String!]!): [Result!] me: Me }
  type Me { clientId: String }
  type Result { verdict: String document: Document }
  type Document { number: String notices: [Notice!] record: Record }
  type Notice { id: ID type: String }
  type Record { status: String }
`;

const RULES: AccessRules = {
  'Query.check': { authenticated: false, scopes: [['sltd:check']], policies: null },
  'Query.me': { authenticated: true, scopes: null, policies: null },
  'Document.notices': {
    authenticated: false,
    scopes: [['notices:read'], ['notices:read:yellow']],
    policies: null,
  },
  'Document.record': { authenticated: false, scopes: [['sltd:summary', 'sltd:read']], policies: null },
};

const BP_FRA = {
  clientId: 'bp-fra',
  scopes: ['sltd:check', 'sltd:summary', 'notices:screen', 'alerts:read'],
};

describe('access rules in the explorer', () => {
  test('describes rules in words', () => {
    expect(describeRequirement(RULES['Query.check'])).toBe('scope sltd:check');
    expect(describeRequirement(RULES['Query.me'])).toBe('signed in');
    expect(describeRequirement(RULES['Document.notices'])).toBe(
      'any of: scope notices:read; scope notices:read:yellow',
    );
    expect(describeRequirement(RULES['Document.record'])).toBe('scopes sltd:summary and sltd:read');
    expect(describeRequirement(null)).toBe('open');
  });

  test("judges with the gateway's semantics (any group, every scope in it)", () => {
    expect(isGranted(RULES['Query.check'], BP_FRA)).toBe(true);
    expect(isGranted(RULES['Document.notices'], BP_FRA)).toBe(false);
    expect(isGranted(RULES['Document.notices'], { clientId: 'iom', scopes: ['notices:read:yellow'] })).toBe(
      true,
    );
    expect(isGranted(RULES['Document.record'], BP_FRA)).toBe(false);
    expect(isGranted(RULES['Query.me'], null)).toBe(false);
    expect(isGranted(null, null)).toBe(true);
  });

  test('lists the fields of an operation with what each needs', () => {
    const schema = buildSchema(SDL);
    const document = parse('query Q { check(input: ["x"]) { verdict document { notices { id } number } } }');
    const fields = fieldsOfDocument(schema, document, RULES, BP_FRA);
    expect(fields.map((f) => [f.coordinate, f.granted])).toEqual([
      ['Query.check', true],
      ['Result.verdict', true],
      ['Result.document', true],
      ['Document.notices', false],
      ['Notice.id', true],
      ['Document.number', true],
    ]);
  });

  test('maps an error path (aliases, list markers, fragments) to the field it names', () => {
    const schema = buildSchema(SDL);
    const document = parse(`
      query Q { results: check(input: ["x"]) { ...R } }
      fragment R on Result { doc: document { ... on Document { notices { id } } } }
    `);
    expect(coordinateOfPath(schema, document, 'Q', ['results', '@', 'doc', 'notices'])).toBe(
      'Document.notices',
    );
    expect(coordinateOfPath(schema, document, undefined, ['results', 0, 'doc'])).toBe('Result.document');
    expect(coordinateOfPath(schema, document, 'Q', ['nothing'])).toBeNull();
  });

  test('adds each rule to the description the doc explorer shows', () => {
    const schema = annotateSchema(buildSchema(SDL), RULES);
    const fields = schema.getType('Document') as unknown as {
      getFields(): Record<string, { description?: string | null }>;
    };
    expect(fields.getFields().notices.description).toBe(
      '**Access:** any of: scope notices:read; scope notices:read:yellow',
    );
    expect(fields.getFields().number.description).toBe('**Access:** open');
  });

  test("reads the caller from a token's claims", () => {
    const payload = btoa(JSON.stringify({ sub: 'bp-fra', scope: 'sltd:check sltd:summary' }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(callerFromToken(`h.${payload}.s`)).toEqual({
      clientId: 'bp-fra',
      scopes: ['sltd:check', 'sltd:summary'],
    });
    expect(callerFromToken('garbage')).toBeNull();
  });

  test('reads the operation grants of the ops claim, and drops malformed ones', () => {
    const claims = {
      sub: 'frontex',
      scope: 'sltd:check',
      ops: [
        { code: 'STOP-2026-CDG', scopes: ['notices:screen'], border_points: ['FRCDG-T1'], until: 1801273019 },
        { code: 5 },
      ],
    };
    const payload = btoa(JSON.stringify(claims)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(callerFromToken(`h.${payload}.s`)).toEqual({
      clientId: 'frontex',
      scopes: ['sltd:check'],
      operations: [
        {
          code: 'STOP-2026-CDG',
          scopes: ['notices:screen'],
          borderPoints: ['FRCDG-T1'],
          until: new Date(1801273019 * 1000).toISOString(),
        },
      ],
    });
  });
});
