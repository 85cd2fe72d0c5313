import { buildSchema, parse } from 'graphql';
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
});
