import type { ApolloServerPlugin } from '@apollo/server';
import { Directive, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { satisfiesScopes, type Caller } from '../auth/caller';
import { withOperationScopes } from '../auth/operation-scopes';
import type { SubgraphContext } from '../context';
import { UnauthorizedFieldError } from '../errors';

/**
 * Field-level access rules, declared once on a field. Each decorator emits the standard federation directive
 * (which composes into the supergraph, where the gateway — or Apollo Router — enforces it before planning) and
 * attaches the same rule as a resolver middleware, so a subgraph enforces it too when reached another way.
 */
type FieldDecorator = MethodDecorator & PropertyDecorator;

export type ScopeAlternatives = readonly (readonly string[])[];

/** `RequiresScopes(['a', 'b'], ['c'])` means (a AND b) OR c. */
export function RequiresScopes(...alternatives: ScopeAlternatives): FieldDecorator {
  if (alternatives.length === 0 || alternatives.some((all) => all.length === 0)) {
    throw new Error('RequiresScopes needs at least one non-empty scope set');
  }
  const check: MiddlewareFn<SubgraphContext> = ({ context }, next) => {
    if (!context.caller || !satisfiesScopes(context.caller.scopes, alternatives))
      throw new UnauthorizedFieldError();
    return next();
  };
  return combine(Directive(`@requiresScopes(scopes: ${JSON.stringify(alternatives)})`), UseMiddleware(check));
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
  const check: MiddlewareFn<SubgraphContext> = ({ context, root }, next) => {
    if (!context.caller || !readsRecord(context.caller, root as Root)) throw new UnauthorizedFieldError();
    return next();
  };
  return combine(RequiresScopes(...alternatives), UseMiddleware(check));
}

/** Any verified caller, whatever its scopes. */
export function Authenticated(): FieldDecorator {
  const check: MiddlewareFn<SubgraphContext> = ({ context }, next) => {
    if (!context.caller) throw new UnauthorizedFieldError();
    return next();
  };
  return combine(Directive('@authenticated'), UseMiddleware(check));
}

function combine(...decorators: FieldDecorator[]): FieldDecorator {
  return ((target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorate of decorators)
      (decorate as (t: object, k: string | symbol, d?: PropertyDescriptor) => void)(target, key, descriptor);
  }) as FieldDecorator;
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
