import type { EntityManager } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import type { SubgraphContext } from '../../shared/context';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from '../../shared/errors';
import { isUuid } from '../../shared/loaders';
import { auditRefusal } from '../../shared/record-gate';
import { InputValidator } from '../../shared/validation';
import { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';
import { BORDER_POINT_CODE, BorderPoint } from './border-point.entity';
import { mayManage, maySee } from './operation.access';
import {
  MAX_OPERATION_DAYS,
  Operation,
  OPERATION_CODE,
  OPERATION_GRANTABLE_SCOPES,
  OperationBorderPoint,
  OperationParticipant,
} from './operation.entity';
import type { ParticipantInput, PlanOperationInput, UpdateOperationInput } from './operation.input';
import { borderPointCodesOf, lockOperation, participantsOf } from './operation.repository';
import { isEditable, transition, type OperationTransition } from './operation-status';

type Context = SubgraphContext<PartnerLoaders>;

const DAY_MS = 86_400_000;

/**
 * Operations are managed with `operations:manage` (the field rule) by the General Secretariat, which may manage any,
 * and by a bureau, which manages those it coordinates; the agency-kind policy keeps the scope to those two kinds,
 * and this asks it again of the caller's agency.
 */
function managerOf(ctx: Context, mutation: string): Caller {
  const caller = ctx.caller;
  if (!caller) throw new UnauthenticatedError();
  if (caller.agencyKind !== 'GENERAL_SECRETARIAT' && caller.agencyKind !== 'NCB') {
    auditRefusal(ctx, 'Operation', mutation, 'FORBIDDEN');
    throw new ForbiddenError(
      'Operations are managed by the General Secretariat and National Central Bureaus',
    );
  }
  return caller;
}

/**
 * The operation, locked for the rest of the transaction, if the caller may manage it: NOT_FOUND when it may not
 * even see it (no hint that it exists), FORBIDDEN when it sees it as a participant only.
 */
async function managedOperation(
  tx: EntityManager,
  ctx: Context,
  caller: Caller,
  mutation: string,
  code: string,
): Promise<Operation> {
  const operation = OPERATION_CODE.test(code) ? await lockOperation(tx, code) : null;
  // Read whether the operation exists or not: a hidden one costs the statements an absent one does.
  const participants = OPERATION_CODE.test(code) ? await participantsOf(tx, code) : [];
  if (!operation || !maySee(caller, operation, participants)) {
    auditOperationNotFound(ctx, mutation, operation);
    throw new NotFoundError('Operation');
  }
  if (!mayManage(caller, operation)) {
    // The caller sees it (a participant): its row may name it, for its coordinator.
    auditRefusal(ctx, 'Operation', mutation, 'FORBIDDEN', {
      recordId: operation.code,
      ownerAgencyId: operation.coordinatorId,
    });
    throw new ForbiddenError('Only the General Secretariat and its coordinator manage this operation');
  }
  return operation;
}

/**
 * NOT_FOUND of an operation, for the trail (docs/security.md, "Audit of refusals"), as the record gate writes it:
 * the caller's row names the field and no operation; an operation that exists but is hidden from the caller gets
 * a copy naming it for its coordinator, who owns it.
 */
export function auditOperationNotFound(
  ctx: Pick<Context, 'audit'>,
  field: string,
  hidden: Pick<Operation, 'code' | 'coordinatorId'> | null,
): void {
  auditRefusal(ctx, 'Operation', field, 'NOT_FOUND');
  if (hidden)
    auditRefusal(ctx, 'Operation', field, 'NOT_FOUND', {
      recordId: hidden.code,
      ownerAgencyId: hidden.coordinatorId,
      hiddenFromCaller: true,
    });
}

function requireEditable(operation: Operation): void {
  if (!isEditable(operation.status))
    throw new ConflictError(`The operation is ${operation.status}: it can no longer be changed`, 'code');
}

function checkWindow(v: InputValidator, startsAt: Date, endsAt: Date, now: Date, prefix = ''): void {
  if (Number.isNaN(startsAt.getTime())) v.problem(`${prefix}startsAt`, 'is not a date-time');
  if (Number.isNaN(endsAt.getTime())) return v.problem(`${prefix}endsAt`, 'is not a date-time');
  if (endsAt <= startsAt) v.problem(`${prefix}endsAt`, 'must be after startsAt');
  else if (endsAt.getTime() - startsAt.getTime() > MAX_OPERATION_DAYS * DAY_MS)
    v.problem(`${prefix}endsAt`, `must be at most ${MAX_OPERATION_DAYS} days after startsAt`);
  if (endsAt <= now) v.problem(`${prefix}endsAt`, 'must be in the future');
}

/** Border point codes, upper-cased, each well-formed, listed once and on file. */
async function borderPointCodes(
  db: Pick<EntityManager, 'getRepository'>,
  v: InputValidator,
  field: string,
  values: readonly string[],
): Promise<string[]> {
  const codes = values.map((value) => value.trim().toUpperCase());
  const wellFormed = codes.filter((code, i) => {
    if (!BORDER_POINT_CODE.test(code)) {
      v.problem(`${field}.${i}`, `${values[i]} is not a border point code (UN/LOCODE, e.g. FRCDG-T2)`);
      return false;
    }
    if (codes.indexOf(code) !== i) v.problem(`${field}.${i}`, `${code} is listed twice`);
    return true;
  });
  const known = wellFormed.length
    ? new Set(
        (await db.getRepository(BorderPoint).findBy(wellFormed.map((code) => ({ code })))).map((b) => b.code),
      )
    : new Set<string>();
  codes.forEach((code, i) => {
    if (BORDER_POINT_CODE.test(code) && !known.has(code))
      v.problem(`${field}.${i}`, `${code} is not a known border point`);
  });
  return [...new Set(codes)].sort();
}

interface CheckedParticipant {
  agencyId: string;
  borderPoints: string[] | null;
}

/** Participants: agencies on file, listed once, at border points of the operation. */
async function checkParticipants(
  db: Pick<EntityManager, 'getRepository'>,
  v: InputValidator,
  field: string,
  participants: readonly ParticipantInput[],
  operationBorderPoints: readonly string[],
): Promise<CheckedParticipant[]> {
  const ids = participants.map((p) => p.agencyId.trim().toLowerCase());
  const valid = ids.filter(isUuid);
  const agencies = valid.length
    ? new Set((await db.getRepository(Agency).findBy(valid.map((id) => ({ id })))).map((a) => a.id))
    : new Set<string>();
  return participants.map((participant, i) => {
    const id = ids[i];
    if (!agencies.has(id)) v.problem(`${field}.${i}.agencyId`, 'is not an agency');
    else if (ids.indexOf(id) !== i) v.problem(`${field}.${i}.agencyId`, 'is listed twice');
    if (participant.borderPoints === null || participant.borderPoints === undefined)
      return { agencyId: id, borderPoints: null };
    if (participant.borderPoints.length === 0)
      v.problem(`${field}.${i}.borderPoints`, 'must list at least one border point, or be omitted for all');
    const codes = participant.borderPoints.map((code) => code.trim().toUpperCase());
    codes.forEach((code, j) => {
      if (!operationBorderPoints.includes(code))
        v.problem(`${field}.${i}.borderPoints.${j}`, `${code} is not a border point of the operation`);
    });
    return { agencyId: id, borderPoints: [...new Set(codes)].sort() };
  });
}

export async function planOperation(ctx: Context, input: PlanOperationInput): Promise<Operation> {
  const caller = managerOf(ctx, 'planOperation');
  const now = ctx.now();
  const v = new InputValidator('input', now);
  const code = v.text('code', input.code, 60)?.toUpperCase() ?? null;
  if (code && !OPERATION_CODE.test(code))
    v.problem(
      'code',
      'must be like STOP-2026-CDG: a capital letter, letters or digits, then 1 to 4 dash-separated parts',
    );
  const name = v.text('name', input.name, 200);
  const purpose = v.text('purpose', input.purpose, 2000);
  checkWindow(v, input.startsAt, input.endsAt, now);
  const scopes = [...new Set(input.grantedScopes)];
  if (scopes.length === 0) v.problem('grantedScopes', 'must list at least one scope');
  input.grantedScopes.forEach((scope, i) => {
    if (!OPERATION_GRANTABLE_SCOPES.includes(scope))
      v.problem(
        `grantedScopes.${i}`,
        `${scope} is not a scope an operation grants (${OPERATION_GRANTABLE_SCOPES.join(', ')})`,
      );
  });
  let coordinatorId = caller.agencyId;
  if (input.coordinatorId && input.coordinatorId !== caller.agencyId) {
    if (caller.agencyKind !== 'GENERAL_SECRETARIAT') {
      v.problem(
        'coordinatorId',
        'a bureau plans the operations it coordinates itself: omit it or name your agency',
      );
    } else {
      const coordinator = isUuid(input.coordinatorId)
        ? await ctx.db.getRepository(Agency).findOneBy({ id: input.coordinatorId })
        : null;
      if (!coordinator || (coordinator.kind !== 'NCB' && coordinator.kind !== 'GENERAL_SECRETARIAT'))
        v.problem('coordinatorId', 'must be the General Secretariat or an NCB');
      else coordinatorId = coordinator.id;
    }
  }
  return ctx.db.transaction(async (tx) => {
    const points = await borderPointCodes(tx, v, 'borderPoints', input.borderPoints ?? []);
    const participants = await checkParticipants(tx, v, 'participants', input.participants ?? [], points);
    v.throwIfInvalid();
    // A taken code is refused by the primary key, also between two plans at once: CONFLICT on input.code.
    await tx.getRepository(Operation).insert({
      code: code ?? '',
      name: name ?? '',
      kind: input.kind,
      purpose: purpose ?? '',
      coordinatorId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      status: 'PLANNED',
      grantedScopes: scopes.sort(),
    });
    await insertBorderPoints(tx, code ?? '', points);
    await upsertParticipants(tx, code ?? '', participants);
    await ctx.audit.write(tx, {
      action: 'CREATE',
      recordType: 'Operation',
      recordId: code ?? '',
      ownerAgencyId: coordinatorId,
      fields: Object.keys(input).sort(),
      details: {
        status: 'PLANNED',
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        grantedScopes: scopes.sort(),
        borderPoints: points,
        participants: participants.map((p) => p.agencyId),
      },
    });
    return tx.getRepository(Operation).findOneByOrFail({ code: code ?? '' });
  });
}

async function insertBorderPoints(tx: EntityManager, operationCode: string, codes: readonly string[]) {
  if (codes.length === 0) return;
  await tx
    .createQueryBuilder()
    .insert()
    .into(OperationBorderPoint)
    .values(codes.map((borderPointCode) => ({ operationCode, borderPointCode })))
    .orIgnore()
    .execute();
}

async function upsertParticipants(
  tx: EntityManager,
  operationCode: string,
  participants: readonly CheckedParticipant[],
) {
  if (participants.length === 0) return;
  await tx
    .createQueryBuilder()
    .insert()
    .into(OperationParticipant)
    .values(participants.map((p) => ({ operationCode, agencyId: p.agencyId, borderPoints: p.borderPoints })))
    .orUpdate(['border_points'], ['operation_code', 'agency_id'])
    .execute();
}

export async function updateOperation(
  ctx: Context,
  code: string,
  input: UpdateOperationInput,
): Promise<Operation> {
  const caller = managerOf(ctx, 'updateOperation');
  const now = ctx.now();
  const v = new InputValidator('input', now);
  const name = input.name === undefined || input.name === null ? null : v.text('name', input.name, 200);
  const purpose =
    input.purpose === undefined || input.purpose === null ? null : v.text('purpose', input.purpose, 2000);
  v.throwIfInvalid();
  return ctx.db.transaction(async (tx) => {
    const operation = await managedOperation(tx, ctx, caller, 'updateOperation', code);
    requireEditable(operation);
    const startsAt = input.startsAt ?? operation.startsAt;
    const endsAt = input.endsAt ?? operation.endsAt;
    const windowChanged =
      startsAt.getTime() !== operation.startsAt.getTime() || endsAt.getTime() !== operation.endsAt.getTime();
    if (windowChanged) checkWindow(v, startsAt, endsAt, now);
    v.throwIfInvalid();
    const changes: Partial<Operation> = {};
    if (name !== null && name !== operation.name) changes.name = name;
    if (purpose !== null && purpose !== operation.purpose) changes.purpose = purpose;
    if (startsAt.getTime() !== operation.startsAt.getTime()) changes.startsAt = startsAt;
    if (endsAt.getTime() !== operation.endsAt.getTime()) changes.endsAt = endsAt;
    if (Object.keys(changes).length === 0) return operation;
    await tx.getRepository(Operation).update({ code: operation.code }, changes);
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'Operation',
      recordId: operation.code,
      ownerAgencyId: operation.coordinatorId,
      fields: Object.keys(changes).sort(),
      details: windowChanged
        ? {
            window: {
              from: { startsAt: operation.startsAt.toISOString(), endsAt: operation.endsAt.toISOString() },
              to: { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
            },
          }
        : undefined,
    });
    return tx.getRepository(Operation).findOneByOrFail({ code: operation.code });
  });
}

