import type { Caller } from '../../shared/auth/caller';
import type { SubgraphContext } from '../../shared/context';
import { addYears } from '../../shared/dates';
import { ConflictError, ForbiddenError, UnauthenticatedError } from '../../shared/errors';
import { auditRefusal, recordForChange } from '../../shared/record-gate';
import { validateRestrictions } from '../../shared/schema/restrictions.input';
import { InputValidator } from '../../shared/validation';
import { issueControlNumber } from './control-number';
import { ArrestWarrant, NoticeAlias, NoticeDocument } from './notice-details.entity';
import { Notice, NoticeStatus, NoticeType } from './notice.entity';
import type {
  ArrestWarrantInput,
  NoticeAliasInput,
  NoticeDocumentInput,
  NoticeSubjectInput,
  RequestNoticeInput,
  UpdateNoticeInput,
} from './notice.input';
import type { NoticeLoaders } from './notice.loader';
import { noticeGate } from './notice.repository';

type Context = SubgraphContext<NoticeLoaders>;

/** Notices stay 5 years after publication unless the owner sets an earlier review (docs/architecture.md, retention). */
export const NOTICE_RETENTION_YEARS = 5;

const LIMITS = { nationalities: 5, aliases: 10, charges: 20, warrants: 20, documents: 10 } as const;
const SEXES = ['F', 'M', 'X'] as const;

type SubjectColumns = Pick<
  Notice,
  | 'subjectSurname'
  | 'subjectForenames'
  | 'subjectDateOfBirth'
  | 'subjectSex'
  | 'subjectNationalities'
  | 'subjectPlaceOfBirth'
  | 'distinguishingMarks'
>;

/**
 * The subject's columns from its input. With `onlyGiven`, fields left out of the input are left out of the
 * result (an update); null clears a field.
 */
function subjectColumns(
  v: InputValidator,
  subject: NoticeSubjectInput | null | undefined,
  onlyGiven: boolean,
): Partial<SubjectColumns> {
  const s: NoticeSubjectInput = subject ?? {};
  const given = (key: keyof NoticeSubjectInput) => !onlyGiven || s[key] !== undefined;
  const columns: Partial<SubjectColumns> = {};
  if (given('surname')) columns.subjectSurname = v.text('subject.surname', s.surname, 100, true);
  if (given('forenames')) columns.subjectForenames = v.text('subject.forenames', s.forenames, 100, true);
  if (given('dateOfBirth')) {
    columns.subjectDateOfBirth = v.date('subject.dateOfBirth', s.dateOfBirth, {
      notFuture: true,
      optional: true,
    });
  }
  if (given('sex')) {
    const sex = s.sex?.trim().toUpperCase() || null;
    if (sex && !(SEXES as readonly string[]).includes(sex)) v.problem('subject.sex', 'must be F, M or X');
    columns.subjectSex = sex as SubjectColumns['subjectSex'];
  }
  if (given('nationalities')) {
    const codes = s.nationalities ?? [];
    if (codes.length > LIMITS.nationalities)
      v.problem('subject.nationalities', `must list at most ${LIMITS.nationalities} nationalities`);
    const checked = codes.map((code, i) => v.documentCountry(`subject.nationalities.${i}`, code) ?? '');
    columns.subjectNationalities = [...new Set(checked)];
  }
  if (given('placeOfBirth'))
    columns.subjectPlaceOfBirth = v.text('subject.placeOfBirth', s.placeOfBirth, 200, true);
  if (given('distinguishingMarks'))
    columns.distinguishingMarks = v.text('subject.distinguishingMarks', s.distinguishingMarks, 1000, true);
  return columns;
}

function chargeList(v: InputValidator, charges: readonly string[], type: NoticeType | null): string[] {
  if (charges.length > LIMITS.charges) v.problem('charges', `must list at most ${LIMITS.charges} charges`);
  if (type === NoticeType.RED && charges.length === 0)
    v.problem('charges', 'a RED notice needs at least one charge');
  return charges.map((charge, i) => v.text(`charges.${i}`, charge, 500) ?? '');
}

