import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { OperationLimits } from './config';
import { type LimitName, operationLimitError } from './errors';

/**
 * The operation's shape against Apollo Router's limits, as validation rules (they run once per distinct
 * document: Apollo Server caches validated documents). Depth and aliases are GraphQL Armor's rules, which count
 * through fragments and remember each fragment's count; height and root fields, which Armor does not measure,
 * are counted here the same way. Armor reports only its message, so the measured value is read back from it.
 */
export function operationShapeRules(
  limits: Pick<OperationLimits, 'maxDepth' | 'maxAliases' | 'maxHeight' | 'maxRootFields'>,
): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      // As in Router: a fragment is not a level of its own, and introspection is measured like any field.
      flattenFragments: true,
      ignoreIntrospection: false,
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [reportArmorRefusal('maxDepth', limits.maxDepth)],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      allowList: [],
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [reportArmorRefusal('maxAliases', limits.maxAliases)],
    }),
    heightAndRootFieldsRule(limits),
  ];
}

/** Armor's messages end with "found <n>." when exposeLimits is on. */
const ARMOR_MEASURED = /found (\d+)\.?$/;

function reportArmorRefusal(limit: LimitName, maximum: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const measured = ARMOR_MEASURED.exec(error.message);
    if (!context) return;
    if (!measured) {
      // A changed message format must not let the operation through: report the limit without a measure.
      context.reportError(operationLimitError({ limit, maximum, measured: maximum + 1 }));
      return;
    }
    context.reportError(operationLimitError({ limit, maximum, measured: Number(measured[1]) }));
  };
}

interface ShapeCounts {
  height: number;
  rootFields: number;
}

/**
 * Router's height (fields selected, a field repeated under the same response key in one selection set counted
 * once, a fragment counted at every spread) and root fields (the root selection's fields, fragments included).
 */
function measureHeightAndRootFields(
  operation: OperationDefinitionNode,
  fragments: (name: string) => FragmentDefinitionNode | null | undefined,
): ShapeCounts {
  const memo = new Map<string, ShapeCounts | 'in progress'>();
  const count = (selectionSet: SelectionSetNode): ShapeCounts => {
    const counts: ShapeCounts = { height: 0, rootFields: 0 };
    const seen = new Set<string>();
    for (const selection of selectionSet.selections) {
      let nested: ShapeCounts;
      if (selection.kind === Kind.FIELD) {
        if (selection.selectionSet) counts.height += count(selection.selectionSet).height;
        const responseKey = (selection.alias ?? selection.name).value;
        if (seen.has(responseKey)) continue;
        seen.add(responseKey);
        counts.height += 1;
        counts.rootFields += 1;
        continue;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        nested = count(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const known = memo.get(name);
        // A cycle or an unknown fragment: the document is invalid and other rules report it.
        if (known === 'in progress') continue;
        if (known === undefined) {
          const definition = fragments(name);
          if (!definition) continue;
          memo.set(name, 'in progress');
          nested = count(definition.selectionSet);
          memo.set(name, nested);
        } else {
          nested = known;
        }
      }
      counts.height += nested.height;
      counts.rootFields += nested.rootFields;
    }
    return counts;
  };
  return count(operation.selectionSet);
}

function heightAndRootFieldsRule(
  limits: Pick<OperationLimits, 'maxHeight' | 'maxRootFields'>,
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const measured = measureHeightAndRootFields(operation, (name) => context.getFragment(name));
      if (measured.height > limits.maxHeight) {
        context.reportError(
          operationLimitError({ limit: 'maxHeight', maximum: limits.maxHeight, measured: measured.height }),
        );
      }
      if (measured.rootFields > limits.maxRootFields) {
        context.reportError(
          operationLimitError({
            limit: 'maxRootFields',
            maximum: limits.maxRootFields,
            measured: measured.rootFields,
          }),
        );
      }
      return false;
    },
  });
}