/** Adds participants, or changes the border points of those already taking part. */
export async function addParticipants(
  ctx: Context,
  code: string,
  participants: ParticipantInput[],
): Promise<Operation> {
  const caller = managerOf(ctx, 'addOperationParticipants');
  return ctx.db.transaction(async (tx) => {
    const operation = await managedOperation(tx, ctx, caller, 'addOperationParticipants', code);
    requireEditable(operation);
    const v = new InputValidator('');
    if (participants.length === 0) v.problem('participants', 'must list at least one participant');
    const points = await borderPointCodesOf(tx, operation.code);
    const checked = await checkParticipants(tx, v, 'participants', participants, points);
    v.throwIfInvalid();
    const before = new Map((await participantsOf(tx, operation.code)).map((p) => [p.agencyId, p]));
    await upsertParticipants(tx, operation.code, checked);
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'Operation',
      recordId: operation.code,
      ownerAgencyId: operation.coordinatorId,
      fields: ['participants'],
      details: {
        added: checked.filter((p) => !before.has(p.agencyId)).map(auditedParticipant),
        reassigned: checked.filter((p) => before.has(p.agencyId)).map(auditedParticipant),
      },
    });
    return touch(tx, operation);
  });
}

const auditedParticipant = (p: CheckedParticipant) => ({
  agencyId: p.agencyId,
  borderPoints: p.borderPoints ?? 'ALL',
});

