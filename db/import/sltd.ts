import type { GraphQLInputObjectType } from 'graphql';
import { travelDocuments } from '../../subgraphs/travel-documents';
import type { SltdRecord } from '../../subgraphs/travel-documents/sltd-record.entity';
import type { ReportTravelDocumentInput } from '../../subgraphs/travel-documents/sltd-record.input';
import { validateReport } from '../../subgraphs/travel-documents/sltd-record.service';
import {
  mergeImportedRecords,
  SLTD_IMPORT_COLUMNS,
} from '../../subgraphs/travel-documents/sltd-record.repository';
import { copyRow } from './copy-text';
import { repositoryMerge, type ImportKind } from './kind';

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

const STAGING_COLUMNS = [
  'line',
  'issuing_country',
  'document_number',
  ...SLTD_IMPORT_COLUMNS,
  'review_date',
  'review_date_given',
] as const;

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

  // The repository's merge, beside the mutation's statements on the same table.
  merge: repositoryMerge(mergeImportedRecords),
};