function aliasRows(v: InputValidator, aliases: readonly NoticeAliasInput[]): Partial<NoticeAlias>[] {
  if (aliases.length > LIMITS.aliases) v.problem('aliases', `must list at most ${LIMITS.aliases} aliases`);
  return aliases.map((alias, i) => {
    const surname = v.text(`aliases.${i}.surname`, alias.surname, 100, true);
    const forenames = v.text(`aliases.${i}.forenames`, alias.forenames, 100, true);
    if (!surname && !forenames) v.problem(`aliases.${i}`, 'needs a surname or forenames');
    return { surname, forenames };
  });
}

function warrantRows(
  v: InputValidator,
  warrants: readonly ArrestWarrantInput[],
  type: NoticeType,
): Partial<ArrestWarrant>[] {
  if (warrants.length > LIMITS.warrants)
    v.problem('arrestWarrants', `must list at most ${LIMITS.warrants} arrest warrants`);
  if (type === NoticeType.RED && warrants.length === 0)
    v.problem('arrestWarrants', 'a RED notice needs at least one arrest warrant');
  return warrants.map((warrant, i) => ({
    warrantNumber: v.text(`arrestWarrants.${i}.warrantNumber`, warrant.warrantNumber, 100) ?? '',
    issuingAuthority: v.text(`arrestWarrants.${i}.issuingAuthority`, warrant.issuingAuthority, 200) ?? '',
    issuedOn: v.date(`arrestWarrants.${i}.issuedOn`, warrant.issuedOn, { notFuture: true }) ?? '',
    charges: v.text(`arrestWarrants.${i}.charges`, warrant.charges, 500) ?? '',
  }));
}

function documentRows(
  v: InputValidator,
  documents: readonly NoticeDocumentInput[],
): Partial<NoticeDocument>[] {
  if (documents.length > LIMITS.documents)
    v.problem('documents', `must list at most ${LIMITS.documents} documents`);
  const seen = new Map<string, number>();
  return documents.map((document, i) => {
    const issuingCountry = v.documentCountry(`documents.${i}.issuingCountry`, document.issuingCountry);
    const documentNumber = v.documentNumber(`documents.${i}.documentNumber`, document.documentNumber);
    if (issuingCountry && documentNumber) {
      const key = `${issuingCountry} ${documentNumber}`;
      const first = seen.get(key);
      if (first !== undefined) v.problem(`documents.${i}`, `is the same document as documents.${first}`);
      else seen.set(key, i);
    }
    return {
      issuingCountry: issuingCountry ?? '',
      documentNumber: documentNumber ?? '',
      documentType: document.documentType,
    };
  });
}

export interface NoticeDraft {
  notice: Partial<Notice>;
  aliases: Partial<NoticeAlias>[];
  warrants: Partial<ArrestWarrant>[];
  documents: Partial<NoticeDocument>[];
}

/** Validates a request with every rule at once; nothing is saved. */
export function validateNoticeRequest(input: RequestNoticeInput, now = new Date()): NoticeDraft {
  const v = new InputValidator('input', now);
  const title = v.text('title', input.title, 200);
  const subject = subjectColumns(v, input.subject, false);
  const aliases = aliasRows(v, input.aliases ?? []);
  const charges = chargeList(v, input.charges ?? [], input.type);
  const warrants = warrantRows(v, input.arrestWarrants ?? [], input.type);
  const documents = documentRows(v, input.documents ?? []);
  const restrictions = validateRestrictions(v, 'restrictions', input.restrictions);
  const maxReview = addYears(now, NOTICE_RETENTION_YEARS);
  const ownerReviewDate = v.date('reviewDate', input.reviewDate, { future: true, optional: true });
  if (ownerReviewDate && ownerReviewDate > maxReview)
    v.problem('reviewDate', `must be at most ${NOTICE_RETENTION_YEARS} years from today (${maxReview})`);
  v.throwIfInvalid();
  return {
    notice: {
      type: input.type,
      title: title ?? '',
      ...subject,
      charges,
      ...restrictions,
      ownerReviewDate,
      // Provisional until publication, which counts the 5 years from its own date.
      reviewDate: ownerReviewDate ?? maxReview,
    },
    aliases,
    warrants,
    documents,
  };
}

function callerOf(ctx: Context): Caller {
  if (!ctx.caller) throw new UnauthenticatedError();
  return ctx.caller;
}

