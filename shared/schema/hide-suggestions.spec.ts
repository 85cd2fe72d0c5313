import { buildSchema, parse, validate } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { withoutSuggestions } from './hide-suggestions';

const schema = buildSchema(`
  type Query { notices(status: Status, first: Int): [Notice!] search(term: String): [Result!] }
  enum Status { ACTIVE CANCELLED }
  type Notice { controlNumber: String subject: String }
  type Record { holder: String }
  union Result = Notice | Record
  input CheckInput { mrz: String documentNumber: String }
`);

const messages = (query: string) => validate(schema, parse(query)).map((error) => error.message);

describe('schema suggestions', () => {
  test.each([
    ['field', `{ notices { controlNumbr } }`, 'Cannot query field "controlNumbr" on type "Notice".'],
    ['argument', `{ notices(frist: 2) { subject } }`, 'Unknown argument "frist" on field "Query.notices".'],
    [
      'enum value',
      `{ notices(status: ACTIV) { subject } }`,
      'Value "ACTIV" does not exist in "Status" enum.',
    ],
    ['type', `{ ... on Notise { subject } }`, 'Unknown type "Notise".'],
    ['inline fragment on a union', `{ search { holder } }`, 'Cannot query field "holder" on type "Result".'],
  ])('graphql-js suggests a %s; the suggestion is removed, the reason stays', (_kind, query, reason) => {
    const [message] = messages(query);
    expect(message).toMatch(/Did you mean/);
    expect(withoutSuggestions(message)).toBe(reason);
  });

  test('input field suggestions in variable errors go too', () => {
    const operation = parse(`query ($input: CheckInput) { notices { subject } }`).definitions[0];
    if (operation.kind !== 'OperationDefinition') throw new Error('no operation');
    const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], {
      input: { mrzz: 'P<UTO' },
    });
    const message = errors?.[0]?.message ?? '';
    expect(message).toMatch(/Did you mean "mrz"\?/);
    expect(withoutSuggestions(message)).toBe(
      'Variable "$input" got invalid value { mrzz: "P<UTO" }; Field "mrzz" is not defined by type "CheckInput".',
    );
  });

  test('a message without a suggestion is left alone', () => {
    expect(withoutSuggestions('Syntax Error: Expected Name, found "}".')).toBe(
      'Syntax Error: Expected Name, found "}".',
    );
  });
});
