import type { GraphQLInputObjectType } from 'graphql';
import { notices } from '../../subgraphs/notices';
import type { RequestNoticeInput } from '../../subgraphs/notices/notice.input';
import { validateNoticeRequest, type NoticeDraft } from '../../subgraphs/notices/notice.service';
import {
  mergeImportedNotices,
  NOTICE_IMPORT_COLUMNS,
  NOTICE_IMPORT_TABLES,
  noticeNaturalKey,
} from '../../subgraphs/notices/notice.repository';
import { copyRow } from './copy-text';
import { repositoryMerge, type ImportKind } from './kind';

/**
 * Notices: a line is `requestNotice`'s input (RequestNoticeInput), validated by the same `validateNoticeRequest`;
 * a new notice is REQUESTED (the General Secretariat publishes it) and gets its control number from the hub's
 * sequence, as the mutation does. The same notice is the bureau's own notice, requested or published, of the same
 * type on the same subject (surname, forenames, date of birth; the title when there is no named subject): such a
 * line updates the title, subject, charges, restrictions, review date (when given) and the aliases, warrants and
 * documents (replaced) where anything differs. Notices are matched within the owner only.
 *
 * NDJSON is the format: aliases, arrest warrants and documents are lists of objects, which a CSV cell cannot
 * hold (a CSV file may carry notices without them: type, title, subject.*, charges, restrictions.*, reviewDate).
 */
interface NoticeImportRow {
  draft: NoticeDraft;
  reviewDateGiven: boolean;
}

let inputType: Promise<GraphQLInputObjectType> | null = null;

export const noticesImport: ImportKind<NoticeImportRow> = {
  name: 'notices',
  tables: NOTICE_IMPORT_TABLES,
  recordType: 'Notice',
  subgraph: 'notices',
  mutation: 'requestNotice',
  writeScope: 'notices:write',
  inputType: () =>
    (inputType ??= notices
      .buildSchema()
      .then(({ schema }) => schema.getType('RequestNoticeInput') as GraphQLInputObjectType)),

  ownerProblem: (owner) =>
    owner.agencyKind !== 'NCB' || !owner.country ? 'only a National Central Bureau requests notices' : null,

  validate(input, _owner, now) {
    const request = input as RequestNoticeInput;
    return { draft: validateNoticeRequest(request, now), reviewDateGiven: Boolean(request.reviewDate) };
  },

  duplicateField: 'subject',

  stagingTable: `
    CREATE TEMP TABLE import_rows (
      line int NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      natural_key text NOT NULL,
      type text NOT NULL,
      title text NOT NULL,
      subject_surname text,
      subject_forenames text,
      subject_date_of_birth date,
      subject_sex char(1),
      subject_nationalities text[] NOT NULL,
      subject_place_of_birth text,
      distinguishing_marks text,
      charges text[] NOT NULL,
      allowed_countries text[],
      excluded_countries text[] NOT NULL,
      allowed_agency_kinds text[],
      excluded_agency_kinds text[] NOT NULL,
      owner_review_date date,
      review_date date NOT NULL,
      review_date_given boolean NOT NULL,
      aliases jsonb NOT NULL,
      warrants jsonb NOT NULL,
      documents jsonb NOT NULL
    ) ON COMMIT DROP;
    CREATE TEMP TABLE import_changed (id uuid NOT NULL, line int NOT NULL, created boolean NOT NULL) ON COMMIT DROP`,
  stagingColumns: [
    'line',
    'natural_key',
    'type',
    ...NOTICE_IMPORT_COLUMNS,
    'owner_review_date',
    'review_date',
    'review_date_given',
    'aliases',
    'warrants',
    'documents',
  ],
  keyColumns: ['natural_key'],

  copyRow: ({ draft, reviewDateGiven }, line) => {
    const n = draft.notice;
    return copyRow([
      line,
      noticeNaturalKey(draft.notice),
      n.type,
      n.title,
      n.subjectSurname,
      n.subjectForenames,
      n.subjectDateOfBirth,
      n.subjectSex,
      n.subjectNationalities ?? [],
      n.subjectPlaceOfBirth,
      n.distinguishingMarks,
      n.charges ?? [],
      n.allowedCountries,
      n.excludedCountries,
      n.allowedAgencyKinds,
      n.excludedAgencyKinds,
      n.ownerReviewDate,
      n.reviewDate,
      reviewDateGiven,
      JSON.stringify(draft.aliases.map((a) => ({ surname: a.surname, forenames: a.forenames }))),
      JSON.stringify(
        draft.warrants.map((w) => ({
          warrant_number: w.warrantNumber,
          issuing_authority: w.issuingAuthority,
          issued_on: w.issuedOn,
          charges: w.charges,
        })),
      ),
      JSON.stringify(
        draft.documents.map((d) => ({
          issuing_country: d.issuingCountry,
          document_number: d.documentNumber,
          document_type: d.documentType,
        })),
      ),
    ]);
  },

  // The repository's merge, beside the mutation's statements on the same table.
  merge: repositoryMerge(mergeImportedNotices),
};
