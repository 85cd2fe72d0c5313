import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { buildSchema, getOperationAST, parse, type DocumentNode } from 'graphql';
import { inputHygiene } from './hygiene';

/**
 * The plugin finds an operation's argument sites once per parsed document (Apollo Server reuses it for the same
 * query text) and checks the values on every request: the same document with other variables is judged by those
 * variables, its literals every time, and a subgraph's normal form is the same for every request.
 */
const schema = buildSchema(`
  input Filter { name: String, tags: [String!] }
  type Query { search(term: String, filter: Filter): [String!] }
`);

async function resolve(document: DocumentNode, variables: Record<string, unknown>, normalize = false) {
  const context = {
    schema,
    document,
    operation: getOperationAST(document),
    request: { variables },
  } as unknown as GraphQLRequestContextDidResolveOperation<object>;
  const listener = await inputHygiene<object>({ normalize }).requestDidStart!(context as never);
  try {
    await listener!.didResolveOperation!(context);
    return { problems: null, document: context.document, variables: context.request.variables };
  } catch (error) {
    return { problems: (error as { extensions: { problems: unknown } }).extensions.problems };
  }
}

it('judges each request by its own variables and the document by its literals, however often it is reused', async () => {
  const document = parse(`query Q($term: String, $tags: [String!]) {
    a: search(term: $term, filter: { name: "ok", tags: $tags })
    b: search(term: "bad\\u0000literal")
  }`);
  const literal = { field: 'term', reason: 'must not contain NUL (U+0000)' };
  expect((await resolve(document, { term: 'fine', tags: ['x'] })).problems).toEqual([literal]);
  expect((await resolve(document, { term: 'one\ntwo', tags: ['x', 'y\u0000'] })).problems).toEqual([
    { field: 'term', reason: 'must be one line (found U+000A)' },
    { field: 'filter.tags.1', reason: 'must not contain NUL (U+0000)' },
    literal,
  ]);
  expect((await resolve(document, {})).problems).toEqual([literal]);
});

it('gives a subgraph the same normal form of a document on every request', async () => {
  const document = parse(`{ search(term: "Cafe\\u0301") }`);
  const first = await resolve(document, {}, true);
  const second = await resolve(document, {}, true);
  expect(first.problems).toBeNull();
  expect(first.document).not.toBe(document);
  expect(second.document).toBe(first.document);
  expect(JSON.stringify(first.document)).toContain('"Caf\u00e9"');
});

it('names each problem by its path and allows lines only in the multiline fields, at any depth', async () => {
  const lists = buildSchema(`
    input Doc { mrz: String, note: String, number: String, inner: [Doc!] }
    type Query { check(input: [Doc!]!, note: String, mrz: [String!]): [String!] }
  `);
  const document = parse(`query Q($input: [Doc!]!) {
    check(input: $input, note: "a\\nb", mrz: ["ok", "x\\ny", "\\u0000"])
  }`);
  const context = {
    schema: lists,
    document,
    operation: getOperationAST(document),
    request: {
      variables: {
        input: [
          { mrz: 'P<FRA\nLINE2', note: 'one\ttwo', number: 'A\nB' },
          { inner: [{ number: 'ok' }, { mrz: 'a\nb', number: '\u202E' }] },
        ],
      },
    },
  } as unknown as GraphQLRequestContextDidResolveOperation<object>;
  const listener = await inputHygiene<object>({ normalize: false }).requestDidStart!(context as never);
  const refusal = await listener!.didResolveOperation!(context).catch((error: unknown) => error);
  expect((refusal as { extensions: { problems: unknown } }).extensions.problems).toEqual([
    { field: 'input.0.number', reason: 'must be one line (found U+000A)' },
    { field: 'input.1.inner.1.number', reason: 'must not contain bidirectional control characters (U+202E)' },
    { field: 'mrz.2', reason: 'must not contain NUL (U+0000)' },
  ]);
});

it('normalizes the variables of a subgraph to NFC, copying only what changed', async () => {
  const document = parse(`query Q($term: String, $filter: Filter) { search(term: $term, filter: $filter) }`);
  const clean = { term: 'Café', filter: { name: 'ok', tags: ['a', 'b'] } };
  expect((await resolve(document, clean, true)).variables).toBe(clean);
  const filter = JSON.parse(
    '{"name": "Cafe\\u0301", "__proto__": {"x": "Cafe\\u0301"}, "tags": ["a", "e\\u0301"]}',
  );
  const variables = { term: 'ok', filter };
  const normalized = (await resolve(document, variables, true)).variables as typeof variables;
  expect(normalized).not.toBe(variables);
  expect(normalized.term).toBe('ok');
  expect(normalized.filter.name).toBe('Caf\u00e9');
  expect(normalized.filter.tags).toEqual(['a', '\u00e9']);
  // A key named __proto__ stays an own property (normalized), never the prototype.
  expect(Object.getPrototypeOf(normalized.filter)).toBe(Object.prototype);
  expect(Object.getOwnPropertyDescriptor(normalized.filter, '__proto__')?.value).toEqual({ x: 'Caf\u00e9' });
  expect(filter.name).toBe('Cafe\u0301');
});
