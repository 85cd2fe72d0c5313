import fs from 'node:fs';
import {
  type FragmentDefinitionNode,
  getIntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { readContractExamples } from '../../gateway/explorer/examples';
import { buildSupergraphApiSchema } from '../../gateway/supergraph';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../../shared/limits';
import { estimateDemand } from '../../shared/limits/demand';
import { measureDocumentSize } from '../../shared/limits/document-size';
import { operationShapeRules } from '../../shared/limits/shape';

/**
 * The documented defaults leave room: every contract operation (which are also the explorer's examples, with
 * their sample variables) stays within half of every limit, and the standard introspection query of a
 * schema:read developer's tools passes.
 */
const schema = buildSupergraphApiSchema(fs.readFileSync('supergraph.graphql', 'utf8'));
const halved = Object.fromEntries(
  Object.entries(DEFAULT_OPERATION_LIMITS).map(([name, value]) => [name, Math.floor(value / 2)]),
) as unknown as OperationLimits;

function refusals(query: string, variables: Record<string, unknown>, limits: OperationLimits): string[] {
  const size = measureDocumentSize(query, limits);
  if (size) return [size.limit];
  const document = parse(query);
  const shape = validate(schema, document, operationShapeRules(limits)).map((error) => error.message);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const demand = document.definitions
    .filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    )
    .flatMap((operation) => {
      const { demand, checkedDocuments } = estimateDemand(schema, operation, fragments, variables);
      return [
        ...(demand > limits.maxDemand ? [`${operation.name?.value}: demand ${demand}`] : []),
        ...(checkedDocuments > limits.maxCheckedDocuments ? [`checked ${checkedDocuments}`] : []),
      ];
    });
  return [...shape, ...demand];
}

test.each(readContractExamples('test/contract').map((example) => [example.file, example] as const))(
  '%s stays within half of every default limit',
  (_file, example) => {
    const variables = example.variables ? (JSON.parse(example.variables) as Record<string, unknown>) : {};
    expect(refusals(example.query, variables, halved)).toEqual([]);
  },
);

test('the standard introspection query passes the defaults', () => {
  expect(refusals(getIntrospectionQuery(), {}, DEFAULT_OPERATION_LIMITS)).toEqual([]);
});

test('a border check of the 500 documents the API promises passes, inline or in variables', () => {
  const documents = Array.from({ length: 500 }, (_, i) => ({
    issuingCountry: 'FRA',
    documentNumber: `X${i}`,
  }));
  const inline = `{ checkDocuments(input: [${documents
    .map((d) => `{ issuingCountry: "${d.issuingCountry}", documentNumber: "${d.documentNumber}" }`)
    .join(', ')}]) { verdict document { sltdRecord { status } notices { controlNumber } alerts { id } } } }`;
  expect(refusals(inline, {}, DEFAULT_OPERATION_LIMITS)).toEqual([]);
  const query = `query ($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict document { sltdRecord { status } } } }`;
  expect(refusals(query, { d: documents }, DEFAULT_OPERATION_LIMITS)).toEqual([]);
});
