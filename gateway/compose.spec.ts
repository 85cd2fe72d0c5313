import 'reflect-metadata';
import fs from 'node:fs';
import { buildSupergraphApiSchema } from './supergraph';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLSchema,
} from 'graphql';
import { SUBGRAPHS } from '../subgraphs';
import { composeSupergraph, SUPERGRAPH_FILE } from './compose';

describe('supergraph.graphql', () => {
  test('is what composing the subgraphs gives now (run `npm run compose` when this fails)', async () => {
    const committed = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
    expect(committed).toBe(await composeSupergraph(SUBGRAPHS));
  });

  test('describes every type, field, argument and enum value partners can see', () => {
    const schema = buildSupergraphApiSchema(fs.readFileSync(SUPERGRAPH_FILE, 'utf8'));
    expect(undescribed(schema)).toEqual([]);
  });
});

function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        if ('args' in field) {
          for (const arg of field.args)
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues())
        if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    if (isUnionType(type) && !type.description) missing.push(type.name);
  }
  return missing.sort();
}