export async function removeParticipants(
  ctx: Context,
  code: string,
  agencyIds: string[],
): Promise<Operation> {
  const caller = managerOf(ctx, 'removeOperationParticipants');
  return ctx.db.transaction(async (tx) => {
    const operation = await managedOperation(tx, ctx, caller, 'removeOperationParticipants', code);
    requireEditable(operation);
    const current = await participantsOf(tx, operation.code);
    const v = new InputValidator('');
    if (agencyIds.length === 0) v.problem('agencyIds', 'must list at least one agency');
    const ids = agencyIds.map((id) => id.trim().toLowerCase());
    ids.forEach((id, i) => {
      if (!current.some((p) => p.agencyId === id)) v.problem(`agencyIds.${i}`, 'is not a participant');
    });
    const left = current.filter((p) => !ids.includes(p.agencyId));
    if (operation.status === 'ACTIVE' && left.length === 0 && v.problems.length === 0)
      v.problem(
        'agencyIds',
        'an ACTIVE operation keeps at least one participant: cancel or close it instead',
      );
    v.throwIfInvalid();
    await tx
      .createQueryBuilder()
      .delete()
      .from(OperationParticipant)
      .where('operation_code = :code AND agency_id IN (:...ids)', { code: operation.code, ids })
      .execute();
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'Operation',
      recordId: operation.code,
      ownerAgencyId: operation.coordinatorId,
      fields: ['participants'],
      details: { removed: [...new Set(ids)].sort() },
    });
    return touch(tx, operation);
  });
}

