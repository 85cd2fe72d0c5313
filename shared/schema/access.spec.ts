import 'reflect-metadata';
import { GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { SUBGRAPHS } from '../../subgraphs';
import type { Caller } from '../auth/caller';
import { ErrorCode, UnauthorizedFieldError } from '../errors';

/**
 * Every field a subgraph's SDL marks `@requiresScopes` or `@authenticated` refuses, in the subgraph itself, a request
 * without a caller and (for scopes) a caller without any scope: the rule the directive tells the gateway is the rule
 * the field's resolver checks (shared/schema/access.ts), before any resolver code runs and without a promise.
 */
const noScopes: Caller = {
  clientId: 'client',
  agencyId: '00000000-0000-4000-8000-0000000000a1',
  agencyKind: 'NCB',
  country: 'FRA',
  scopes: new Set(),
  operations: [],
  tokenId: 'token-id',
  token: 'token',
};

describe.each(SUBGRAPHS.map((s) => s.module))('$name', (module) => {
  it('guards every field its SDL marks, synchronously', async () => {
    const { schema } = await module.buildSchema();
    let guarded = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const directives = (field.astNode?.directives ?? []).map((d) => d.name.value);
        const scoped = directives.includes('requiresScopes');
        if (!scoped && !directives.includes('authenticated')) continue;
        guarded += 1;
        const callers: (Caller | null)[] = scoped ? [null, noScopes] : [null];
        for (const caller of callers) {
          let thrown: unknown = null;
          try {
            field.resolve?.({}, {}, { caller }, {} as GraphQLResolveInfo);
          } catch (error) {
            thrown = error;
          }
          expect({ field: `${type.name}.${field.name}`, caller: caller?.clientId ?? null, thrown }).toEqual({
            field: `${type.name}.${field.name}`,
            caller: caller?.clientId ?? null,
            thrown: expect.any(UnauthorizedFieldError),
          });
          expect((thrown as UnauthorizedFieldError).extensions.code).toBe(ErrorCode.UnauthorizedField);
        }
      }
    }
    expect(guarded).toBeGreaterThan(0);
  });
});
