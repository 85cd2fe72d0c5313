import type { JWTPayload } from 'jose';
import type { SubgraphContext } from '../context';
import { BadUserInputError, ForbiddenError } from '../errors';
import { auditRefusal } from '../record-gate';
import type { Caller } from './caller';

/**
 * Temporary access that an ACTIVE border-security operation gives one of its participants (docs/architecture.md,
 * operations): extra scopes, valid only for checks made in the operation's context (`{ operation, borderPoint }`)
 * at one of its border points, and only until its window ends. partner-agencies puts one grant per operation in
 * the token's `ops` claim when it issues the token; the gateway and the subgraphs read it from the verified token
 * like every other claim, never from anything else the client sends.
 */
export interface OperationGrant {
  /** The operation's code, e.g. `STOP-2026-CDG`. */
  code: string;
  /** Scopes the operation grants for checks made in its context. */
  scopes: readonly string[];
  /** Codes of the operation's border points (e.g. `FRCDG-T2`); a check in its context names one of them. */
  borderPoints: readonly string[];
  /** End of the operation's window: the grant is void after it, whatever the token's expiry. */
  until: Date;
}

/** The claim that carries the grants: `[{ code, scopes, border_points, until }]`, `until` in seconds since the epoch. */
export const OPERATIONS_CLAIM = 'ops';

interface OperationGrantClaim {
  code: string;
  scopes: string[];
  border_points: string[];
  until: number;
}

/** The claim as partner-agencies signs it. */
export function operationsClaim(grants: readonly OperationGrant[]): OperationGrantClaim[] {
  return grants.map((grant) => ({
    code: grant.code,
    scopes: [...grant.scopes],
    border_points: [...grant.borderPoints],
    until: Math.floor(grant.until.getTime() / 1000),
  }));
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The grants of a verified token. Malformed entries are dropped (they grant nothing); `allowedScopes` filters each
 * grant's scopes through the caller's agency-kind policy, so an operation cannot widen what a kind may ever hold.
 */
export function operationGrantsFromClaims(
  payload: JWTPayload,
  allowedScopes: (scopes: readonly string[]) => string[],
): OperationGrant[] {
  const claim: unknown = payload[OPERATIONS_CLAIM];
  if (!Array.isArray(claim)) return [];
  return claim.flatMap((entry: unknown): OperationGrant[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { code, scopes, border_points: borderPoints, until } = entry as Partial<OperationGrantClaim>;
    if (typeof code !== 'string' || !isStringArray(scopes) || !isStringArray(borderPoints)) return [];
    if (typeof until !== 'number' || !Number.isFinite(until)) return [];
    return [{ code, scopes: allowedScopes(scopes), borderPoints, until: new Date(until * 1000) }];
  });
}

/** The grant of an operation the caller takes part in, if its window is still open at `now`. */
export function activeGrant(caller: Caller, operationCode: string, now: Date): OperationGrant | null {
  return (
    caller.operations.find(
      (grant) => grant.code === operationCode && grant.until.getTime() > now.getTime(),
    ) ?? null
  );
}

/** Where a check is made, as a client sends it (`CheckContextInput`). */
export interface CheckContextInput {
  operation: string;
  borderPoint: string;
}

/** A validated check context, recorded on the check's audit row and on every hit. */
export interface CheckContext {
  operation: string;
  borderPoint: string;
}

/** A refused context, for the trail: the operation only where the caller takes part in it (it may know it). */
interface CheckContextRefusal {
  refusal: 'FORBIDDEN' | 'NOT_FOUND';
  operation: string | null;
}

/**
 * Validates the context of a check (checkDocuments, screenPerson, reportNoticeMatch) that needs `requiredScope`:
 * - no context: an ordinary check, allowed on the caller's own scopes only (null is returned);
 * - a context: the operation must be one the caller takes part in with its window open, and the border point one
 *   of its border points; the scope may then come from the operation's grant.
 * Unknown, closed, cancelled or foreign operations get one and the same answer, so the refusal tells nothing
 * about operations the caller is not part of. `fieldPrefix` names the argument in the error (`context`, `input`).
 */
function resolveCheckContext(
  caller: Caller,
  context: CheckContextInput | null | undefined,
  requiredScope: string,
  now: Date,
  fieldPrefix = 'context',
  refused: (refusal: CheckContextRefusal) => void = () => undefined,
): CheckContext | null {
  if (!context) {
    if (!caller.scopes.has(requiredScope)) {
      refused({ refusal: 'FORBIDDEN', operation: null });
      throw new ForbiddenError(
        `This needs the ${requiredScope} scope, or the context of an operation that grants it`,
      );
    }
    return null;
  }
  const grant = activeGrant(caller, context.operation, now);
  if (!grant) {
    // As NOT_FOUND: the caller may not know the code names anything, so its row names no operation.
    refused({ refusal: 'NOT_FOUND', operation: null });
    throw new BadUserInputError([
      { field: `${fieldPrefix}.operation`, reason: 'is not an ACTIVE operation your agency takes part in' },
    ]);
  }
  if (!grant.borderPoints.includes(context.borderPoint)) {
    refused({ refusal: 'FORBIDDEN', operation: grant.code });
    throw new BadUserInputError([
      { field: `${fieldPrefix}.borderPoint`, reason: `is not one of the border points of ${grant.code}` },
    ]);
  }
  if (!caller.scopes.has(requiredScope) && !grant.scopes.includes(requiredScope)) {
    refused({ refusal: 'FORBIDDEN', operation: grant.code });
    throw new ForbiddenError(`Operation ${grant.code} does not grant ${requiredScope}`);
  }
  return { operation: grant.code, borderPoint: context.borderPoint };
}

/**
 * resolveCheckContext for a request, each refusal an audit row (docs/security.md, "Audit of refusals"): the
 * caller's row names the field it called (`field`) and, when it takes part in it, the operation; an unknown,
 * closed or foreign operation is NOT_FOUND with no code, as operation(code) answers it.
 */
export function auditedCheckContext(
  ctx: Pick<SubgraphContext<unknown>, 'audit' | 'now'>,
  caller: Caller,
  context: CheckContextInput | null | undefined,
  requiredScope: string,
  field: string,
  fieldPrefix = 'context',
): CheckContext | null {
  return resolveCheckContext(
    caller,
    context,
    requiredScope,
    ctx.now(),
    fieldPrefix,
    ({ refusal, operation }) =>
      auditRefusal(ctx, 'Operation', field, refusal, operation ? { recordId: operation } : {}),
  );
}
