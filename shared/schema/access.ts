import type { ApolloServerPlugin } from '@apollo/server';
import {
  defaultFieldResolver,
  GraphQLObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { Directive, Extensions } from 'type-graphql';
import { satisfiesScopes, type Caller } from '../auth/caller';
import { withOperationScopes } from '../auth/operation-scopes';
import type { SubgraphContext } from '../context';
import { UnauthorizedFieldError } from '../errors';

/**
 * Field-level access rules, declared once on a field. Each decorator emits the standard federation directive
 * (which composes into the supergraph, where the gateway — or Apollo Router — enforces it before planning) and
 * keeps the same rule in the field's GraphQL extensions, where `enforceFieldRules` makes the field's resolver check
 * it first, so a subgraph enforces it too when reached another way.
 *
 * The check is a plain synchronous wrapper, not a type-graphql middleware: type-graphql runs middlewares through an
 * async chain (two promises per field and level), which turned every protected field of a 300-document manifest
 * into promises for graphql-js to wait on (bench/README.md, "Where the time goes").
 */
type FieldDecorator = MethodDecorator & PropertyDecorator;

export type ScopeAlternatives = readonly (readonly string[])[];

/** The extension keys a field's rule is kept under (merged by type-graphql when a field has several). */
interface FieldRuleExtensions {
  requiresScopes?: ScopeAlternatives;
  authenticated?: true;
  readsRecord?: (caller: Caller, root: unknown) => boolean;
}

/** `RequiresScopes(['a', 'b'], ['c'])` means (a AND b) OR c. */
export function RequiresScopes(...alternatives: ScopeAlternatives): FieldDecorator {
  if (alternatives.length === 0 || alternatives.some((all) => all.length === 0)) {
    throw new Error('RequiresScopes needs at least one non-empty scope set');
  }
  const rule: FieldRuleExtensions = { requiresScopes: alternatives };
  return combine(
    Directive(`@requiresScopes(scopes: ${JSON.stringify(alternatives)})`),
    Extensions(rule as Record<string, unknown>),
  );
}

/**
 * A rule that also depends on the record: the directive (and the gateway) ask for `alternatives`; the subgraph then
 * answers the field only on the records `readsRecord` allows, and `null` with the same error as an unauthorized
 * field on the others (e.g. `notices:read:yellow` satisfies a notice's full-read rule, but only on YELLOW notices).
 */
export function RequiresScopesOnRecord<Root>(
  readsRecord: (caller: Caller, root: Root) => boolean,
  ...alternatives: ScopeAlternatives
): FieldDecorator {
  const rule: FieldRuleExtensions = {
    readsRecord: readsRecord as (caller: Caller, root: unknown) => boolean,
  };
  return combine(RequiresScopes(...alternatives), Extensions(rule as Record<string, unknown>));
}

/** Any verified caller, whatever its scopes. */
export function Authenticated(): FieldDecorator {
  const rule: FieldRuleExtensions = { authenticated: true };
  return combine(Directive('@authenticated'), Extensions(rule as Record<string, unknown>));
}

function combine(...decorators: FieldDecorator[]): FieldDecorator {
  return ((target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorate of decorators)
      (decorate as (t: object, k: string | symbol, d?: PropertyDescriptor) => void)(target, key, descriptor);
  }) as FieldDecorator;
}

/**
 * Makes every field of `schema` (as type-graphql built it) that carries a rule of the decorators above check it
 * before its resolver and its type-graphql middlewares (so `AuditedRead` records no refused read): no caller, or
 * a caller without the scopes or without access to this record, gets UNAUTHORIZED_FIELD_OR_TYPE at the field's
 * path and `null`. Returns the coordinates of the fields it guarded (`Type.field`).
 */
export function enforceFieldRules(schema: GraphQLSchema): string[] {
  const guarded: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const { requiresScopes, authenticated, readsRecord } = field.extensions as FieldRuleExtensions;
      if (!requiresScopes && !authenticated && !readsRecord) continue;
      const resolve: GraphQLFieldResolver<unknown, SubgraphContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (root, args, context: SubgraphContext, info) => {
        const caller = context.caller;
        if (
          !caller ||
          (requiresScopes && !satisfiesScopes(caller.scopes, requiresScopes)) ||
          (readsRecord && !readsRecord(caller, root))
        )
          throw new UnauthorizedFieldError();
        return resolve(root, args, context, info);
      };
      guarded.push(`${type.name}.${field.name}`);
    }
  }
  return guarded;
}

/**
 * Gives a request that quotes one operation in every root field the scopes of the caller's grant for it, before any
 * resolver or field rule runs (shared/auth/operation-scopes.ts, the rule the gateway applies too): `context.caller`
 * then holds them for this request only.
 */
export function operationScopes<C extends SubgraphContext<unknown>>(): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation(requestContext) {
          const context = requestContext.contextValue;
          context.caller = withOperationScopes(
            context.caller,
            requestContext.operation,
            requestContext.request.variables,
            context.now(),
          );
          return Promise.resolve();
        },
      });
    },
  };
}
