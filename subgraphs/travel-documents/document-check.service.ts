import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isDocumentCountryCode } from '../../shared/countries';
import type { AuditEvent } from '../../shared/audit';
import type { Caller } from '../../shared/auth/caller';
import {
  auditedCheckContext,
  type CheckContext,
  type CheckContextInput,
} from '../../shared/auth/operation-grants';
import type { SubgraphContext } from '../../shared/context';
import { documentNumberProblem, normalizeDocumentNumber } from '../../shared/documents/document-number';
import { BadUserInputError, UnauthenticatedError } from '../../shared/errors';
import { parseMrz, type MrzResult } from '../../shared/mrz/mrz';
import { enqueueEvents, type OutboxEvent } from '../../shared/outbox/outbox';
import { CheckVerdict, type DocumentCheckInput, type DocumentCheckResult } from './document-check.type';
import { Hit, HitStatus } from './hit.entity';
import { hiddenHitsAndCheckStatement, insertCheckHits } from './hit.repository';
import { toMachineReadableZone } from './mrz.type';
import type { SltdRecord } from './sltd-record.entity';
import type { SltdLoaders } from './sltd-record.loader';
import { findRecordsForCheck, preferredRecord } from './sltd-record.repository';
import { documentKeyString, type DocumentKey } from '../../shared/documents/document-key';
import { checkedTravelDocument, type CheckedRecord } from './travel-document.type';

/** A manifest of a wide-body flight fits in one call; more must be split. */
const MAX_DOCUMENTS_PER_CHECK = 500;
const MAX_LOCATION_LENGTH = 200;

/** What every row of one call shares: who checks, and where (the operation context, when there is one). */
interface CheckCall {
  caller: Caller;
  context: CheckContext | null;
}

interface PreparedCheck {
  problems: string[];
  /** The decoded MRZ, when the input was one: made a MachineReadableZone only if the answer selects it. */
  mrz: MrzResult | null;
  key: DocumentKey | null;
  /** `keyOf(key)`, made once. */
  id: string | null;
  location: string | null;
}

const keyOf = (key: DocumentKey) => `${key.issuingCountry}/${key.documentNumber}`;

/** What each CHECK row says was read. */
const CHECK_FIELDS: Pick<AuditEvent, 'fields'> = { fields: ['verdict'] };

type Found = Awaited<ReturnType<typeof findRecordsForCheck>>[number];

/**
 * The border check: decodes and normalises every input, looks all documents up in one SQL statement, records a
 * hit for each match (and an audit row for the whole call) in one transaction, and answers in input order.
 * A record restricted away from the checker answers NO_HIT, but its owner still gets the hit: the document
 * surfaced, and the owner must know.
 *
 * A check made in a border-security operation's context (`context`: validated by auditedCheckContext) carries
 * the operation and the border point on its audit rows and on every hit, and counts in the operation's report:
 * one `sltd.operation_checks` row per call, written by the statement that writes the hidden hits, in the
 * transaction of the call's audit rows.
 */
