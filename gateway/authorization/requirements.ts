import {
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type EnumTypeDefinitionNode,
  type EnumTypeExtensionNode,
  type InterfaceTypeDefinitionNode,
  type InterfaceTypeExtensionNode,
  Kind,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  parse,
  type ScalarTypeDefinitionNode,
  type ScalarTypeExtensionNode,
  type UnionTypeDefinitionNode,
  type UnionTypeExtensionNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * What a caller needs to see one field or one type. `scopes` and `policies` are in disjunctive normal form:
 * the outer list is OR, each inner list is AND. `null` (no directive) and `[]` both mean "no restriction",
 * as in Apollo Router.
 */
export interface AccessRequirement {
  authenticated: boolean;
  scopes: string[][] | null;
  policies: string[][] | null;
}

type AuthorizationSpec = 'authenticated' | 'requiresScopes' | 'policy';

const AUTHORIZATION_SPECS: readonly AuthorizationSpec[] = ['authenticated', 'requiresScopes', 'policy'];
const SPEC_URL = /^https?:\/\/specs\.apollo\.dev\/([A-Za-z_][A-Za-z0-9_]*)\/v\d+\.\d+\/?$/;

/**
 * Reads every @authenticated / @requiresScopes / @policy application in a supergraph (or any SDL) into a map
 * keyed "Type.field" for fields and "Type" for types. Handles the @link `as:` renames.
 */
export function readAccessRequirements(sdl: string | DocumentNode): Map<string, AccessRequirement> {
  const document = typeof sdl === 'string' ? parse(sdl, { noLocation: true }) : sdl;
  const specByDirectiveName = resolveDirectiveNames(document);
  const requirements = new Map<string, AccessRequirement>();
  const add = (key: string, directives: readonly ConstDirectiveNode[] | undefined): void => {
    const found = requirementFromDirectives(directives, specByDirectiveName);
    if (found === null) return;
    const previous = requirements.get(key);
    // Type extensions may add a second application to the same element: both must hold.
    requirements.set(key, previous ? mergeRequirements(previous, found) : found);
  };
  for (const definition of document.definitions) {
    if (!isDirectableTypeNode(definition)) continue;
    const typeName = definition.name.value;
    add(typeName, definition.directives);
    if (!isOutputTypeNode(definition)) continue;
    for (const field of definition.fields ?? []) add(`${typeName}.${field.name.value}`, field.directives);
  }
  return requirements;
}

/** Both requirements must hold: scopes and policies combine as a cross product of their AND-sets. */
export function mergeRequirements(a: AccessRequirement, b: AccessRequirement): AccessRequirement {
  return {
    authenticated: a.authenticated || b.authenticated,
    scopes: conjunction(a.scopes, b.scopes),
    policies: conjunction(a.policies, b.policies),
  };
}

/**
 * A canonical text for a requirement, so requirements can be compared for equality the way Router compares
 * implementations of an interface (order-insensitive, absent === empty).
 */
export function canonicalRequirement(requirement: AccessRequirement | undefined): string {
  if (requirement === undefined) return '';
  return JSON.stringify([
    requirement.authenticated,
    canonicalNormalForm(requirement.scopes),
    canonicalNormalForm(requirement.policies),
  ]);
}

/** Every scope name and every policy name that occurs in the requirements, sorted and deduplicated. */
export function namesInRequirements(requirements: Iterable<AccessRequirement>): {
  scopes: string[];
  policies: string[];
} {
  const scopes = new Set<string>();
  const policies = new Set<string>();
  for (const requirement of requirements) {
    for (const group of requirement.scopes ?? []) for (const scope of group) scopes.add(scope);
    for (const group of requirement.policies ?? []) for (const policy of group) policies.add(policy);
  }
  return { scopes: [...scopes].sort(), policies: [...policies].sort() };
}

function canonicalNormalForm(groups: string[][] | null): string[][] {
  if (groups === null) return [];
  const sortedGroups = groups.map((group) => [...new Set(group)].sort());
  const unique = new Map(sortedGroups.map((group) => [JSON.stringify(group), group]));
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

function conjunction(a: string[][] | null, b: string[][] | null): string[][] | null {
  if (a === null || a.length === 0) return b;
  if (b === null || b.length === 0) return a;
  return a.flatMap((left) => b.map((right) => [...new Set([...left, ...right])]));
}

type OutputTypeNode =
  | ObjectTypeDefinitionNode
  | ObjectTypeExtensionNode
  | InterfaceTypeDefinitionNode
  | InterfaceTypeExtensionNode;

type DirectableTypeNode =
  | OutputTypeNode
  | ScalarTypeDefinitionNode
  | ScalarTypeExtensionNode
  | EnumTypeDefinitionNode
  | EnumTypeExtensionNode
  | UnionTypeDefinitionNode
  | UnionTypeExtensionNode;

const DIRECTABLE_TYPE_KINDS: ReadonlySet<string> = new Set([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.UNION_TYPE_EXTENSION,
]);

function isDirectableTypeNode(definition: DefinitionNode): definition is DirectableTypeNode {
  return DIRECTABLE_TYPE_KINDS.has(definition.kind);
}

function isOutputTypeNode(definition: DirectableTypeNode): definition is OutputTypeNode {
  return (
    definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
    definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    definition.kind === Kind.INTERFACE_TYPE_EXTENSION
  );
}

/**
 * Maps the local directive names to the spec they implement. A document without any @link (a hand-written
 * API schema, a Federation 1 style SDL) uses the spec names as they are; once @link is in use, only the names
 * that a link actually brings in count, so an unrelated directive that happens to be called @policy is
 * not mistaken for the authorization one.
 */
function resolveDirectiveNames(document: DocumentNode): Map<string, AuthorizationSpec> {
  const links = collectSpecLinks(document);
  const names = new Map<string, AuthorizationSpec>();
  if (links.length === 0) {
    for (const spec of AUTHORIZATION_SPECS) names.set(spec, spec);
    return names;
  }
  for (const link of links) {
    if (isAuthorizationSpec(link.spec)) {
      names.set(link.imports.get(`@${link.spec}`) ?? link.as ?? link.spec, link.spec);
    } else if (link.spec === 'federation') {
      // A subgraph SDL: imported directives keep their (possibly renamed) name, the rest are namespaced.
      const prefix = link.as ?? 'federation';
      for (const spec of AUTHORIZATION_SPECS) {
        names.set(link.imports.get(`@${spec}`) ?? `${prefix}__${spec}`, spec);
      }
    }
  }
  return names;
}

interface SpecLink {
  spec: string;
  as: string | undefined;
  /** "@imported" -> local name without "@" */
  imports: Map<string, string>;
}

function isAuthorizationSpec(spec: string): spec is AuthorizationSpec {
  return (AUTHORIZATION_SPECS as readonly string[]).includes(spec);
}

function collectSpecLinks(document: DocumentNode): SpecLink[] {
  const links: SpecLink[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    // Any schema directive with a specs.apollo.dev url is a link, which also covers a renamed @link itself.
    for (const directive of definition.directives ?? []) {
      const args = directiveArguments(directive);
      const url = args.get('url');
      const match = typeof url === 'string' ? SPEC_URL.exec(url) : null;
      if (!match) continue;
      const as = args.get('as');
      links.push({
        spec: match[1],
        as: typeof as === 'string' ? as : undefined,
        imports: readImports(args.get('import')),
      });
    }
  }
  return links;
}

function readImports(value: unknown): Map<string, string> {
  const imports = new Map<string, string>();
  if (!Array.isArray(value)) return imports;
  for (const entry of value) {
    if (typeof entry === 'string') {
      imports.set(entry, stripAt(entry));
    } else if (isRecord(entry) && typeof entry.name === 'string') {
      imports.set(entry.name, stripAt(typeof entry.as === 'string' ? entry.as : entry.name));
    }
  }
  return imports;
}

function stripAt(name: string): string {
  return name.startsWith('@') ? name.slice(1) : name;
}

function requirementFromDirectives(
  directives: readonly ConstDirectiveNode[] | undefined,
  specByDirectiveName: ReadonlyMap<string, AuthorizationSpec>,
): AccessRequirement | null {
  let requirement: AccessRequirement | null = null;
  for (const directive of directives ?? []) {
    const spec = specByDirectiveName.get(directive.name.value);
    if (spec === undefined) continue;
    const args = directiveArguments(directive);
    const found: AccessRequirement = {
      authenticated: spec === 'authenticated',
      scopes: spec === 'requiresScopes' ? toNormalForm(args.get('scopes')) : null,
      policies: spec === 'policy' ? toNormalForm(args.get('policies')) : null,
    };
    requirement = requirement ? mergeRequirements(requirement, found) : found;
  }
  return requirement;
}

/** Applies GraphQL list input coercion: `scopes: "a"` reads as [["a"]], `["a", "b"]` as [["a"], ["b"]]. */
function toNormalForm(value: unknown): string[][] {
  if (value === undefined || value === null) return [];
  const groups = Array.isArray(value) ? value : [value];
  return groups.map((group) => (Array.isArray(group) ? group : [group]).filter(isString));
}

function directiveArguments(directive: ConstDirectiveNode): Map<string, unknown> {
  return new Map(
    (directive.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]),
  );
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