/** A national bureau requests a notice for its own country's case: one transaction, control number included. */
export async function requestNotice(ctx: Context, input: RequestNoticeInput): Promise<Notice> {
  const caller = callerOf(ctx);
  if (caller.agencyKind !== 'NCB' || !caller.country) {
    auditRefusal(ctx, 'Notice', 'requestNotice', 'FORBIDDEN');
    throw new ForbiddenError('Only a National Central Bureau requests notices');
  }
  const ownerCountry = caller.country;
  const now = new Date();
  const draft = validateNoticeRequest(input, now);
  return ctx.db.transaction(async (tx) => {
    const notice = Object.assign(new Notice(), draft.notice, {
      controlNumber: await issueControlNumber(tx, input.type, ownerCountry, now),
      status: NoticeStatus.REQUESTED,
      ownerAgencyId: caller.agencyId,
      ownerCountry,
      requestedAt: now,
      publishedAt: null,
      statusReason: null,
    });
    const saved = await tx.getRepository(Notice).save(notice);
    const children = <T>(rows: Partial<T>[]) => rows.map((row) => ({ ...row, noticeId: saved.id }));
    if (draft.aliases.length) await tx.getRepository(NoticeAlias).insert(children(draft.aliases));
    if (draft.warrants.length) await tx.getRepository(ArrestWarrant).insert(children(draft.warrants));
    if (draft.documents.length) await tx.getRepository(NoticeDocument).insert(children(draft.documents));
    await ctx.audit.write(tx, {
      action: 'CREATE',
      recordType: 'Notice',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      fields: Object.keys(input).sort(),
    });
    return saved;
  });
}

/** Statuses move only REQUESTED → PUBLISHED or REFUSED, and PUBLISHED → CANCELLED. */
export function expectStatus(
  notice: Pick<Notice, 'status'>,
  allowed: readonly NoticeStatus[],
  change: string,
): void {
  if (!allowed.includes(notice.status)) {
    throw new ConflictError(
      `The notice is ${notice.status}: only a ${allowed.join(' or ')} notice can be ${change}`,
      'id',
    );
  }
}

function reasonOf(reason: string): string {
  const v = new InputValidator('');
  const clean = v.text('reason', reason, 500);
  v.throwIfInvalid();
  return clean ?? '';
}

/** The General Secretariat publishes or refuses a REQUESTED notice. */
async function decideNotice(
  ctx: Context,
  id: string,
  reason: string,
  decision: NoticeStatus.PUBLISHED | NoticeStatus.REFUSED,
): Promise<Notice> {
  const caller = callerOf(ctx);
  const operation = decision === NoticeStatus.PUBLISHED ? 'publishNotice' : 'refuseNotice';
  if (caller.agencyKind !== 'GENERAL_SECRETARIAT') {
    auditRefusal(ctx, 'Notice', operation, 'FORBIDDEN');
    throw new ForbiddenError('Only the General Secretariat publishes or refuses notices');
  }
  return ctx.db.transaction(async (tx) => {
    // The General Secretariat decides on any notice it can see (it sees them all).
    const notice = await recordForChange(tx, { ...noticeGate, mayChange: () => true }, ctx, operation, id);
    const cleanReason = reasonOf(reason);
    expectStatus(notice, [NoticeStatus.REQUESTED], decision.toLowerCase());
    notice.status = decision;
    notice.statusReason = cleanReason;
    const fields = ['status'];
    if (decision === NoticeStatus.PUBLISHED) {
      notice.publishedAt = new Date();
      const standard = addYears(notice.publishedAt, NOTICE_RETENTION_YEARS);
      notice.reviewDate =
        notice.ownerReviewDate && notice.ownerReviewDate < standard ? notice.ownerReviewDate : standard;
      fields.push('publishedAt', 'reviewDate');
    }
    const saved = await tx.getRepository(Notice).save(notice);
    await ctx.audit.write(tx, {
      action: 'DECIDE',
      recordType: 'Notice',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      fields,
      details: { status: decision, reason: cleanReason },
    });
    return saved;
  });
}

export function publishNotice(ctx: Context, id: string, reason: string): Promise<Notice> {
  return decideNotice(ctx, id, reason, NoticeStatus.PUBLISHED);
}

export function refuseNotice(ctx: Context, id: string, reason: string): Promise<Notice> {
  return decideNotice(ctx, id, reason, NoticeStatus.REFUSED);
}

/** What the General Secretariat reviewed before publication: fixed once a notice is PUBLISHED. */
const REVIEWED_FIELDS = ['title', 'subject', 'charges'] as const;

