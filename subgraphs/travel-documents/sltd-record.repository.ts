import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { countryVariants } from '../../shared/countries';
import { manyByKey } from '../../shared/loaders';
import type { RecordGate, RecordOwner } from '../../shared/record-gate';
import { queryPrepared, type PreparedStatement } from '../../shared/prepared-statement';
import {
  restrictionColumnsAs,
  visibleTo,
  visibleToPositional,
  type PositionalCondition,
  type VisibilityForm,
} from '../../shared/restrictions';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { SltdRecord } from './sltd-record.entity';
import type { SltdRecordFilter } from './sltd-record.input';
import { documentKeyString, type DocumentKey } from '../../shared/documents/document-key';
import { changedRecords, updateFromStaged, type ImportMerge } from '../../shared/bulk-merge';

/**
 * All SQL reading SLTD records, each query restricted to what the caller may see. Withdrawn records are off the
 * SLTD; only the change gate takes them (and shows them to those who may change them).
 */
function visibleRecords(
  db: DataSource | EntityManager,
  caller: Caller | null,
  withdrawn = false,
): SelectQueryBuilder<SltdRecord> {
  const visible = visibleTo('r', caller);
  return db
    .getRepository(SltdRecord)
    .createQueryBuilder('r')
    .where(withdrawn ? 'true' : 'r.withdrawn_at IS NULL')
    .andWhere(visible.sql, visible.params);
}

/** Every mutation on a SLTD record finds it here (shared/record-gate.ts). */
export const sltdRecordGate: RecordGate<SltdRecord> = {
  label: 'SLTD record',
  recordType: 'SltdRecord',
  table: 'sltd.records',
  alias: 'r',
  visible: (tx, caller) => visibleRecords(tx, caller, true),
  forbidden: (record) =>
    `Only the NCB of ${record.ownerCountry} or the reporting agency may change this record`,
  outOfForce: (record) => (record.withdrawnAt ? 'The record was already withdrawn' : null),
};

/**
 * The columns a bulk-import line sets besides its key and review date (db/import/sltd.ts stages them under these
 * names): compared, and updated where they differ.
 */
export const SLTD_IMPORT_COLUMNS = [
  'document_type',
  'status',
  'series',
  'national_reference',
  'holder_surname',
  'holder_forenames',
  'holder_date_of_birth',
  'holder_nationality',
  'issue_date',
  'expiry_date',
  'theft_date',
  'theft_country',
  'theft_place',
  'allowed_countries',
  'excluded_countries',
  'allowed_agency_kinds',
  'excluded_agency_kinds',
] as const;

/**
 * The bulk import's merge of its staged rows (`import_rows`: the key, SLTD_IMPORT_COLUMNS, review_date,
 * review_date_given and match_id) into the owner's records, in the import's transaction: a document the owner has
 * on file (not withdrawn) is updated where anything differs, any other is inserted as the owner's.
 */
export const mergeImportedRecords: ImportMerge = async (db, owner, idLimit) => {
  const columns = SLTD_IMPORT_COLUMNS;
  // One index probe per staged row finds the importer's own record, if any: a join would read the whole table for
  // every chunk (ten million records in the scale data set), and the steps below would each do it again. Another
  // agency's record of the document is neither matched nor an obstacle: each owner keeps its own record, so the
  // import, like reportTravelDocument, says nothing about records the importer may not see (docs/security.md).
  await db.query(
    `UPDATE import_rows s SET match_id = m.id
       FROM (SELECT s2.line, r.id
               FROM import_rows s2
               CROSS JOIN LATERAL (
                 SELECT r.id FROM sltd.records r
                  WHERE r.issuing_country = s2.issuing_country AND r.document_number = s2.document_number
                    AND r.owner_agency_id = $1 AND r.withdrawn_at IS NULL) AS r) AS m
      WHERE s.line = m.line`,
    [owner.agencyId],
  );
  // A line without a review date takes the default when new, and keeps the record's own when it updates one.
  const update = updateFromStaged('r', columns);
  const updated = await changedRecords(
    db,
    `UPDATE sltd.records r SET ${update.set}, updated_at = now()
       FROM import_rows s
      WHERE r.id = s.match_id AND ${update.differs}
      RETURNING r.id`,
    [],
    idLimit,
  );
  // Ids are random, so new rows are inserted in id order: the primary key's pages are then visited once each,
  // in order, instead of at random for every row.
  const inserted = await changedRecords(
    db,
    `INSERT INTO sltd.records
       (id, issuing_country, document_number, ${columns.join(', ')}, review_date, owner_agency_id, owner_country)
     SELECT * FROM (
       SELECT gen_random_uuid() AS new_id, s.issuing_country, s.document_number,
              ${columns.map((c) => `s.${c}`).join(', ')}, s.review_date, $1::uuid, $2
         FROM import_rows s
        WHERE s.match_id IS NULL) AS fresh
     ORDER BY new_id
     RETURNING id`,
    [owner.agencyId, owner.country],
    idLimit,
  );
  return { inserted, updated };
};

