import type { GraphQLInputObjectType } from 'graphql';
import type pg from 'pg';
import { travelDocuments } from '../../subgraphs/travel-documents';
import type { SltdRecord } from '../../subgraphs/travel-documents/sltd-record.entity';
import type { ReportTravelDocumentInput } from '../../subgraphs/travel-documents/sltd-record.input';
import { validateReport } from '../../subgraphs/travel-documents/sltd-record.service';
import { copyRow } from './copy-text';
import { changedRecords, type ImportKind, type MergeOptions, type MergeResult } from './kind';
import type { ImportOwner } from './owner';

/**
 * SLTD records: a line is `reportTravelDocument`'s input (ReportTravelDocumentInput), validated by the same
 * `validateReport`. The natural key is (issuingCountry, documentNumber) among records not withdrawn: a line for
 * a document the importing agency already has on file updates it (only the columns that differ, so a file
 * imported twice changes nothing the second time); one on file for another agency is refused.
 *
 * CSV columns (header names = the input's field paths; lists separated by `;`):
 *   issuingCountry*, documentNumber*, documentType*, status*, series, nationalReference, holder.surname,
 *   holder.forenames, holder.dateOfBirth, holder.nationality, issueDate, expiryDate, theftDate, theftCountry,
 *   theftPlace, reviewDate, restrictions.allowedCountries, restrictions.excludedCountries,
 *   restrictions.allowedAgencyKinds, restrictions.excludedAgencyKinds          (* required)
 */
interface SltdImportRow {
  record: SltdRecord;
  /** A line without a review date takes the default when new, and keeps the record's own when it updates one. */
  reviewDateGiven: boolean;
}

/** The columns a line sets, besides its key and review date: compared, and updated where they differ. */
const DATA_COLUMNS = [
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

const STAGING_COLUMNS = [
  'line',
  'issuing_country',
  'document_number',
  ...DATA_COLUMNS,
  'review_date',
  'review_date_given',
] as const;

const NEW_REVIEW_DATE = 'CASE WHEN s.review_date_given THEN s.review_date ELSE r.review_date END';

let inputType: Promise<GraphQLInputObjectType> | null = null;

export const sltdImport: ImportKind<SltdImportRow> = {
  name: 'sltd',
  tables: ['sltd.records'],
  recordType: 'SltdRecord',
  subgraph: 'travel-documents',
  mutation: 'reportTravelDocument',
  writeScope: 'sltd:write',
  inputType: () =>
    (inputType ??= travelDocuments
      .buildSchema()
      .then(({ schema }) => schema.getType('ReportTravelDocumentInput') as GraphQLInputObjectType)),

  ownerProblem: (owner) =>
    !owner.country || (owner.agencyKind !== 'NCB' && owner.agencyKind !== 'NATIONAL_ENTITY')
      ? 'only a national bureau or an entity it authorised reports travel documents'
      : null,

  validate(input, owner, now) {
    const report = input as ReportTravelDocumentInput;
    return {
      record: validateReport(report, owner.agencyId, owner.country ?? '', now),
      reviewDateGiven: Boolean(report.reviewDate),
    };
  },

  duplicateField: 'documentNumber',

  stagingTable: `
    CREATE TEMP TABLE import_rows (
      line int NOT NULL,
      issuing_country varchar(3) NOT NULL,
      document_number varchar(23) NOT NULL,
      document_type text NOT NULL,
      status text NOT NULL,
      series text,
      national_reference text,
      holder_surname text,
      holder_forenames text,
      holder_date_of_birth date,
      holder_nationality varchar(3),
      issue_date date,
      expiry_date date,
      theft_date date,
      theft_country varchar(3),
      theft_place text,
      allowed_countries text[],
      excluded_countries text[] NOT NULL,
      allowed_agency_kinds text[],
      excluded_agency_kinds text[] NOT NULL,
      review_date date NOT NULL,
      review_date_given boolean NOT NULL,
      match_id uuid
    ) ON COMMIT DROP`,
  stagingColumns: STAGING_COLUMNS,
  keyColumns: ['issuing_country', 'document_number'],

  copyRow: ({ record: r, reviewDateGiven }, line) =>
    copyRow([
      line,
      r.issuingCountry,
      r.documentNumber,
      r.documentType,
      r.status,
      r.series,
      r.nationalReference,
      r.holderSurname,
      r.holderForenames,
      r.holderDateOfBirth,
      r.holderNationality,
      r.issueDate,
      r.expiryDate,
      r.theftDate,
      r.theftCountry,
      r.theftPlace,
      r.allowedCountries,
      r.excludedCountries,
      r.allowedAgencyKinds,
      r.excludedAgencyKinds,
      r.reviewDate,
      reviewDateGiven,
    ]),

  merge: mergeSltd,
};

async function mergeSltd(
  client: pg.ClientBase,
  owner: ImportOwner,
  options: MergeOptions,
): Promise<MergeResult> {
  // One index probe per staged row finds the importer's own record, if any: a join would read the whole table for
  // every chunk (ten million records in the scale data set), and the steps below would each do it again. Another
  // agency's record of the document is neither matched nor an obstacle: each owner keeps its own record, so the
  // import, like reportTravelDocument, says nothing about records the importer may not see (docs/security.md).
  await client.query(
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
  const updated = await changedRecords(
    client,
    `UPDATE sltd.records r
        SET ${DATA_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')},
            review_date = ${NEW_REVIEW_DATE}, updated_at = now()
       FROM import_rows s
      WHERE r.id = s.match_id
        AND (${DATA_COLUMNS.map((c) => `r.${c}`).join(', ')}, r.review_date)
            IS DISTINCT FROM (${DATA_COLUMNS.map((c) => `s.${c}`).join(', ')}, ${NEW_REVIEW_DATE})
      RETURNING r.id`,
    [],
    options.idLimit,
  );
  // Ids are random, so new rows are inserted in id order: the primary key's pages are then visited once each,
  // in order, instead of at random for every row.
  const inserted = await changedRecords(
    client,
    `INSERT INTO sltd.records
       (id, issuing_country, document_number, ${DATA_COLUMNS.join(', ')}, review_date, owner_agency_id, owner_country)
     SELECT * FROM (
       SELECT gen_random_uuid() AS new_id, s.issuing_country, s.document_number,
              ${DATA_COLUMNS.map((c) => `s.${c}`).join(', ')}, s.review_date, $1::uuid, $2
         FROM import_rows s
        WHERE s.match_id IS NULL) AS fresh
     ORDER BY new_id
     RETURNING id`,
    [owner.agencyId, owner.country],
    options.idLimit,
  );
  return {
    inserted,
    updated,
    rejected: [],
  };
}
