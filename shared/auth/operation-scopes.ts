import { Kind, type OperationDefinitionNode, type ValueNode } from 'graphql';
import type { Caller } from './caller';
import { activeGrant, type OperationGrant } from './operation-grants';

/**
 * The one rule for temporary, operation-bound scopes (docs/architecture.md, "Operations"), applied alike by the
 * gateway before it plans a request and by every subgraph before it resolves one: a request whose **every** root
 * field is a check quoting one and the same operation — `checkDocuments(context: { operation })`,
 * `screenPerson(context: { operation })`, `reportNoticeMatch(input: { operation })`, as a literal or through
 * variables — gets the scopes of the caller's grant for that operation, for that request only, while the grant's
 * window is open at `now`. Anything else (another root field beside them, a fragment at the root, two operations,
 * no grant) gets the caller's own scopes. The check's resolver then validates the context itself
 * (`auditedCheckContext`: operation ACTIVE, caller a participant, border point one of its own).
 */
export const OPERATION_CHECK_FIELDS: Readonly<Record<string, { argument: string; field: string }>> = {
  checkDocuments: { argument: 'context', field: 'operation' },
  screenPerson: { argument: 'context', field: 'operation' },
  reportNoticeMatch: { argument: 'input', field: 'operation' },
};

/** The only scopes an operation may grant: those of checks at a border point (the operations table says so too). */
export const OPERATION_GRANTABLE_SCOPES = ['sltd:check', 'sltd:summary', 'notices:screen', 'alerts:read'];

type Variables = Readonly<Record<string, unknown>> | null | undefined;

function stringOf(value: ValueNode | undefined, variables: Variables): string | null {
  if (!value) return null;
  if (value.kind === Kind.STRING) return value.value;
  if (value.kind === Kind.VARIABLE) {
    const resolved = variables?.[value.name.value];
    return typeof resolved === 'string' ? resolved : null;
  }
  return null;
}

/** The operation code one root field quotes, or null. */
function quotedOperation(value: ValueNode | undefined, field: string, variables: Variables): string | null {
  if (!value) return null;
  if (value.kind === Kind.OBJECT) {
    return stringOf(value.fields.find((f) => f.name.value === field)?.value, variables);
  }
  if (value.kind === Kind.VARIABLE) {
    const resolved = variables?.[value.name.value];
    if (typeof resolved !== 'object' || resolved === null) return null;
    const code = (resolved as Record<string, unknown>)[field];
    return typeof code === 'string' ? code : null;
  }
  return null;
}

/** The one operation every root field of `operation` quotes, or null. */
export function quotedOperationOf(operation: OperationDefinitionNode, variables: Variables): string | null {
  let code: string | null = null;
  const selections = operation.selectionSet.selections;
  if (selections.length === 0) return null;
  for (const selection of selections) {
    if (selection.kind !== Kind.FIELD) return null;
    if (!Object.hasOwn(OPERATION_CHECK_FIELDS, selection.name.value)) return null;
    const rule = OPERATION_CHECK_FIELDS[selection.name.value];
    const argument = selection.arguments?.find((a) => a.name.value === rule.argument);
    const quoted = quotedOperation(argument?.value, rule.field, variables);
    if (quoted === null || (code !== null && quoted !== code)) return null;
    code = quoted;
  }
  return code;
}

/** The grant whose scopes this request gets, or null. */
function requestOperationGrant(
  caller: Caller | null,
  operation: OperationDefinitionNode | null | undefined,
  variables: Variables,
  now: Date,
): OperationGrant | null {
  if (!caller || !operation || caller.operations.length === 0) return null;
  const code = quotedOperationOf(operation, variables);
  return code === null ? null : activeGrant(caller, code, now);
}

/**
 * The caller as this request sees it: its own scopes plus those of the quoted operation's grant (the same caller
 * when the request quotes none). The token's scopes are not changed; the next request starts afresh.
 */
export function withOperationScopes(
  caller: Caller | null,
  operation: OperationDefinitionNode | null | undefined,
  variables: Variables,
  now: Date,
): Caller | null {
  const grant = requestOperationGrant(caller, operation, variables, now);
  if (!caller || !grant || grant.scopes.every((scope) => caller.scopes.has(scope))) return caller;
  return { ...caller, scopes: new Set([...caller.scopes, ...grant.scopes]) };
}
