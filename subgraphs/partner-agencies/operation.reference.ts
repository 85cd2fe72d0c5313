import type { SubgraphContext } from '../../shared/context';
import type { PartnerLoaders } from './agency.loader';
import type { BorderPoint } from './border-point.entity';
import { OperationReport, type Operation } from './operation.entity';
import { visibleOperation } from './operation.resolver';

type Context = SubgraphContext<PartnerLoaders>;

/**
 * `_entities` lookups of operations referenced by travel-documents and notices (a hit's operation). type-graphql's
 * field middleware does not run here, so the visibility rule is applied again: a caller who may not see the
 * operation gets null (its code, from the referencing subgraph, is all it learns).
 */
export async function resolveOperationReference(
  reference: { code: string },
  context: Context,
): Promise<Operation | null> {
  if (!context.caller) return null;
  return visibleOperation(context, reference.code);
}

/** Border points are not personal data: any verified caller reads them. */
export function resolveBorderPointReference(
  reference: { code: string },
  context: Context,
): Promise<BorderPoint | null> | null {
  if (!context.caller) return null;
  return context.loaders.borderPoint.load(reference.code);
}

/** The report key is built here only (Operation.report); a lookup answers the key as it came. */
export function resolveOperationReportReference(reference: { id: string }): OperationReport {
  return Object.assign(new OperationReport(), { id: reference.id });
}