export async function checkDocuments(
  ctx: SubgraphContext<SltdLoaders>,
  inputs: DocumentCheckInput[],
  context?: CheckContextInput | null,
): Promise<DocumentCheckResult[]> {
  const caller = ctx.caller;
  if (!caller) throw new UnauthenticatedError();
  if (inputs.length === 0 || inputs.length > MAX_DOCUMENTS_PER_CHECK) {
    throw new BadUserInputError([
      {
        field: 'input',
        reason: `must hold between 1 and ${MAX_DOCUMENTS_PER_CHECK} documents (got ${inputs.length})`,
      },
    ]);
  }
  const call: CheckCall = {
    caller,
    context: auditedCheckContext(ctx, caller, context, 'sltd:check', 'checkDocuments'),
  };
  const prepared = inputs.map((input, index) => prepare(input, index));
  const keysById = uniqueKeys(prepared);
  const keys = [...keysById.values()];
  const found = await findRecordsForCheck(ctx.reads, caller, keys);
  // Each owner keeps its own record of a document: every one of them gets its hit (each owner must learn that its
  // record surfaced); the answer shows the one `preferredRecord` picks among those the checker may see.
  const recordsByKey = new Map<string, typeof found>();
  for (const f of found) recordsByKey.set(keyOf(f.record), [...(recordsByKey.get(keyOf(f.record)) ?? []), f]);
  const shownByKey = new Map<string, SltdRecord>();
  for (const [key, records] of recordsByKey) {
    const shown = preferredRecord(
      records.filter((r) => r.visible).map((r) => r.record),
      caller,
    );
    if (shown) shownByKey.set(key, shown);
  }

  const matches: (Found & { index: number; check: PreparedCheck })[] = [];
  prepared.forEach((check, index) => {
    const records = check.id === null ? undefined : recordsByKey.get(check.id);
    if (records) for (const match of records) matches.push({ index, check, ...match });
  });
  const details = contextDetails(call.context);
  for (const id of keysById.keys())
    ctx.audit.record({
      action: 'CHECK',
      recordType: 'TravelDocument',
      recordId: id,
      ...CHECK_FIELDS,
      ...details,
    });
  if (keys.length > 0 || call.context)
    deferHiddenHitsAndCheck(
      ctx,
      call,
      matches.filter((m) => !m.visible),
      inputs.length,
    );
  const visibleMatches = matches.filter((m) => m.visible);
  // The hit shown for each input: the one of the record the answer shows.
  const hits = new Map<number, Hit>();
  if (visibleMatches.length > 0) {
    await ctx.db.transaction(async (tx) => {
      const created = await insertHits(tx, visibleMatches, call);
      created.forEach((hit, i) => {
        const shown = shownByKey.get(keyOf(visibleMatches[i].record));
        if (shown?.id === hit.recordId) hits.set(visibleMatches[i].index, hit);
      });
      // In the hits' own transaction, so every hit is in the trail and the trail names no hit that is not:
      // events collected for the response (this call's CHECK, other aliases' work) are not written here.
      await ctx.audit.write(tx, ...created.map(hitAuditEvent));
      await enqueueEvents(
        tx,
        created.map((hit, i) => hitCreatedEvent(hit, visibleMatches[i].record)),
      );
    });
  }
  // The document's sltdRecord is resolved in this same request: answer it from the look-up just made, and its
  // NOT_FOUND audit too, where it is null (the records of the key are then all hidden from the caller); the
  // request's loaders answer these keys from it too, for any other field that asks.
  const checked = new Map<string, CheckedRecord>();
  for (const [id, key] of keysById) {
    const records = recordsByKey.get(id);
    const answer: CheckedRecord = {
      shown: shownByKey.get(id) ?? null,
      hidden: records
        ? records
            .filter((match) => !match.visible)
            .map(({ record }) => ({ id: record.id, owner: record.ownerAgencyId }))
        : [],
    };
    checked.set(id, answer);
    ctx.loaders.checkedDocuments.set(documentKeyString(key), answer);
  }
  return prepared.map((check, index) => {
    const visibleHit = hits.get(index) ?? null;
    const mrz = check.mrz;
    return {
      verdict: verdictOf(check, visibleHit !== null),
      problems: check.problems,
      get mrz() {
        return mrz && toMachineReadableZone(mrz);
      },
      document:
        check.key && check.id !== null
          ? checkedTravelDocument(
              check.key.issuingCountry,
              check.key.documentNumber,
              checked.get(check.id) as CheckedRecord,
            )
          : null,
      hit: visibleHit,
    };
  });
}

/**
 * A HIT wins over everything: a stolen passport with a tampered MRZ must still stop its bearer. Otherwise an
 * input with problems (an MRZ whose check digits fail, a bad country code) is INVALID_INPUT, not a clean NO_HIT.
 */
function verdictOf(check: PreparedCheck, hit: boolean): CheckVerdict {
  if (hit) return CheckVerdict.HIT;
  if (!check.key || check.problems.length > 0) return CheckVerdict.INVALID_INPUT;
  return CheckVerdict.NO_HIT;
}