export async function addBorderPoints(ctx: Context, code: string, codes: string[]): Promise<Operation> {
  const caller = managerOf(ctx, 'addOperationBorderPoints');
  return ctx.db.transaction(async (tx) => {
    const operation = await managedOperation(tx, ctx, caller, 'addOperationBorderPoints', code);
    requireEditable(operation);
    const v = new InputValidator('');
    if (codes.length === 0) v.problem('borderPoints', 'must list at least one border point');
    const points = await borderPointCodes(tx, v, 'borderPoints', codes);
    v.throwIfInvalid();
    const before = await borderPointCodesOf(tx, operation.code);
    const added = points.filter((p) => !before.includes(p)).sort();
    await insertBorderPoints(tx, operation.code, added);
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'Operation',
      recordId: operation.code,
      ownerAgencyId: operation.coordinatorId,
      fields: ['borderPoints'],
      details: { added },
    });
    return touch(tx, operation);
  });
}

/**
 * Removes border points. A participant assigned some of them keeps the others; one assigned only removed ones
 * must be reassigned first (its grant would otherwise widen to all the operation's border points).
 */
export async function removeBorderPoints(ctx: Context, code: string, codes: string[]): Promise<Operation> {
  const caller = managerOf(ctx, 'removeOperationBorderPoints');
  return ctx.db.transaction(async (tx) => {
    const operation = await managedOperation(tx, ctx, caller, 'removeOperationBorderPoints', code);
    requireEditable(operation);
    const v = new InputValidator('');
    if (codes.length === 0) v.problem('borderPoints', 'must list at least one border point');
    const current = await borderPointCodesOf(tx, operation.code);
    const removed = codes.map((c) => c.trim().toUpperCase());
    removed.forEach((c, i) => {
      if (!current.includes(c)) v.problem(`borderPoints.${i}`, `${c} is not a border point of the operation`);
    });
    const left = current.filter((c) => !removed.includes(c));
    if (operation.status === 'ACTIVE' && left.length === 0 && v.problems.length === 0)
      v.problem(
        'borderPoints',
        'an ACTIVE operation keeps at least one border point: cancel or close it instead',
      );
    const participants = await participantsOf(tx, operation.code);
    for (const participant of participants) {
      if (participant.borderPoints && participant.borderPoints.every((c) => removed.includes(c)))
        v.problem(
          'borderPoints',
          `participant ${participant.agencyId} works only at these: reassign it first`,
        );
    }
    v.throwIfInvalid();
    await tx
      .createQueryBuilder()
      .delete()
      .from(OperationBorderPoint)
      .where('operation_code = :code AND border_point_code IN (:...removed)', {
        code: operation.code,
        removed,
      })
      .execute();
    for (const participant of participants.filter((p) => p.borderPoints?.some((c) => removed.includes(c)))) {
      await tx
        .getRepository(OperationParticipant)
        .update(
          { operationCode: operation.code, agencyId: participant.agencyId },
          { borderPoints: participant.borderPoints?.filter((c) => !removed.includes(c)) ?? null },
        );
    }
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'Operation',
      recordId: operation.code,
      ownerAgencyId: operation.coordinatorId,
      fields: ['borderPoints'],
      details: { removed: [...new Set(removed)].sort() },
    });
    return touch(tx, operation);
  });
}

