import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { normalizeDocumentNumber } from '../../shared/documents/document-number';
import { RequiresScopes } from '../../shared/schema/access';
import { SLTD_SUMMARY, SltdRecord } from './sltd-record.entity';
import type { SltdLoaders } from './sltd-record.loader';
import { checkedRecordOf, travelDocument, TravelDocument } from './travel-document.type';

type Context = SubgraphContext<SltdLoaders>;
const SLTD_RECORD_FIELD = 'TravelDocument.sltdRecord';

@Resolver(() => TravelDocument)
export class TravelDocumentResolver {
  @RequiresScopes(['sltd:check'], ['sltd:summary'], ['sltd:read'])
  @Query(() => TravelDocument, {
    nullable: true,
    description:
      'A document by its key, whether or not it is on file; follow its fields to what is known about it.',
  })
  travelDocument(
    @Arg('issuingCountry', { description: 'Issuing country code.' }) issuingCountry: string,
    @Arg('documentNumber', { description: 'Document number, in any usual spelling.' }) documentNumber: string,
  ): TravelDocument {
    return travelDocument(issuingCountry.trim().toUpperCase(), normalizeDocumentNumber(documentNumber));
  }

  @RequiresScopes(...SLTD_SUMMARY)
  @FieldResolver(() => SltdRecord, {
    nullable: true,
    description: 'The SLTD record of this document; null when it was never reported (or you may not see it).',
  })
  sltdRecord(
    @Root() document: TravelDocument,
    @Ctx() ctx: Context,
  ): SltdRecord | null | Promise<SltdRecord | null> {
    // A document of a border check: the check's look-up already answered, with the same rules and the same audit.
    const checked = checkedRecordOf(document);
    if (!checked) return this.lookUp(document, ctx);
    if (!checked.shown)
      ctx.loaders.documentRecordNotFound.answeredWith(
        { key: document, operation: SLTD_RECORD_FIELD, ctx },
        checked.hidden,
      );
    return checked.shown;
  }

  private async lookUp(document: TravelDocument, ctx: Context): Promise<SltdRecord | null> {
    const key = { issuingCountry: document.issuingCountry, documentNumber: document.documentNumber };
    const record = await ctx.loaders.recordByDocument.load(key);
    // Never reported, or every owner's record hidden from the caller: NOT_FOUND for the trail, the caller's row
    // naming no record, each hidden record's owner a copy naming it (shared/record-gate.ts `notFoundAudit`).
    if (!record)
      await ctx.loaders.documentRecordNotFound.answered({ key, operation: SLTD_RECORD_FIELD, ctx });
    return record;
  }
}
