import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { normalizeDocumentNumber } from '../../shared/documents/document-number';
import { RequiresScopes } from '../../shared/schema/access';
import { SLTD_SUMMARY, SltdRecord } from './sltd-record.entity';
import type { SltdLoaders } from './sltd-record.loader';
import { travelDocument, TravelDocument } from './travel-document.type';

type Context = SubgraphContext<SltdLoaders>;

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
  async sltdRecord(@Root() document: TravelDocument, @Ctx() ctx: Context) {
    const key = { issuingCountry: document.issuingCountry, documentNumber: document.documentNumber };
    const record = await ctx.loaders.recordByDocument.load(key);
    // Never reported, or every owner's record hidden from the caller: NOT_FOUND for the trail, the caller's row
    // naming no record, each hidden record's owner a copy naming it (shared/record-gate.ts `notFoundAudit`).
    if (!record)
      await ctx.loaders.documentRecordNotFound.answered({ key, operation: 'TravelDocument.sltdRecord', ctx });
    return record;
  }
}
