import { addYears } from '../../shared/dates';
import type { SubgraphContext } from '../../shared/context';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors';
import { auditRefusal, recordForChange } from '../../shared/record-gate';
import { sltdRecordGate } from './sltd-record.repository';
import { validateRestrictions } from '../../shared/schema/restrictions.input';
import { InputValidator } from '../../shared/validation';
import { SltdRecord, SltdStatus } from './sltd-record.entity';
import type { ReportTravelDocumentInput, UpdateSltdRecordInput } from './sltd-record.input';
import type { SltdLoaders } from './sltd-record.loader';

/** SLTD records stay 10 years after they are reported unless the owner sets an earlier review (docs/architecture.md). */
export const SLTD_RETENTION_YEARS = 10;

/** Validates a report with every rule at once; the record it returns is not yet saved. */
export function validateReport(
  input: ReportTravelDocumentInput,
  ownerAgencyId: string,
  ownerCountry: string,
  now = new Date(),
): SltdRecord {
  const v = new InputValidator('input', now);
  const issuingCountry = v.documentCountry('issuingCountry', input.issuingCountry);
  if (issuingCountry && issuingCountry !== ownerCountry) {
    v.problem('issuingCountry', `you may report documents of your own country (${ownerCountry}) only`);
  }
  const documentNumber = v.documentNumber('documentNumber', input.documentNumber);
  const maxReview = addYears(now, SLTD_RETENTION_YEARS);
  const reviewDate = v.date('reviewDate', input.reviewDate, { future: true, optional: true }) ?? maxReview;
  if (reviewDate > maxReview)
    v.problem('reviewDate', `must be at most ${SLTD_RETENTION_YEARS} years from today (${maxReview})`);
  const holder = input.holder;
  if (input.status === SltdStatus.STOLEN_BLANK && holder)
    v.problem('holder', 'a blank document has no holder');
  const record = Object.assign(new SltdRecord(), {
    issuingCountry: issuingCountry ?? '',
    documentNumber: documentNumber ?? '',
    documentType: input.documentType,
    status: input.status,
    series: v.text('series', input.series, 50, true),
    nationalReference: v.text('nationalReference', input.nationalReference, 100, true),
    holderSurname: v.text('holder.surname', holder?.surname, 100, true),
    holderForenames: v.text('holder.forenames', holder?.forenames, 100, true),
    holderDateOfBirth: v.date('holder.dateOfBirth', holder?.dateOfBirth, { notFuture: true, optional: true }),
    holderNationality: v.documentCountry('holder.nationality', holder?.nationality, true),
    issueDate: v.date('issueDate', input.issueDate, { notFuture: true, optional: true }),
    expiryDate: v.date('expiryDate', input.expiryDate, { optional: true }),
    theftDate: v.date('theftDate', input.theftDate, { notFuture: true, optional: true }),
    theftCountry: v.isoCountry('theftCountry', input.theftCountry, true),
    theftPlace: v.text('theftPlace', input.theftPlace, 200, true),
    ownerAgencyId,
    ownerCountry,
    reviewDate,
    ...validateRestrictions(v, 'restrictions', input.restrictions),
  });
  if (record.issueDate && record.expiryDate && record.expiryDate <= record.issueDate) {
    v.problem('expiryDate', 'must be after issueDate');
  }
  v.throwIfInvalid();
  return record;
}

/**
 * Reports a document of the caller's own country: one transaction with its audit row. Each owner keeps its own
 * record of a document (the unique index on document and owner decides concurrent reports).
 */
export async function reportTravelDocument(
  ctx: SubgraphContext<SltdLoaders>,
  input: ReportTravelDocumentInput,
): Promise<SltdRecord> {
  const caller = ctx.caller;
  if (!caller) throw new UnauthenticatedError();
  if (!caller.country || (caller.agencyKind !== 'NCB' && caller.agencyKind !== 'NATIONAL_ENTITY')) {
    auditRefusal(ctx, 'SltdRecord', 'reportTravelDocument', 'FORBIDDEN');
    throw new ForbiddenError('Only a national bureau or an entity it authorised reports travel documents');
  }
  const record = validateReport(input, caller.agencyId, caller.country);
  return ctx.db.transaction(async (tx) => {
    // The reporter's own live record of the document is refused by the unique index (one per document and
    // owner), also between two reports at once: CONFLICT on input.documentNumber (shared/database-errors.ts).
    // Another agency's record, visible to the reporter or not, is no obstacle, so the answer tells nothing of it.
    const saved = await tx.getRepository(SltdRecord).save(record);
    await ctx.audit.write(tx, {
      action: 'CREATE',
      recordType: 'SltdRecord',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      fields: Object.keys(input).sort(),
    });
    return saved;
  });
}

export async function updateSltdRecord(
  ctx: SubgraphContext<SltdLoaders>,
  id: string,
  input: UpdateSltdRecordInput,
): Promise<SltdRecord> {
  return ctx.db.transaction(async (tx) => {
    const record = await recordForChange(tx, sltdRecordGate, ctx, 'updateSltdRecord', id);
    const v = new InputValidator('input');
    const changes: Partial<SltdRecord> = {};
    if (input.status !== undefined) changes.status = input.status;
    if (input.nationalReference !== undefined)
      changes.nationalReference = v.text('nationalReference', input.nationalReference, 100, true);
    if (input.theftDate !== undefined)
      changes.theftDate = v.date('theftDate', input.theftDate, { notFuture: true, optional: true });
    if (input.theftCountry !== undefined)
      changes.theftCountry = v.isoCountry('theftCountry', input.theftCountry, true);
    if (input.theftPlace !== undefined)
      changes.theftPlace = v.text('theftPlace', input.theftPlace, 200, true);
    if (input.restrictions !== undefined)
      Object.assign(changes, validateRestrictions(v, 'restrictions', input.restrictions));
    v.throwIfInvalid();
    Object.assign(record, changes, { updatedAt: new Date() });
    const saved = await tx.getRepository(SltdRecord).save(record);
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'SltdRecord',
      recordId: id,
      ownerAgencyId: saved.ownerAgencyId,
      fields: Object.keys(input).sort(),
    });
    return saved;
  });
}

/** Takes a record off the SLTD (found, or reported in error). The row stays for the audit trail and hits. */
export async function withdrawSltdRecord(
  ctx: SubgraphContext<SltdLoaders>,
  id: string,
  reason: string,
): Promise<SltdRecord> {
  return ctx.db.transaction(async (tx) => {
    const record = await recordForChange(tx, sltdRecordGate, ctx, 'withdrawSltdRecord', id);
    const v = new InputValidator('');
    const cleanReason = v.text('reason', reason, 500);
    v.throwIfInvalid();
    record.withdrawnAt = new Date();
    record.updatedAt = record.withdrawnAt;
    const saved = await tx.getRepository(SltdRecord).save(record);
    await ctx.audit.write(tx, {
      action: 'WITHDRAW',
      recordType: 'SltdRecord',
      recordId: id,
      ownerAgencyId: saved.ownerAgencyId,
      details: { reason: cleanReason },
    });
    return saved;
  });
}
