import { BadUserInputError } from '../errors';

/**
 * The key of an `OperationReport` entity: which operation, and which of its border points the caller's view
 * covers. partner-agencies builds it (it alone knows the coordinator and the participants); travel-documents and
 * notices read it to count only what that view may see. It reaches them only inside the gateway's plan.
 */
export interface OperationReportView {
  operation: string;
  /** Border point codes the caller's figures cover (all of the operation's for its coordinator). */
  borderPoints: readonly string[];
}

export function reportKey(view: OperationReportView): string {
  return `${view.operation}|${[...view.borderPoints].sort().join(',')}`;
}

export function parseReportKey(id: string): OperationReportView {
  const separator = id.indexOf('|');
  if (separator <= 0)
    throw new BadUserInputError([{ field: 'id', reason: 'is not an operation report key' }]);
  const points = id.slice(separator + 1);
  return { operation: id.slice(0, separator), borderPoints: points === '' ? [] : points.split(',') };
}
