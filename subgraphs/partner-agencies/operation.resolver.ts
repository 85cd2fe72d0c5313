import { Arg, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { NotFoundError, UnauthenticatedError } from '../../shared/errors';
import { Authenticated, RequiresScopes } from '../../shared/schema/access';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { reportKey } from '../../shared/schema/operation-report-key';
import { InputValidator } from '../../shared/validation';
import { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';
import { BorderPoint, BorderPointKindEnum, type BorderPointKind } from './border-point.entity';
import { maySee, reportViewOf } from './operation.access';
import { Operation, OperationReport } from './operation.entity';
import {
  OperationFilter,
  ParticipantInput,
  PlanOperationInput,
  UpdateOperationInput,
} from './operation.input';
import { listBorderPoints, listOperations } from './operation.repository';
import {
  auditOperationNotFound,
  addBorderPoints,
  addParticipants,
  changeStatus,
  planOperation,
  removeBorderPoints,
  removeParticipants,
  updateOperation,
} from './operation.service';

@ObjectType('OperationConnection', { description: 'A page of operations.' })
class OperationConnection extends ConnectionType(Operation, 'Operation') {}

type Context = SubgraphContext<PartnerLoaders>;

const MANAGE = [['operations:manage']] as const;

/** The operation if the caller may see it (General Secretariat, coordinator, participant), else null. */
export async function visibleOperation(ctx: Context, code: string): Promise<Operation | null> {
  const caller = ctx.caller;
  if (!caller) throw new UnauthenticatedError();
  const normalized = code.trim().toUpperCase();
  // The participants are read whether the operation exists or not, so one the caller may not see costs the
  // statements a code nobody used does (docs/security.md, "No existence oracle").
  const [operation, participants] = await Promise.all([
    ctx.loaders.operation.load(normalized),
    ctx.loaders.operationParticipants.load(normalized),
  ]);
  if (!operation) return null;
  return maySee(caller, operation, participants) ? operation : null;
}

const codeArg = { description: 'Code of the operation, e.g. STOP-2026-CDG.' };

@Resolver(() => Operation)
export class OperationResolver {
  @Authenticated()
  @Query(() => Operation, {
    nullable: true,
    description:
      'One border-security operation, for the General Secretariat, its coordinator and its participants; null with NOT_FOUND for anyone else.',
  })
  async operation(@Arg('code', codeArg) code: string, @Ctx() ctx: Context) {
    const operation = await visibleOperation(ctx, code);
    if (!operation) {
      // The look-up visibleOperation made (the loader's cache): hidden, or none.
      auditOperationNotFound(ctx, 'operation', await ctx.loaders.operation.load(code.trim().toUpperCase()));
      throw new NotFoundError('Operation');
    }
    return operation;
  }

  @Authenticated()
  @Query(() => OperationConnection, {
    nullable: true,
    description:
      'The operations the caller may see (all for the General Secretariat; else those it coordinates or takes part in), newest start first.',
  })
  operations(
    @Arg('filter', () => OperationFilter, { nullable: true, description: 'Narrows the list.' })
    filter: OperationFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    if (!ctx.caller) throw new UnauthenticatedError();
    return listOperations(ctx.db, ctx.caller, filter, pageSize(first), after);
  }

  @Authenticated()
  @Query(() => [BorderPoint], {
    name: 'borderPoints',
    nullable: true,
    description: 'Border points (airports, sea ports, land crossings), by code, at most 1,000.',
  })
  borderPointList(
    @Arg('country', () => String, {
      nullable: true,
      description: 'Only those of this country (ISO 3166-1 alpha-3).',
    })
    country: string | undefined,
    @Arg('kind', () => BorderPointKindEnum, { nullable: true, description: 'Only those of this kind.' })
    kind: BorderPointKind | undefined,
    @Ctx() ctx: Context,
  ) {
    const v = new InputValidator('');
    const iso = v.isoCountry('country', country, true);
    v.throwIfInvalid();
    return listBorderPoints(ctx.db, iso, kind ?? null);
  }

  @Authenticated()
  @FieldResolver(() => Agency, {
    nullable: true,
    description: 'The coordinating agency: the General Secretariat or a bureau.',
  })
  coordinator(@Root() operation: Operation, @Ctx() ctx: Context) {
    return ctx.loaders.agency.load(operation.coordinatorId);
  }

  @Authenticated()
  @FieldResolver(() => [Agency], { nullable: true, description: 'The agencies taking part in it.' })
  async participants(@Root() operation: Operation, @Ctx() ctx: Context) {
    const participants = await ctx.loaders.operationParticipants.load(operation.code);
    const agencies = await ctx.loaders.agency.loadMany(participants.map((p) => p.agencyId));
    return agencies.filter((a): a is Agency => a instanceof Agency);
  }

  @Authenticated()
  @FieldResolver(() => [BorderPoint], { nullable: true, description: 'Where it runs, by code.' })
  borderPoints(@Root() operation: Operation, @Ctx() ctx: Context) {
    return ctx.loaders.operationBorderPoints.load(operation.code);
  }

  @Authenticated()
  @FieldResolver(() => OperationReport, {
    nullable: true,
    description:
      'Its results over the border points the caller may see: all of them for the General Secretariat and the coordinator, its own for a participant.',
  })
  async report(@Root() operation: Operation, @Ctx() ctx: Context): Promise<OperationReport | null> {
    if (!ctx.caller) throw new UnauthenticatedError();
    const participants = await ctx.loaders.operationParticipants.load(operation.code);
    const points = (await ctx.loaders.operationBorderPoints.load(operation.code)).map((b) => b.code);
    const view = reportViewOf(ctx.caller, operation, participants, points);
    if (!view) {
      auditOperationNotFound(ctx, 'Operation.report', operation);
      throw new NotFoundError('Operation');
    }
    return Object.assign(new OperationReport(), { id: reportKey(view) });
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description:
      'Plans an operation (PLANNED: it grants nothing until activated). The General Secretariat plans any; a bureau plans those it coordinates itself. One transaction, audited.',
  })
  planOperation(
    @Arg('input', () => PlanOperationInput, { description: 'The operation.' }) input: PlanOperationInput,
    @Ctx() ctx: Context,
  ) {
    return planOperation(ctx, input);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description:
      'Changes the name, purpose or window of a PLANNED or ACTIVE operation (General Secretariat or its coordinator). Audited with the window before and after.',
  })
  updateOperation(
    @Arg('code', codeArg) code: string,
    @Arg('input', () => UpdateOperationInput, { description: 'The changes.' }) input: UpdateOperationInput,
    @Ctx() ctx: Context,
  ) {
    return updateOperation(ctx, code, input);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description:
      'Adds participants, or sets the border points of those already taking part (General Secretariat or its coordinator). Audited.',
  })
  addOperationParticipants(
    @Arg('code', codeArg) code: string,
    @Arg('participants', () => [ParticipantInput], {
      description: 'The participants and their border points.',
    })
    participants: ParticipantInput[],
    @Ctx() ctx: Context,
  ) {
    return addParticipants(ctx, code, participants);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description:
      'Removes participants: their next tokens lack the operation’s grant (General Secretariat or its coordinator). Audited.',
  })
  removeOperationParticipants(
    @Arg('code', codeArg) code: string,
    @Arg('agencyIds', () => [ID], { description: 'The participants to remove.' }) agencyIds: string[],
    @Ctx() ctx: Context,
  ) {
    return removeParticipants(ctx, code, agencyIds);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description: 'Adds border points to an operation (General Secretariat or its coordinator). Audited.',
  })
  addOperationBorderPoints(
    @Arg('code', codeArg) code: string,
    @Arg('borderPoints', () => [String], { description: 'Codes of the border points.' })
    borderPoints: string[],
    @Ctx() ctx: Context,
  ) {
    return addBorderPoints(ctx, code, borderPoints);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description:
      'Removes border points from an operation; participants assigned to them keep their others (General Secretariat or its coordinator). Audited.',
  })
  removeOperationBorderPoints(
    @Arg('code', codeArg) code: string,
    @Arg('borderPoints', () => [String], { description: 'Codes of the border points.' })
    borderPoints: string[],
    @Ctx() ctx: Context,
  ) {
    return removeBorderPoints(ctx, code, borderPoints);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description:
      'PLANNED → ACTIVE: participants’ tokens carry its grant while its window is open. Needs a border point and a participant. Audited.',
  })
  activateOperation(
    @Arg('code', codeArg) code: string,
    @Arg('reason', () => String, { nullable: true, description: 'Why, at most 500 characters.' })
    reason: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return changeStatus(ctx, code, 'activate', reason);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description:
      'ACTIVE → CLOSED: tokens issued from now on lack its grant, and its operation-bound clients get none. Its report stays. Audited.',
  })
  closeOperation(
    @Arg('code', codeArg) code: string,
    @Arg('reason', () => String, { nullable: true, description: 'Why, at most 500 characters.' })
    reason: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return changeStatus(ctx, code, 'close', reason);
  }

  @RequiresScopes(...MANAGE)
  @Mutation(() => Operation, {
    nullable: true,
    description: 'PLANNED or ACTIVE → CANCELLED: its grant is gone as for a closed operation. Audited.',
  })
  cancelOperation(
    @Arg('code', codeArg) code: string,
    @Arg('reason', () => String, { nullable: true, description: 'Why, at most 500 characters.' })
    reason: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return changeStatus(ctx, code, 'cancel', reason);
  }
}
