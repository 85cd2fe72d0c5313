import { Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { Authenticated } from '../../shared/schema/access';
import { parseReportKey, type OperationReportView } from '../../shared/schema/operation-report-key';
import { NoticeType } from './notice.entity';
import type { NoticeLoaders } from './notice.loader';
import { countOperationScreenings } from './operation-report.repository';

/**
 * notices' part of an operation's report (docs/architecture.md, operations): persons screened and notice matches
 * in the operation, at the border points of the caller's view only (the report's key, built by partner-agencies),
 * and of the notices the caller may see only (status, record restrictions, notice types). Every figure is one
 * aggregate statement over indexed columns; no row is loaded.
 */
@ObjectType('NoticeTypeCount', { description: 'How many notice matches of one notice type.' })
export class NoticeTypeCount {
  @Field(() => NoticeType, { description: 'The notice type.' })
  type: NoticeType;

  @Field(() => Int, { description: 'How many matches.' })
  count: number;
}

@ObjectType('NoticeMatchFigures', {
  description: 'Notice matches reported in an operation, on the notices you may see.',
})
export class NoticeMatchFigures {
  @Field(() => Int, { description: 'Every match reported.' })
  total: number;

  @Field(() => [NoticeTypeCount], { description: 'Matches per notice type, most first.' })
  byType: NoticeTypeCount[];
}

@Directive('@key(fields: "id")')
@ObjectType('OperationReport', {
  description:
    'What a border-security operation checked and found, at the border points of your view: General Secretariat and coordinator see all of them, a participant its own.',
})
export class OperationReport {
  @Field(() => ID, {
    description: 'Opaque key of the report: the operation and the border points of your view.',
  })
  id: string;

  /** The key, read. */
  view: OperationReportView;
}

export function resolveOperationReportReference(reference: { id: string }): OperationReport {
  return Object.assign(new OperationReport(), reference, { view: parseReportKey(reference.id) });
}

type Context = SubgraphContext<NoticeLoaders>;

@Resolver(() => OperationReport)
export class OperationReportResolver {
  @Authenticated()
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Persons screened against notices in the operation (screenPerson with its context).',
  })
  async personsScreened(@Root() report: OperationReport, @Ctx() ctx: Context): Promise<number | null> {
    if (!ctx.caller) return null;
    return countOperationScreenings(ctx.db, report.view);
  }

  @Authenticated()
  @FieldResolver(() => NoticeMatchFigures, {
    nullable: true,
    description: 'Notice matches reported in the operation (reportNoticeMatch), by notice type.',
  })
  async noticeMatches(
    @Root() report: OperationReport,
    @Ctx() ctx: Context,
  ): Promise<NoticeMatchFigures | null> {
    if (!ctx.caller) return null;
    const { byType } = await ctx.loaders.operationMatches.load(report.id);
    return Object.assign(new NoticeMatchFigures(), {
      total: byType.reduce((sum, row) => sum + row.count, 0),
      byType: byType.map((row) => Object.assign(new NoticeTypeCount(), row)),
    });
  }
}
