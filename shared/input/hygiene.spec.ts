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
    return { problems: null, document: context.document };
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