/** The fields an update names, subject fields one by one, for the audit trail. */
function changedFields(input: UpdateNoticeInput): string[] {
  return Object.keys(input)
    .flatMap((key) =>
      key === 'subject' && input.subject ? Object.keys(input.subject).map((s) => `subject.${s}`) : [key],
    )
    .sort();
}

/**
 * The requesting bureau changes a REQUESTED notice, or the restrictions and review date of a PUBLISHED one. The checks that depend on the notice (a RED
 * notice keeps a charge; the review date counts from publication) run once it is loaded, with the others, so
 * every problem is still named at once.
 */
export async function updateNotice(ctx: Context, id: string, input: UpdateNoticeInput): Promise<Notice> {
  const now = new Date();
  return ctx.db.transaction(async (tx) => {
    const notice = await recordForChange(tx, noticeGate, ctx, 'updateNotice', id);
    expectStatus(notice, [NoticeStatus.REQUESTED, NoticeStatus.PUBLISHED], 'changed');
    // Who the notice is about, and why, is what the General Secretariat reviewed: once PUBLISHED, a change to
    // it would be a publication without review (screening would match the new person at once). It goes through
    // a new request; the published notice stays in force until that one is published and this one cancelled.
    const reviewed = REVIEWED_FIELDS.filter((field) => input[field] !== undefined);
    if (notice.status === NoticeStatus.PUBLISHED && reviewed.length > 0) {
      auditRefusal(ctx, 'Notice', 'updateNotice', 'FORBIDDEN', {
        recordId: notice.id,
        ownerAgencyId: notice.ownerAgencyId,
      });
      throw new ForbiddenError(
        `The notice is PUBLISHED: its ${reviewed.join(', ')} change only through a new request the General Secretariat reviews (request a new notice, then cancel this one once it is published)`,
      );
    }
    const v = new InputValidator('input', now);
    const changes: Partial<Notice> = {};
    if (input.title !== undefined) changes.title = v.text('title', input.title, 200) ?? '';
    if (input.subject) Object.assign(changes, subjectColumns(v, input.subject, true));
    if (input.charges !== undefined) changes.charges = chargeList(v, input.charges ?? [], notice.type);
    if (input.restrictions !== undefined)
      Object.assign(changes, validateRestrictions(v, 'restrictions', input.restrictions));
    if (input.reviewDate !== undefined) {
      const published = notice.publishedAt !== null;
      const maxReview = addYears(notice.publishedAt ?? now, NOTICE_RETENTION_YEARS);
      const chosen = v.date('reviewDate', input.reviewDate, { future: true, optional: true });
      if (chosen && chosen > maxReview) {
        v.problem(
          'reviewDate',
          `must be at most ${NOTICE_RETENTION_YEARS} years ${published ? 'after publication' : 'from today'} (${maxReview})`,
        );
      }
      // null goes back to the default: 5 years after publication (provisionally, from today).
      changes.ownerReviewDate = chosen;
      changes.reviewDate = chosen ?? maxReview;
    }
    v.throwIfInvalid();
    Object.assign(notice, changes);
    const saved = await tx.getRepository(Notice).save(notice);
    await ctx.audit.write(tx, {
      action: 'UPDATE',
      recordType: 'Notice',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      fields: changedFields(input),
    });
    return saved;
  });
}

/** The requesting bureau cancels a PUBLISHED notice (subject found, case closed). The row stays, CANCELLED. */
export async function cancelNotice(ctx: Context, id: string, reason: string): Promise<Notice> {
  return ctx.db.transaction(async (tx) => {
    const notice = await recordForChange(tx, noticeGate, ctx, 'cancelNotice', id);
    const cleanReason = reasonOf(reason);
    expectStatus(notice, [NoticeStatus.PUBLISHED], 'cancelled');
    notice.status = NoticeStatus.CANCELLED;
    notice.statusReason = cleanReason;
    const saved = await tx.getRepository(Notice).save(notice);
    await ctx.audit.write(tx, {
      action: 'WITHDRAW',
      recordType: 'Notice',
      recordId: saved.id,
      ownerAgencyId: saved.ownerAgencyId,
      fields: ['status'],
      details: { status: NoticeStatus.CANCELLED, reason: cleanReason },
    });
    return saved;
  });
}
