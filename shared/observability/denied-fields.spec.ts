import { buildSchema, Kind, parse } from 'graphql';
import { deniedCoordinates } from './denied-fields';

const schema = buildSchema(`
  type Query { checkDocuments: [Result!] me: Viewer }
  type Result { document: Document }
  type Document { notices: [Notice!] sltdRecord: Record }
  type Notice { id: ID! }
  type Record { holder: String }
  type Viewer { scopes: [String!] }
`);

describe('denied field coordinates', () => {
  test('map response paths (aliases, fragments, list markers) back to Type.field', () => {
    const document = parse(`
      query Check {
        results: checkDocuments {
          document { n: notices { id } ...Rec }
        }
      }
      fragment Rec on Document { sltdRecord { ... on Record { h: holder } } }
    `);
    expect(
      deniedCoordinates(schema, document, 'Check', [
        { path: ['results', '@', 'document', 'n'], kind: 'field' },
        { path: ['results', '@', 'document', 'sltdRecord', 'h'], kind: 'field' },
        { path: [], kind: 'operation' },
        { path: ['results', '@', 'nowhere'], kind: 'field' },
      ]),
    ).toEqual(['Document.notices', 'Record.holder', 'Query', 'unknown']);
  });

  test('read each fragment once, however often it is spread (a chain of 18 doubling fragments)', () => {
    const levels = 18;
    const chain = Array.from({ length: levels - 1 }, (_, i) => {
      const next = `F${i + 2}`;
      return `fragment F${i + 1} on Query { ...${next} ... on Query { ...${next} } }`;
    });
    const document = parse(
      `query Chain { ...F1 }\n${chain.join('\n')}\nfragment F${levels} on Query { me { scopes } }`,
    );
    let reads = 0;
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
      const selectionSet = definition.selectionSet;
      Object.defineProperty(definition, 'selectionSet', {
        get: () => {
          reads += 1;
          return selectionSet;
        },
      });
    }
    expect(deniedCoordinates(schema, document, 'Chain', [{ path: ['me', 'scopes'], kind: 'field' }])).toEqual(
      ['Viewer.scopes'],
    );
    // Two look-ups (me, then scopes), each reading every fragment at most once.
    expect(reads).toBeLessThanOrEqual(2 * levels);
  });
});
