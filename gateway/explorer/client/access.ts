import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { isSatisfied } from '../../authorization/caller';
import type { AccessRequirement, AccessRules } from './types';

/**
 * The browser side of the access rules: the same rules the gateway enforces (GET /explorer/access.json, read
 * from the supergraph with readAccessRequirements), described in words, checked against the signed-in
 * client's scopes with the gateway's own `isSatisfied`, and tied to the fields of an operation and to the
 * paths of UNAUTHORIZED_FIELD_OR_TYPE errors. Display only: the gateway decides.
 */

/** Who is signed in, as far as the page knows (the token's claims, not verified here: display only). */
export interface ExplorerCaller {
  clientId: string;
  scopes: string[];
  /**
   * Temporary grants of the ACTIVE operations the agency takes part in (token claim `ops`): their scopes count only
   * in a request whose every root field is a check quoting that operation, until `until` (docs/architecture.md).
   */
  operations?: ExplorerOperationGrant[];
}

interface ExplorerOperationGrant {
  code: string;
  scopes: string[];
  borderPoints: string[];
  /** ISO instant: the end of the operation's window. */
  until: string;
}

/** The root fields that may quote an operation (shared/auth/operation-scopes.ts, the rule the hub applies). */
export const OPERATION_CHECK_FIELDS = ['checkDocuments', 'screenPerson', 'reportNoticeMatch'];

function grantsOf(claim: unknown): ExplorerOperationGrant[] {
  if (!Array.isArray(claim)) return [];
  return claim.flatMap((entry: unknown) => {
    const grant = entry as { code?: unknown; scopes?: unknown; border_points?: unknown; until?: unknown };
    if (typeof grant?.code !== 'string' || typeof grant.until !== 'number') return [];
    const strings = (value: unknown) =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    return [
      {
        code: grant.code,
        scopes: strings(grant.scopes),
        borderPoints: strings(grant.border_points),
        until: new Date(grant.until * 1000).toISOString(),
      },
    ];
  });
}

export interface FieldAccess {
  /** "Type.field" */
  coordinate: string;
  /** The field's rule merged with the rule on the type it returns, or null when nothing restricts it. */
  requirement: AccessRequirement | null;
  /** Whether the caller (null: nobody signed in) meets the rule. */
  granted: boolean;
}

/** "scope sltd:read", "scopes a and b", "any of: scope a; scopes b and c", "signed in", "open". */
export function describeRequirement(requirement: AccessRequirement | null | undefined): string {
  if (!requirement) return 'open';
  const parts: string[] = [];
  const groups = (kind: string, dnf: string[][] | null) => {
    if (!dnf || dnf.length === 0) return;
    const words = dnf.map((group) =>
      group.length === 0 ? 'nothing' : `${kind}${group.length > 1 ? 's' : ''} ${group.join(' and ')}`,
    );
    parts.push(words.length === 1 ? words[0] : `any of: ${words.join('; ')}`);
  };
  groups('scope', requirement.scopes);
  groups('policy', requirement.policies);
  if (requirement.authenticated && parts.length === 0) parts.push('signed in');
  else if (requirement.authenticated) parts.unshift('signed in');
  return parts.length === 0 ? 'open' : parts.join(', ');
}

export function isGranted(requirement: AccessRequirement | null, caller: ExplorerCaller | null): boolean {
  if (!requirement) return true;
  return isSatisfied(requirement, {
    authenticated: caller !== null,
    scopes: new Set(caller?.scopes ?? []),
    // Policies are decided by the gateway's policy hooks; the page cannot know them, so it assumes "no".
    policy: () => false,
  });
}

/** The rule that decides whether `Type.field` is returned: its own and that of the type it returns. */
function effectiveRequirement(
  rules: AccessRules,
  parentType: string,
  field: GraphQLField<unknown, unknown> | undefined,
  fieldName: string,
): AccessRequirement | null {
  const own = rules[`${parentType}.${fieldName}`];
  const returned = field ? rules[getNamedType(field.type).name] : undefined;
  if (own && returned)
    return {
      authenticated: own.authenticated || returned.authenticated,
      scopes: conjunction(own.scopes, returned.scopes),
      policies: conjunction(own.policies, returned.policies),
    };
  return own ?? returned ?? null;
}

