import { isEditable, OperationStatuses, transition, type OperationTransition } from './operation-status';

describe('operation status', () => {
  it('moves PLANNED → ACTIVE → CLOSED', () => {
    expect(transition('PLANNED', 'activate')).toEqual({ ok: true, status: 'ACTIVE' });
    expect(transition('ACTIVE', 'close')).toEqual({ ok: true, status: 'CLOSED' });
  });

  it('cancels a PLANNED or ACTIVE operation', () => {
    expect(transition('PLANNED', 'cancel')).toEqual({ ok: true, status: 'CANCELLED' });
    expect(transition('ACTIVE', 'cancel')).toEqual({ ok: true, status: 'CANCELLED' });
  });

  it('refuses every other move, saying why', () => {
    const allowed = new Set(['PLANNED:activate', 'ACTIVE:close', 'PLANNED:cancel', 'ACTIVE:cancel']);
    const actions: OperationTransition[] = ['activate', 'close', 'cancel'];
    for (const status of OperationStatuses) {
      for (const action of actions) {
        if (allowed.has(`${status}:${action}`)) continue;
        const result = transition(status, action);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.reason).toContain(`the operation is ${status}`);
      }
    }
    expect(transition('PLANNED', 'close')).toEqual({
      ok: false,
      reason: 'the operation is PLANNED; only ACTIVE operations can be closed',
    });
  });

  it('is edited only while PLANNED or ACTIVE', () => {
    expect(OperationStatuses.filter(isEditable)).toEqual(['PLANNED', 'ACTIVE']);
  });
});