export function findRecordsByIds(
  db: DataSource,
  caller: Caller | null,
  ids: string[],
): Promise<SltdRecord[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return visibleRecords(db, caller).andWhere('r.id = ANY (:ids::uuid[])', { ids }).getMany();
}

/**
 * Which record answers for a document when several owners keep one (each owner keeps its own: docs/security.md,
 * "No existence oracle"): among those the caller may see, its own agency's record, else the oldest report (the
 * first to put the document on file; ties by id, so every request answers alike). Null when it sees none.
 */
export function preferredRecord<R extends Pick<SltdRecord, 'id' | 'ownerAgencyId' | 'reportedAt'>>(
  records: readonly R[],
  caller: Caller | null,
): R | null {
  let best: R | null = null;
  const rank = (r: R) => (caller && r.ownerAgencyId === caller.agencyId ? 0 : 1);
  for (const record of records) {
    if (
      !best ||
      rank(record) < rank(best) ||
      (rank(record) === rank(best) &&
        (record.reportedAt < best.reportedAt ||
          (record.reportedAt.getTime() === best.reportedAt.getTime() && record.id < best.id)))
    )
      best = record;
  }
  return best;
}

/**
 * A record's columns as its entity's properties, for the constant statements below (plain rows, no hydration).
 * Dates as ISO text, as TypeORM gives them for `date` columns; sltd-record.repository.db.spec.ts holds these rows equal to
 * TypeORM's entities for the same record.
 */
const RECORD_COLUMNS = `r.id, r.issuing_country AS "issuingCountry", r.document_number AS "documentNumber",
  r.document_type AS "documentType", r.status, r.series, r.owner_country AS "ownerCountry",
  r.national_reference AS "nationalReference", r.holder_surname AS "holderSurname",
  r.holder_forenames AS "holderForenames", r.holder_date_of_birth::text AS "holderDateOfBirth",
  r.holder_nationality AS "holderNationality", r.issue_date::text AS "issueDate",
  r.expiry_date::text AS "expiryDate", r.theft_date::text AS "theftDate", r.theft_country AS "theftCountry",
  r.theft_place AS "theftPlace", r.reported_at AS "reportedAt", r.updated_at AS "updatedAt",
  r.review_date::text AS "reviewDate", r.withdrawn_at AS "withdrawnAt", ${restrictionColumnsAs('r')}`;

/** A plain row as the SltdRecord the resolvers take (the class is the GraphQL type). */
const asRecord = (row: object): SltdRecord => Object.assign(new SltdRecord(), row);

/** The statements below for each form of the caller's visibility predicate, made once per process. */
const checkStatements = new Map<VisibilityForm, PreparedStatement>();
const documentStatements = new Map<VisibilityForm, PreparedStatement>();

/**
 * The live records of documents (keys as two arrays, `$1` and `$2`); the check's look-up takes every record with
 * whether the caller may see it (`withVisible`), the others only those it may see.
 */
function recordsStatement(
  made: Map<VisibilityForm, PreparedStatement>,
  name: string,
  visible: PositionalCondition,
  withVisible = false,
): PreparedStatement {
  let statement = made.get(visible.form);
  if (!statement) {
    statement = {
      name: `${name}_${visible.form}`,
      text: `SELECT ${RECORD_COLUMNS}${withVisible ? `, ${visible.sql} AS visible` : ''}
  FROM sltd.records r
 WHERE r.withdrawn_at IS NULL${withVisible ? '' : ` AND ${visible.sql}`}
   AND (r.issuing_country, r.document_number) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))`,
    };
    made.set(visible.form, statement);
  }
  return statement;
}

