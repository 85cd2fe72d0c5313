import {
  buildSchema,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './config';
import { ASSUMED_LIST_SIZE, estimateDemand } from './demand';
import { measureDocumentSize } from './document-size';
import { operationLimitError, refusalOf } from './errors';
import { operationShapeRules } from './shape';

const schema = buildSchema(`
  type Query {
    checkDocuments(input: [CheckInput!]!): [CheckResult!]
    notices(first: Int, after: String): NoticeConnection
    screen(first: Int): [Match!]
    me: Viewer
  }
  input CheckInput { mrz: String documentNumber: String }
  type CheckResult { verdict: String document: Document }
  type Document { number: String notices: [Notice!] }
  type NoticeConnection { totalCount: Int edges: [NoticeEdge!]! }
  type NoticeEdge { cursor: String node: Notice }
  type Notice { id: ID documents: [Document!] subject: Person }
  type Person { surname: String }
  type Match { score: Float notice: Notice }
  type Viewer { clientId: String scopes: [String!] }
`);

/** 20 fragments, each spreading the next twice: 2^19 copies of the last one once expanded. */
function fragmentChain(levels: number, last: string): string {
  const chain = Array.from({ length: levels - 1 }, (_, i) => {
    const next = `F${i + 2}`;
    return `fragment F${i + 1} on Query { ...${next} ... on Query { ...${next} } }`;
  });
  return `query Chain { ...F1 }\n${chain.join('\n')}\nfragment F${levels} on Query { ${last} }`;
}

/** Counts how often the fragments' selections are read, to prove each fragment is measured once. */
function countingFragmentReads(document: DocumentNode): { reads: number } {
  const counter = { reads: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const selectionSet = definition.selectionSet;
    Object.defineProperty(definition, 'selectionSet', {
      get: () => {
        counter.reads += 1;
        return selectionSet;
      },
    });
  }
  return counter;
}

function shapeRefusals(query: string, limits: Partial<OperationLimits> = {}) {
  const errors = validate(
    schema,
    parse(query),
    operationShapeRules({ ...DEFAULT_OPERATION_LIMITS, ...limits }),
  );
  return errors.map((error) => ({ ...refusalOf(error), code: error.extensions.code }));
}

function demandOf(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  if (!operation) throw new Error('no operation');
  return estimateDemand(schema, operation, fragments, variables);
}

const refusal = (limit: string, maximum: number, measured: number) => ({
  limit,
  maximum,
  measured,
  code: 'OPERATION_LIMIT_EXCEEDED',
});

describe('operation shape (Apollo Router semantics)', () => {
  test('an operation within every limit passes', () => {
    expect(shapeRefusals(`{ me { clientId } notices(first: 5) { edges { node { id } } } }`)).toEqual([]);
  });

  test('depth counts fields, not fragments; introspection is measured like any field', () => {
    const query = `{ notices { edges { node { ...N } } } }
      fragment N on Notice { documents { ... on Document { notices { subject { surname } } } } }`;
    expect(shapeRefusals(query, { maxDepth: 6 })).toEqual([refusal('maxDepth', 6, 7)]);
    expect(shapeRefusals(query, { maxDepth: 7 })).toEqual([]);
    expect(
      shapeRefusals(`{ __schema { types { fields { type { fields { type { name } } } } } } }`, {
        maxDepth: 5,
      }),
    ).toEqual([refusal('maxDepth', 5, 7)]);
  });

  test('aliases, height and root fields count each fragment spread again', () => {
    const query = `{ ...Two ...Two b: me { clientId } }
      fragment Two on Query { a1: me { clientId } a2: me { clientId } }`;
    expect(shapeRefusals(query, { maxAliases: 4, maxHeight: 9, maxRootFields: 4 })).toEqual([
      refusal('maxAliases', 4, 5),
      refusal('maxHeight', 9, 10),
      refusal('maxRootFields', 4, 5),
    ]);
  });

  test('a field repeated under one response key counts once in height and root fields', () => {
    expect(
      shapeRefusals(`{ me { clientId } me { clientId scopes } }`, { maxHeight: 3, maxRootFields: 1 }),
    ).toEqual([refusal('maxHeight', 3, 4)]);
  });

  test('a chain of 20 fragments each spreading the next twice is measured reading each fragment once', () => {
    const document = parse(fragmentChain(20, 'a: me { clientId }'));
    const counter = countingFragmentReads(document);
    const errors = validate(schema, document, operationShapeRules(DEFAULT_OPERATION_LIMITS));
    const expanded = 2 ** 19;
    expect(errors.map((error) => refusalOf(error))).toEqual([
      { limit: 'maxAliases', maximum: 30, measured: expanded },
      { limit: 'maxHeight', maximum: 300, measured: 2 * expanded },
      { limit: 'maxRootFields', maximum: 20, measured: expanded },
    ]);
    // Armor's depth and aliases rules and the height rule: a few reads per fragment, not 2^19.
    expect(counter.reads).toBeLessThanOrEqual(3 * 2 * 20);
  });
});

describe('demand estimate', () => {
  test('checkDocuments counts every alias and every spread, from literals and variables', () => {
    const query = `query Check($many: [CheckInput!]!, $one: CheckInput!) {
        a: checkDocuments(input: $many) { verdict }
        b: checkDocuments(input: [{ mrz: "X" }, { mrz: "Y" }]) { verdict }
        c: checkDocuments(input: $one) { verdict }
        ...Again ...Again
      }
      fragment Again on Query { d: checkDocuments(input: $many) { verdict } }`;
    const many = Array.from({ length: 200 }, () => ({ documentNumber: 'X' }));
    expect(demandOf(query, { many, one: { mrz: 'Z' } }).checkedDocuments).toBe(200 + 2 + 1 + 2 * 200);
  });

  test('first multiplies through nested lists; a connection hands its first to its edges', () => {
    // notices(first: 50): 1 + 50 edges × (edge 1 + node 1 + documents 10 × (1 + notices 10 × 1))
    const query = `{ notices(first: 50) { totalCount edges { node { documents { notices { id } } } } } }`;
    expect(demandOf(query).demand).toBe(1 + 50 * (1 + 1 + ASSUMED_LIST_SIZE * (1 + ASSUMED_LIST_SIZE)));
    expect(demandOf(`query Q($n: Int) { screen(first: $n) { notice { id } } }`, { n: 7 }).demand).toBe(7 * 2);
    // Without first, the resolvers' default page size; above the largest page, the largest page (the
    // resolvers refuse it with an error naming the argument).
    expect(demandOf(`{ screen { score } }`).demand).toBe(20);
    expect(demandOf(`{ screen(first: 100000) { notice { id } } }`).demand).toBe(100 * 2);
  });

  test('a fragment spread under different page sizes is measured for each', () => {
    const query = `{ a: notices(first: 2) { ...Page } b: notices(first: 3) { ...Page } }
      fragment Page on NoticeConnection { edges { cursor } }`;
    expect(demandOf(query).demand).toBe(1 + 2 + 1 + 3);
  });

  test('a chain of doubling fragments is estimated reading each fragment once', () => {
    const document = parse(fragmentChain(20, 'checkDocuments(input: [{ mrz: "X" }]) { verdict }'));
    const counter = countingFragmentReads(document);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    expect(estimateDemand(schema, operation, fragments, {})).toEqual({
      demand: 2 ** 19,
      checkedDocuments: 2 ** 19,
    });
    expect(counter.reads).toBeLessThanOrEqual(2 * 20);
  });
});

describe('document size', () => {
  test('bytes are counted in UTF-8 before anything else', () => {
    const query = `{ me { clientId } } # ${'é'.repeat(100)}`;
    expect(measureDocumentSize(query, { maxBytes: 150, maxTokens: 100 })).toEqual({
      limit: 'maxBytes',
      maximum: 150,
      measured: Buffer.byteLength(query),
    });
  });

  test('tokens are counted as the parser counts them (comments excluded)', () => {
    const query = `# a comment\n{ a: me { clientId } }`;
    expect(measureDocumentSize(query, { maxBytes: 1000, maxTokens: 7 })).toEqual({
      limit: 'maxTokens',
      maximum: 7,
      measured: 8,
    });
    expect(measureDocumentSize(query, { maxBytes: 1000, maxTokens: 8 })).toBeNull();
    // graphql-js's own limit agrees (its message says "more that").
    expect(() => parse(query, { maxTokens: 7 })).toThrow(/Document contains more th.. 7 tokens/);
    expect(() => parse(query, { maxTokens: 8 })).not.toThrow();
  });

  test('a document the lexer cannot read is left for the parser to report, with its position', () => {
    expect(measureDocumentSize('{ me { "unterminated', { maxBytes: 1000, maxTokens: 1 })).toBeNull();
  });
});

test('a refusal names the limit, its maximum and the measured value', () => {
  const error = operationLimitError({ limit: 'maxDemand', maximum: 50_000, measured: 73_000 });
  expect(error.message).toBe(
    'The answer could hold about 73000 objects (list sizes multiplied); the limit is 50000',
  );
  expect(error.extensions).toEqual({
    code: 'OPERATION_LIMIT_EXCEEDED',
    limit: 'maxDemand',
    maximum: 50_000,
    measured: 73_000,
    http: { status: 400 },
  });
  expect(
    refusalOf({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth', maximum: 1, measured: 2 },
    }),
  ).toEqual({
    limit: 'maxDepth',
    maximum: 1,
    measured: 2,
  });
  expect(refusalOf({ extensions: { code: 'BAD_USER_INPUT' } })).toBeNull();
});