function conjunction(a: string[][] | null, b: string[][] | null): string[][] | null {
  if (!a || a.length === 0) return b;
  if (!b || b.length === 0) return a;
  return a.flatMap((x) => b.map((y) => [...new Set([...x, ...y])]));
}

/**
 * Appends each field's and type's access rule to its description, so the doc explorer and the editor's hover
 * show it next to the field. Mutates and returns `schema` (a schema the page built itself from the SDL).
 */
export function annotateSchema(schema: GraphQLSchema, rules: AccessRules): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const typeRule = rules[type.name];
    if (typeRule) type.description = withAccess(type.description, typeRule);
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = rules[`${type.name}.${field.name}`];
      field.description = withAccess(field.description, rule ?? null);
    }
  }
  return schema;
}

function withAccess(description: string | null | undefined, rule: AccessRequirement | null): string {
  const line = `**Access:** ${describeRequirement(rule)}`;
  return description ? `${description}\n\n${line}` : line;
}

/** Every field the operation(s) in `document` select, once each, in document order, with its rule. */
export function fieldsOfDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: AccessRules,
  caller: ExplorerCaller | null,
): FieldAccess[] {
  const seen = new Map<string, FieldAccess>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        const coordinate = `${parent.name}.${node.name.value}`;
        if (seen.has(coordinate)) return;
        const requirement = effectiveRequirement(
          rules,
          parent.name,
          typeInfo.getFieldDef() ?? undefined,
          node.name.value,
        );
        seen.set(coordinate, { coordinate, requirement, granted: isGranted(requirement, caller) });
      },
    }),
  );
  return [...seen.values()];
}

/**
 * The "Type.field" an error path points at (`path` uses response keys, so aliases count; numbers and "@" stand
 * for list elements). Follows fragments; null when the path does not match the operation.
 */
export function coordinateOfPath(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  path: readonly (string | number)[],
): string | null {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return null;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  let type: GraphQLNamedType | null | undefined = schema.getRootType(operation.operation);
  let selections: SelectionSetNode[] = [operation.selectionSet];
  let coordinate: string | null = null;
  for (const key of path) {
    if (typeof key === 'number' || key === '@') continue;
    if (!type || !isCompositeType(type)) return null;
    const parentName: string = type.name;
    const matches: { node: FieldNode; parent: string }[] = selections.flatMap((set) =>
      fieldsWithKey(set, key, fragments, parentName, schema),
    );
    if (matches.length === 0) return null;
    const { node, parent } = matches[0];
    const parentType = schema.getType(parent);
    if (!parentType || (!isObjectType(parentType) && !isInterfaceType(parentType))) return null;
    const field: GraphQLField<unknown, unknown> | undefined = parentType.getFields()[node.name.value];
    if (!field) return null;
    coordinate = `${parentType.name}.${field.name}`;
    type = getNamedType(field.type);
    selections = matches.flatMap((m) => (m.node.selectionSet ? [m.node.selectionSet] : []));
  }
  return coordinate;
}

function fieldsWithKey(
  set: SelectionSetNode,
  key: string,
  fragments: Map<string, FragmentDefinitionNode>,
  parent: string,
  schema: GraphQLSchema,
  depth = 0,
): { node: FieldNode; parent: string }[] {
  if (depth > 20) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) {
      return (selection.alias?.value ?? selection.name.value) === key ? [{ node: selection, parent }] : [];
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (!fragment) return [];
    const condition = fragment.typeCondition?.name.value;
    const fragmentParent = condition && schema.getType(condition) ? condition : parent;
    return fieldsWithKey(fragment.selectionSet, key, fragments, fragmentParent, schema, depth + 1);
  });
}

/** The payload of a JWT, for display (the gateway verifies tokens; the page never needs to). */
export function callerFromToken(token: string): ExplorerCaller | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as {
      sub?: unknown;
      scope?: unknown;
      ops?: unknown;
    };
    const operations = grantsOf(claims.ops);
    return {
      clientId: typeof claims.sub === 'string' ? claims.sub : 'unknown',
      scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
      ...(operations.length ? { operations } : {}),
    };
  } catch {
    return null;
  }
}
