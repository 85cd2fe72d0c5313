import { Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { Authenticated } from '../../shared/schema/access';
import type { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import { parseReportKey, type OperationReportView } from '../../shared/schema/operation-report-key';
import { OperationDayFigures, OutcomeCount } from '../../shared/schema/operation-report-figures';
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

/** One day of an operation (UTC): travel-documents' figures and notices' matches side by side. */
@ObjectType('OperationDay', { description: 'What an operation checked and found on one day (UTC).' })
export class OperationDay {
  @Field({ description: 'The day, YYYY-MM-DD (UTC).' })
  day: string;

  @Field(() => Int, { description: 'Documents checked that day.' })
  documentsChecked: number;

  @Field(() => Int, { description: 'Document hits that day.' })
  documentHits: number;

  @Field(() => Int, { description: 'Notice matches reported that day, on the notices you may see.' })
  noticeMatches: number;
}

@Directive('@key(fields: "id")')
@ObjectType('OperationReport', {
  description:
    'The results of an operation over the border points the caller may see: all of them for the General Secretariat and the coordinator, its own for a participant.',
})
export class OperationReport {
  @Field(() => ID, { description: 'Opaque key: the operation and the border points this view covers.' })
  id: string;

  /** travel-documents' outcomes of the view's document hits, handed over for `outcomes` (@requires). */
  @Directive('@external')
  @Field(() => [OutcomeCount], {
    nullable: true,
    description: 'Outcomes of the document hits (travel-documents).',
  })
  documentOutcomes?: OutcomeCount[] | null;

  /** travel-documents' figures per day, handed over for `byDay` (@requires). */
  @Directive('@external')
  @Field(() => [OperationDayFigures], {
    nullable: true,
    description: 'Document checks and hits per day (travel-documents).',
  })
  documentDays?: OperationDayFigures[] | null;

  /** The key, read. */
  view: OperationReportView;
}

export function resolveOperationReportReference(reference: {
  id: string;
  documentOutcomes?: OutcomeCount[] | null;
  documentDays?: OperationDayFigures[] | null;
}): OperationReport {
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

  @Authenticated()
  @Directive('@requires(fields: "documentOutcomes { outcome count }")')
  @FieldResolver(() => [OutcomeCount], {
    nullable: true,
    description:
      'Outcomes recorded on the operation’s confirmed hits, document hits and notice hits together, by kind, in name order.',
  })
  async outcomes(@Root() report: OperationReport, @Ctx() ctx: Context): Promise<OutcomeCount[] | null> {
    if (!ctx.caller) return null;
    const { byOutcome } = await ctx.loaders.operationMatches.load(report.id);
    const counts = new Map<HitOutcomeAction, number>();
    for (const { outcome, count } of [...(report.documentOutcomes ?? []), ...byOutcome])
      counts.set(outcome, (counts.get(outcome) ?? 0) + count);
    return [...counts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([outcome, count]) => Object.assign(new OutcomeCount(), { outcome, count }));
  }

  @Authenticated()
  @Directive('@requires(fields: "documentDays { day documentsChecked documentHits }")')
  @FieldResolver(() => [OperationDay], {
    nullable: true,
    description:
      'Per day (UTC), days with a check or a match only, in date order: documents checked, document hits, notice matches.',
  })
  async byDay(@Root() report: OperationReport, @Ctx() ctx: Context): Promise<OperationDay[] | null> {
    if (!ctx.caller) return null;
    const { byDay } = await ctx.loaders.operationMatches.load(report.id);
    const days = new Map<string, OperationDay>();
    const dayOf = (day: string) => {
      let figures = days.get(day);
      if (!figures)
        days.set(
          day,
          (figures = Object.assign(new OperationDay(), {
            day,
            documentsChecked: 0,
            documentHits: 0,
            noticeMatches: 0,
          })),
        );
      return figures;
    };
    for (const documents of report.documentDays ?? [])
      Object.assign(dayOf(documents.day), {
        documentsChecked: documents.documentsChecked,
        documentHits: documents.documentHits,
      });
    for (const matches of byDay) dayOf(matches.day).noticeMatches = matches.count;
    return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }
}