function prepare(input: DocumentCheckInput, index: number): PreparedCheck {
  const field = (name: string) => `input.${index}.${name}`;
  const problems: string[] = [];
  let location = input.location?.trim() || null;
  if (location && location.length > MAX_LOCATION_LENGTH) {
    problems.push(`${field('location')}: must be at most ${MAX_LOCATION_LENGTH} characters`);
    // Reported and not stored: the check still runs (a stolen passport must stop its bearer), its hit is recorded
    // without a location rather than with 100,000 characters of it (docs/security.md, "Bad bytes").
    location = null;
  }
  const hasNumber = input.issuingCountry !== undefined || input.documentNumber !== undefined;
  if (input.mrz !== undefined && input.mrz !== null) {
    if (hasNumber)
      problems.push(`${field('mrz')}: give either mrz or issuingCountry and documentNumber, not both`);
    const result = parseMrz(input.mrz);
    const mrz = result;
    if (!result.ok)
      return {
        problems: [...problems, ...result.problems.map((p) => `${field('mrz')}: ${p}`)],
        mrz,
        key: null,
        id: null,
        location,
      };
    problems.push(...result.mrz.problems.map((p) => `${field('mrz')}: ${p}`));
    const documentNumber = normalizeDocumentNumber(result.mrz.documentNumber);
    const numberProblem = documentNumberProblem(documentNumber);
    if (numberProblem)
      return {
        problems: [...problems, `${field('mrz')}: documentNumber ${numberProblem}`],
        mrz,
        key: null,
        id: null,
        location,
      };
    const key = { issuingCountry: result.mrz.issuingCountry, documentNumber };
    return { problems, mrz, key, id: keyOf(key), location };
  }
  const issuingCountry = (input.issuingCountry ?? '').trim().toUpperCase();
  const documentNumber = normalizeDocumentNumber(input.documentNumber ?? '');
  if (!input.issuingCountry && !input.documentNumber) {
    problems.push(`${field('mrz')}: give either mrz or issuingCountry and documentNumber`);
  } else {
    if (!isDocumentCountryCode(issuingCountry)) {
      problems.push(
        `${field('issuingCountry')}: ${issuingCountry ? `${issuingCountry} is not` : 'must be'} an ISO 3166-1 alpha-3 or ICAO country code`,
      );
    }
    const numberProblem = documentNumberProblem(documentNumber);
    if (numberProblem) problems.push(`${field('documentNumber')}: ${numberProblem}`);
  }
  if (problems.length > 0) return { problems, mrz: null, key: null, id: null, location };
  const key = { issuingCountry, documentNumber };
  return { problems, mrz: null, key, id: keyOf(key), location };
}

/** Each document key once, by `keyOf`, in the order of the input. */
function uniqueKeys(prepared: PreparedCheck[]): Map<string, DocumentKey> {
  const seen = new Map<string, DocumentKey>();
  for (const check of prepared) if (check.key && check.id !== null) seen.set(check.id, check.key);
  return seen;
}

/** The check context as the audit rows record it (`details`). */
function contextDetails(context: CheckContext | null): Pick<AuditEvent, 'details'> {
  return context ? { details: { operation: context.operation, borderPoint: context.borderPoint } } : {};
}

async function insertHits(
  tx: EntityManager,
  matches: { check: PreparedCheck; record: SltdRecord; visible: boolean }[],
  call: CheckCall,
): Promise<Hit[]> {
  const { caller, context } = call;
  // Ids are made here so each returned row maps back to its match, whatever order PostgreSQL returns them in.
  const ids = matches.map(() => randomUUID());
  const rows = await insertCheckHits(
    tx,
    caller,
    context,
    matches.map((m, i) => ({
      id: ids[i],
      recordId: m.record.id,
      ownerAgencyId: m.record.ownerAgencyId,
      location: m.check.location,
      visible: m.visible,
    })),
  );
  const checkedAt = new Map(rows.map((row) => [row.id, row.checked_at]));
  return ids.map((id, i) => newHit(call, matches[i], id, checkedAt.get(id) as Date));
}

