import {
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isListType,
  isObjectType,
  isWrappingType,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
} from 'graphql';
import { type AccessRequirement, canonicalRequirement } from './requirements';

/** `__schema` and `__type` behave as if they carried @requiresScopes(scopes: [["schema:read"]]). */
const INTROSPECTION_REQUIREMENT: AccessRequirement = Object.freeze({
  authenticated: false,
  scopes: [['schema:read']],
  policies: null,
});

/** Everything the filter needs to know about one field of one parent type, independent of the caller. */
export interface FieldRule {
  /** All must be satisfied: the field's own requirement and the one on its (unwrapped) return type. */
  readonly checks: readonly AccessRequirement[];
  /**
   * The parent is an interface whose implementations guard this field differently. Router refuses such a
   * selection for every caller: the client has to ask through fragments on the implementations.
   */
  readonly implementationsDisagree: boolean;
  /**
   * The field returns an interface whose implementations carry different type-level rules. Router then
   * refuses the field when its selection asks for anything but __typename outside of fragments.
   */
  readonly returnedImplementationsDisagree: boolean;
  readonly returnType: GraphQLNamedType;
  /** How many list levels wrap the return type, i.e. how many "@" follow the field's key in a path. */
  readonly listDepth: number;
  /** The concrete types that an object returned by this field can have. */
  readonly possibleTypes: readonly GraphQLObjectType[];
}

/**
 * Per-schema knowledge, compiled lazily and memoised so that each (type, field) pair is analysed once for the
 * lifetime of the schema, not once per request.
 */
export class AccessRules {
  private readonly fieldRules = new Map<GraphQLCompositeType, Map<string, FieldRule | null>>();

  constructor(
    readonly schema: GraphQLSchema,
    private readonly requirements: ReadonlyMap<string, AccessRequirement>,
  ) {}

  typeRequirement(type: GraphQLNamedType): AccessRequirement | undefined {
    return this.requirements.get(type.name);
  }

  /** null when the field does not exist on the type (the document was not validated against this schema). */
  field(parentType: GraphQLCompositeType, fieldName: string): FieldRule | null {
    let byName = this.fieldRules.get(parentType);
    if (byName === undefined) {
      byName = new Map();
      this.fieldRules.set(parentType, byName);
    }
    let rule = byName.get(fieldName);
    if (rule === undefined) {
      rule = this.compileField(parentType, fieldName);
      byName.set(fieldName, rule);
    }
    return rule;
  }

  private compileField(parentType: GraphQLCompositeType, fieldName: string): FieldRule | null {
    const introspection = this.introspectionField(parentType, fieldName);
    const field = introspection ?? fieldOf(parentType, fieldName);
    if (field === undefined) return null;
    const returnType = getNamedType(field.type);
    const checks = introspection
      ? [INTROSPECTION_REQUIREMENT]
      : [this.requirements.get(`${parentType.name}.${fieldName}`), this.requirements.get(returnType.name)];
    return {
      checks: checks.filter((check): check is AccessRequirement => check !== undefined),
      implementationsDisagree:
        isInterfaceType(parentType) &&
        this.disagree(parentType, (implementation) => `${implementation.name}.${fieldName}`),
      returnedImplementationsDisagree:
        isInterfaceType(returnType) && this.disagree(returnType, (implementation) => implementation.name),
      returnType,
      listDepth: listDepth(field.type),
      possibleTypes: this.possibleTypes(returnType),
    };
  }

  possibleTypes(type: GraphQLNamedType): readonly GraphQLObjectType[] {
    if (isAbstractType(type)) return this.schema.getPossibleTypes(type);
    return isObjectType(type) ? [type] : [];
  }

  private introspectionField(
    parentType: GraphQLCompositeType,
    fieldName: string,
  ): GraphQLField<unknown, unknown> | undefined {
    if (parentType !== this.schema.getQueryType()) return undefined;
    if (fieldName === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (fieldName === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    return undefined;
  }

  private disagree(
    abstractType: GraphQLInterfaceType,
    requirementKey: (implementation: GraphQLNamedType) => string,
  ): boolean {
    const { objects, interfaces } = this.schema.getImplementations(abstractType);
    const seen = new Set<string>();
    for (const implementation of [...objects, ...interfaces]) {
      seen.add(canonicalRequirement(this.requirements.get(requirementKey(implementation))));
      if (seen.size > 1) return true;
    }
    return false;
  }
}

function fieldOf(
  parentType: GraphQLCompositeType,
  fieldName: string,
): GraphQLField<unknown, unknown> | undefined {
  if (!isObjectType(parentType) && !isInterfaceType(parentType)) return undefined;
  return parentType.getFields()[fieldName];
}

function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  let current: GraphQLOutputType = type;
  while (isWrappingType(current)) {
    if (isListType(current)) depth += 1;
    current = current.ofType;
  }
  return depth;
}
