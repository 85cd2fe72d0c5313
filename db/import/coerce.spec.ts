import fc from 'fast-check';
import type { GraphQLInputObjectType } from 'graphql';
import { coerceInput, inputCoercer } from './coerce';
import { sltdImport } from './sltd';

/** The compiled fast path must agree with graphql-js's own coercion on any line, valid or not. */
let type: GraphQLInputObjectType;

beforeAll(async () => {
  type = await sltdImport.inputType();
});

const scalar = fc.oneof(
  fc.constantFrom('FRA', 'PASSPORT', 'STOLEN', 'LOST', 'ID_CARD', 'NCB', '2020-01-01', ''),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('surname', 'forenames', 'allowedCountries', 'excludedAgencyKinds', 'other'),
      fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })),
    ),
  },
);
const line = fc.dictionary(
  fc.constantFrom(
    'issuingCountry',
    'documentNumber',
    'documentType',
    'status',
    'series',
    'holder',
    'restrictions',
    'reviewDate',
    'unknownField',
  ),
  value,
);

test('the fast path and GraphQL coercion give the same input or the same problems', () => {
  const fast = inputCoercer(type);
  fc.assert(
    fc.property(line, (object) => {
      expect(fast(object)).toEqual(coerceInput(object, type));
    }),
    { numRuns: 2000 },
  );
});

test('a valid line takes the fast path and comes out as GraphQL would give it', () => {
  const object = {
    issuingCountry: 'FRA',
    documentNumber: '19FR12345',
    documentType: 'PASSPORT',
    status: 'STOLEN',
    holder: { surname: 'DUPONT' },
    restrictions: { excludedCountries: ['USA'], allowedAgencyKinds: null },
  };
  expect(inputCoercer(type)(object)).toEqual({ input: object, problems: null });
  expect(coerceInput(object, type)).toEqual({ input: object, problems: null });
});