function newHit(
  { caller, context }: CheckCall,
  match: { check: PreparedCheck; record: SltdRecord; visible: boolean },
  id: string,
  checkedAt: Date,
): Hit {
  return Object.assign(new Hit(), {
    id,
    recordId: match.record.id,
    ownerAgencyId: match.record.ownerAgencyId,
    checkedByClient: caller.clientId,
    checkedByAgencyId: caller.agencyId,
    checkedByCountry: caller.country,
    checkedAt,
    location: match.check.location,
    visibleToChecker: match.visible,
    status: HitStatus.PENDING,
    outcomeNote: null,
    decidedAt: null,
    decidedByClient: null,
    operationCode: context?.operation ?? null,
    borderPointCode: context?.borderPoint ?? null,
    outcome: null,
    outcomeAt: null,
    outcomeActionNote: null,
    outcomeByClient: null,
  });
}

const hitAuditEvent = (hit: Hit): AuditEvent => ({
  action: 'HIT',
  recordType: 'SltdRecord',
  recordId: hit.recordId,
  ownerAgencyId: hit.ownerAgencyId,
  hiddenFromCaller: !hit.visibleToChecker,
  fields: [`hit:${hit.id}`],
  ...(hit.operationCode && hit.borderPointCode
    ? contextDetails({ operation: hit.operationCode, borderPoint: hit.borderPointCode })
    : {}),
});

/**
 * The hits of records hidden from the checker (it is told NO_HIT; the owner must still learn that its record
 * surfaced). They are written with the request's audit rows before the response leaves, in one statement with
 * them (`RequestAudit.alongside`): the statement that every check with a document to look up runs, with no
 * row or with some: a check of a hidden record does the same work on the request path as a check of an absent
 * number, so its timing tells nothing (docs/security.md, "No existence oracle"). Their HIT audit rows are among
 * the rows that flush inserts, in the same statement: the trail names no hit that is not.
 *
 * A check in an operation's context adds its `sltd.operation_checks` row, and adds itself to its day's count in
 * `sltd.operation_check_days` (what the report reads), in that same statement: no extra round trip, and both commit
 * exactly with the check's audit rows.
 */
function deferHiddenHitsAndCheck(
  ctx: SubgraphContext<SltdLoaders>,
  call: CheckCall,
  hidden: { check: PreparedCheck; record: SltdRecord; visible: boolean }[],
  documents: number,
): void {
  const { caller, context } = call;
  const checkedAt = ctx.now();
  const created = hidden.map((match) => newHit(call, match, randomUUID(), checkedAt));
  for (const hit of created) ctx.audit.record(hitAuditEvent(hit));
  const rows = created.map((hit, i) => ({
    id: hit.id,
    record_id: hit.recordId,
    owner_agency_id: hit.ownerAgencyId,
    location: hit.location,
    // The row enqueueEvents (shared/outbox/outbox.ts) would write, in the same statement as the hit.
    event: hitCreatedEvent(hit, hidden[i].record).payload,
  }));
  ctx.audit.alongside(
    hiddenHitsAndCheckStatement(caller, context, { checkedAt, documents, requestId: ctx.requestId }, rows),
  );
}

/** What the owner's webhook receives about a hit: enough to act on, pointing back to the hit in the graph. */
function hitCreatedEvent(
  hit: Hit,
  record: { issuingCountry: string; documentNumber: string; status: string },
): OutboxEvent {
  return {
    topic: 'hit.created',
    agencyId: hit.ownerAgencyId,
    payload: {
      hitId: hit.id,
      recordId: hit.recordId,
      issuingCountry: record.issuingCountry,
      documentNumber: record.documentNumber,
      recordStatus: record.status,
      checkedAt: hit.checkedAt,
      checkedByAgencyId: hit.checkedByAgencyId,
      checkedByCountry: hit.checkedByCountry,
      location: hit.location,
      checkerWasTold: hit.visibleToChecker ? 'HIT' : 'NO_HIT',
      // A check in a border-security operation: where, so the owner can follow it up with the operation.
      ...(hit.operationCode ? { operation: hit.operationCode, borderPoint: hit.borderPointCode } : {}),
    },
  };
}