async function touch(tx: EntityManager, operation: Operation): Promise<Operation> {
  await tx.getRepository(Operation).update({ code: operation.code }, { updatedAt: new Date() });
  return tx.getRepository(Operation).findOneByOrFail({ code: operation.code });
}

/** activateOperation, closeOperation, cancelOperation: one transition under the row lock, audited. */
export async function changeStatus(
  ctx: Context,
  code: string,
  action: OperationTransition,
  reason: string | null | undefined,
): Promise<Operation> {
  const mutation = `${action}Operation`;
  const caller = managerOf(ctx, mutation);
  const now = ctx.now();
  const v = new InputValidator('');
  const cleanReason = v.text('reason', reason, 500, true);
  v.throwIfInvalid();
  return ctx.db.transaction(async (tx) => {
    const operation = await managedOperation(tx, ctx, caller, mutation, code);
    const result = transition(operation.status, action);
    if (!result.ok) throw new ConflictError(`Operation ${operation.code}: ${result.reason}`, 'code');
    if (action === 'activate') {
      const problems = [];
      if (operation.endsAt <= now)
        problems.push({ field: 'code', reason: 'its window has ended: change endsAt first' });
      if ((await borderPointCodesOf(tx, operation.code)).length === 0)
        problems.push({ field: 'code', reason: 'it has no border point yet' });
      if ((await participantsOf(tx, operation.code)).length === 0)
        problems.push({ field: 'code', reason: 'it has no participant yet' });
      if (problems.length) throw new BadUserInputError(problems);
    }
    await tx.getRepository(Operation).update({ code: operation.code }, { status: result.status });
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'Operation',
      recordId: operation.code,
      ownerAgencyId: operation.coordinatorId,
      fields: ['status'],
      details: { from: operation.status, to: result.status, ...(cleanReason ? { reason: cleanReason } : {}) },
    });
    return tx.getRepository(Operation).findOneByOrFail({ code: operation.code });
  });
}
