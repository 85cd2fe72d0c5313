import { issueAlertNumber } from './alert-number';
import { QueryFailedError, type DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import type { SubgraphContext } from '../../shared/context';
import { addYears } from '../../shared/dates';
import { UnauthenticatedError } from '../../shared/errors';
import { recordForChange } from '../../shared/record-gate';
import { validateRestrictions, type RecordRestrictionsInput } from '../../shared/schema/restrictions.input';
import { InputValidator } from '../../shared/validation';
import { DocumentAlert } from './document-alert.entity';
import type { PublishDocumentAlertInput } from './document-alert.input';
import type { AlertLoaders } from './document-alert.loader';
import { documentAlertGate } from './document-alert.repository';

type Context = SubgraphContext<AlertLoaders>;

/** Alerts stay 10 years after they are published unless the publisher sets an earlier review (docs/architecture.md). */
export const ALERT_RETENTION_YEARS = 10;

const MAX_INDICATORS = 20;
const MAX_PATTERN_LENGTH = 200;
// PostgreSQL's SQLSTATE for a regular expression it cannot compile.
const INVALID_REGULAR_EXPRESSION = '2201B';

const given = (value: string | null | undefined): value is string => !!value && value.trim() !== '';

/**
 * A number pattern is checked by PostgreSQL itself, which is what will run it (`number ~ pattern`): it must
 * compile, and must not match the empty string, since such a pattern (`.*`, `X?`) covers every document.
 */
async function checkPattern(db: DataSource, v: InputValidator, pattern: string): Promise<void> {
  try {
    const [{ matches }] = (await db.query(`SELECT '' ~ $1 AS matches`, [pattern])) as { matches: boolean }[];
    if (matches) v.problem('numberPattern', 'matches every number (it matches the empty string)');
  } catch (error) {
    const driverError =
      error instanceof QueryFailedError ? (error.driverError as Error & { code?: string }) : null;
    if (driverError?.code !== INVALID_REGULAR_EXPRESSION) throw error;
    v.problem('numberPattern', `is not a valid POSIX regular expression (${driverError.message})`);
  }
}

/** Validates an alert with every rule at once; the alert it returns is not yet saved. */
export async function validateAlert(
  db: DataSource,
  input: PublishDocumentAlertInput,
  now = new Date(),
): Promise<Partial<DocumentAlert>> {
  const v = new InputValidator('input', now);
  const issuingCountry = v.documentCountry('issuingCountry', input.issuingCountry);
  const series = v.text('series', input.series, 50, true);
  const description = v.text('description', input.description, 2000);
  const indicators = input.indicators ?? [];
  if (indicators.length < 1 || indicators.length > MAX_INDICATORS)
    v.problem('indicators', `must list 1 to ${MAX_INDICATORS} indicators`);
  const cleanIndicators = indicators.map((text, i) => v.text(`indicators.${i}`, text, 300) ?? '');

  let numberFrom: string | null = null;
  let numberTo: string | null = null;
  const range = given(input.numberFrom) || given(input.numberTo);
  if (range) {
    if (!given(input.numberFrom)) v.problem('numberFrom', 'is required with numberTo');
    else numberFrom = v.documentNumber('numberFrom', input.numberFrom);
    if (!given(input.numberTo)) v.problem('numberTo', 'is required with numberFrom');
    else numberTo = v.documentNumber('numberTo', input.numberTo);
    if (numberFrom && numberTo) {
      // Ranges compare as text, so only numbers of one length form a range ("A100" is not between "A1" and "A2").
      if (numberFrom.length !== numberTo.length)
        v.problem('numberTo', `must have as many characters as numberFrom (${numberFrom.length})`);
      else if (numberFrom > numberTo) v.problem('numberTo', 'must not come before numberFrom');
    }
  }
  let numberPattern: string | null = null;
  if (given(input.numberPattern)) {
    numberPattern = input.numberPattern.trim();
    if (range) v.problem('numberPattern', 'give a number range or a pattern, not both');
    if (numberPattern.length > MAX_PATTERN_LENGTH)
      v.problem('numberPattern', `must be at most ${MAX_PATTERN_LENGTH} characters`);
    else await checkPattern(db, v, numberPattern);
  }

  const restrictions = validateRestrictions(v, 'restrictions', input.restrictions);
  const maxReview = addYears(now, ALERT_RETENTION_YEARS);
  const reviewDate = v.date('reviewDate', input.reviewDate, { future: true, optional: true }) ?? maxReview;
  if (reviewDate > maxReview)
    v.problem('reviewDate', `must be at most ${ALERT_RETENTION_YEARS} years from today (${maxReview})`);
  v.throwIfInvalid();
  return {
    issuingCountry: issuingCountry ?? '',
    documentType: input.documentType,
    series,
    fraudType: input.fraudType,
    description: description ?? '',
    indicators: cleanIndicators,
    numberFrom,
    numberTo,
    numberPattern,
    reviewDate,
    ...restrictions,
  };
}

function callerOf(ctx: Context): Caller {
  if (!ctx.caller) throw new UnauthenticatedError();
  return ctx.caller;
}

/** Publishes an alert under the caller's agency: one transaction with its audit row. */
export async function publishDocumentAlert(
  ctx: Context,
  input: PublishDocumentAlertInput,
): Promise<DocumentAlert> {
  const caller = callerOf(ctx);
  const now = new Date();
  const fields = await validateAlert(ctx.db, input, now);
  return ctx.db.transaction(async (tx) => {
    const alert = Object.assign(new DocumentAlert(), fields, {
      alertNumber: await issueAlertNumber(tx, caller.country, now),
      ownerAgencyId: caller.agencyId,
      ownerCountry: caller.country,
      publishedAt: now,
      withdrawnAt: null,
    });
    const saved = await tx.getRepository(DocumentAlert).save(alert);
    await ctx.audit.write(tx, {
      action: 'CREATE',
      recordType: 'DocumentAlert',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      fields: Object.keys(input).sort(),
    });
    return saved;
  });
}

/** Takes an alert out of force (model no longer in circulation, published in error). The row stays, audited. */
export async function withdrawDocumentAlert(
  ctx: Context,
  id: string,
  reason: string,
): Promise<DocumentAlert> {
  return ctx.db.transaction(async (tx) => {
    const alert = await recordForChange(tx, documentAlertGate, ctx, 'withdrawDocumentAlert', id);
    const v = new InputValidator('');
    const cleanReason = v.text('reason', reason, 500);
    v.throwIfInvalid();
    alert.withdrawnAt = new Date();
    const saved = await tx.getRepository(DocumentAlert).save(alert);
    await ctx.audit.write(tx, {
      action: 'WITHDRAW',
      recordType: 'DocumentAlert',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      details: { reason: cleanReason },
    });
    return saved;
  });
}

/** Replaces who besides its publisher may see an alert. */
export async function updateDocumentAlertRestrictions(
  ctx: Context,
  id: string,
  restrictions: RecordRestrictionsInput,
): Promise<DocumentAlert> {
  return ctx.db.transaction(async (tx) => {
    const alert = await recordForChange(tx, documentAlertGate, ctx, 'updateDocumentAlertRestrictions', id);
    const v = new InputValidator('');
    const columns = validateRestrictions(v, 'restrictions', restrictions);
    v.throwIfInvalid();
    Object.assign(alert, columns);
    const saved = await tx.getRepository(DocumentAlert).save(alert);
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'DocumentAlert',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      fields: ['restrictions'],
    });
    return saved;
  });
}