/**
 * One statement for any number of documents: the keys travel as two arrays and probe the unique index's prefix.
 * Every visible record of each document comes back (one per owner); `preferredRecord` picks the one to show.
 * Every `TravelDocument.sltdRecord` outside a check asks it (a LinkedRecords page, through `_entities`): a constant
 * text, prepared once per connection, as the check's look-up below.
 */
export async function findRecordsByDocumentKeys(
  db: DataSource,
  caller: Caller | null,
  keys: readonly DocumentKey[],
): Promise<SltdRecord[]> {
  if (keys.length === 0) return [];
  const visible = visibleToPositional('r', caller, 3);
  const rows = await queryPrepared(
    db,
    recordsStatement(documentStatements, 'sltd_records_of_documents', visible),
    [keys.map((k) => k.issuingCountry), keys.map((k) => k.documentNumber), ...visible.values],
  );
  return rows.map(asRecord);
}

/**
 * The records on file of these documents whoever may see them, with their owners: for the owners' copies of a
 * NOT_FOUND when a document's record was answered null (shared/record-gate.ts `notFoundAudit`). On file as the
 * border check reads them (withdrawn records are off the SLTD), so a check's own look-up can stand in for this
 * one. One statement for any number of documents, run for every null answer, so a hidden record costs what an
 * absent one does. For each key, its records (one per owner).
 */
export async function recordOwnersOfDocuments(
  db: Pick<EntityManager, 'query'>,
  keys: readonly DocumentKey[],
): Promise<RecordOwner[][]> {
  if (keys.length === 0) return [];
  const rows = (await db.query(
    `SELECT r.id::text, r.owner_agency_id::text AS owner, r.issuing_country, r.document_number
       FROM sltd.records r
      WHERE r.withdrawn_at IS NULL
        AND (r.issuing_country, r.document_number) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))`,
    [keys.map((k) => k.issuingCountry), keys.map((k) => k.documentNumber)],
  )) as (RecordOwner & { issuing_country: string; document_number: string })[];
  return manyByKey(
    keys,
    rows,
    (row) => ({ issuingCountry: row.issuing_country, documentNumber: row.document_number }),
    documentKeyString,
  ).map((records) => records.map(({ id, owner }) => ({ id, owner })));
}

export async function listRecords(
  db: DataSource,
  caller: Caller | null,
  filter: SltdRecordFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<SltdRecord>> {
  const query = visibleRecords(db, caller);
  if (filter?.issuingCountry)
    query.andWhere('r.issuing_country = ANY (:countries::text[])', {
      countries: countryVariants(filter.issuingCountry),
    });
  if (filter?.status) query.andWhere('r.status = :status', { status: filter.status });
  if (filter?.documentType) query.andWhere('r.document_type = :type', { type: filter.documentType });
  if (filter?.ownedByMe && caller) query.andWhere('r.owner_agency_id = :me', { me: caller.agencyId });
  if (filter?.reportedAfter) query.andWhere('r.reported_at >= :from', { from: filter.reportedAfter });
  if (filter?.reportedBefore) query.andWhere('r.reported_at < :to', { to: filter.reportedBefore });
  return pageNewestFirst(query, { alias: 'r', name: 'reported_at' }, first, after);
}

/**
 * The border check's look-up: every document of a call in one statement, restricted records included, each with
 * whether the caller may see it (the owner of a restricted record still gets the hit). The hottest statement of
 * the hub: a constant text, prepared once per connection (shared/prepared-statement.ts), on the data source the request reads
 * from (`ctx.reads`: the replica or the primary).
 */
export async function findRecordsForCheck(
  db: DataSource,
  caller: Caller,
  keys: readonly DocumentKey[],
): Promise<{ record: SltdRecord; visible: boolean }[]> {
  if (keys.length === 0) return [];
  const visible = visibleToPositional('r', caller, 3);
  const rows = await queryPrepared<{ visible: boolean }>(
    db,
    recordsStatement(checkStatements, 'sltd_records_for_check', visible, true),
    [keys.map((k) => k.issuingCountry), keys.map((k) => k.documentNumber), ...visible.values],
  );
  return rows.map(({ visible: isVisible, ...row }) => ({
    record: asRecord(row),
    visible: isVisible === true,
  }));
}
