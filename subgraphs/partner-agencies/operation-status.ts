/**
 * The life of a border-security operation: PLANNED → ACTIVE → CLOSED, or CANCELLED before it closes. A pure
 * function, so the rule is tested on its own (operation-status.spec.ts) and applied under the operation's row lock.
 */
export const OperationStatuses = ['PLANNED', 'ACTIVE', 'CLOSED', 'CANCELLED'] as const;
export type OperationStatus = (typeof OperationStatuses)[number];

export type OperationTransition = 'activate' | 'close' | 'cancel';

const NEXT: Record<OperationTransition, { from: readonly OperationStatus[]; to: OperationStatus }> = {
  activate: { from: ['PLANNED'], to: 'ACTIVE' },
  close: { from: ['ACTIVE'], to: 'CLOSED' },
  cancel: { from: ['PLANNED', 'ACTIVE'], to: 'CANCELLED' },
};

export type TransitionResult = { ok: true; status: OperationStatus } | { ok: false; reason: string };

export function transition(current: OperationStatus, action: OperationTransition): TransitionResult {
  const rule = NEXT[action];
  if (rule.from.includes(current)) return { ok: true, status: rule.to };
  return {
    ok: false,
    reason: `the operation is ${current}; only ${rule.from.join(' or ')} operations can be ${
      action === 'activate' ? 'activated' : action === 'close' ? 'closed' : 'cancelled'
    }`,
  };
}

/** Name, purpose, window, participants and border points change while the operation is PLANNED or ACTIVE. */
export function isEditable(status: OperationStatus): boolean {
  return status === 'PLANNED' || status === 'ACTIVE';
}
