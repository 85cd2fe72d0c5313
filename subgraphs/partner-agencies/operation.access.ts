import type { Caller } from '../../shared/auth/caller';
import type { OperationReportView } from '../../shared/schema/operation-report-key';
import type { Operation, OperationParticipant } from './operation.entity';

/**
 * Who sees an operation, and how much of it (docs/architecture.md, operations): the General Secretariat and the
 * coordinator see all of it; a participant sees it with the figures of its own border points; anyone else does
 * not learn that it exists (NOT_FOUND, the same answer as for a code nobody used).
 */
export function mayManage(caller: Caller, operation: Pick<Operation, 'coordinatorId'>): boolean {
  return caller.agencyKind === 'GENERAL_SECRETARIAT' || caller.agencyId === operation.coordinatorId;
}

export function maySee(
  caller: Caller,
  operation: Pick<Operation, 'coordinatorId'>,
  participants: readonly OperationParticipant[],
): boolean {
  return mayManage(caller, operation) || participants.some((p) => p.agencyId === caller.agencyId);
}

/** The border points a participant is assigned: its own list, or all of the operation's when it has none. */
function assignedBorderPoints(
  participant: Pick<OperationParticipant, 'borderPoints'>,
  operationBorderPoints: readonly string[],
): string[] {
  if (participant.borderPoints === null) return [...operationBorderPoints];
  return operationBorderPoints.filter((code) => participant.borderPoints?.includes(code));
}

/** The caller's view of the operation's report, or null when it may not see the operation. */
export function reportViewOf(
  caller: Caller,
  operation: Pick<Operation, 'code' | 'coordinatorId'>,
  participants: readonly OperationParticipant[],
  operationBorderPoints: readonly string[],
): OperationReportView | null {
  if (mayManage(caller, operation)) return { operation: operation.code, borderPoints: operationBorderPoints };
  const own = participants.find((p) => p.agencyId === caller.agencyId);
  return own
    ? { operation: operation.code, borderPoints: assignedBorderPoints(own, operationBorderPoints) }
    : null;
}
