import type { AgencyKind } from '../../shared/auth/caller';
import type { FraudType } from '../../subgraphs/document-alerts/document-alert.entity';
import type { NoticeStatus, NoticeType } from '../../subgraphs/notices/notice.entity';
import type { SltdStatus } from '../../subgraphs/travel-documents/sltd-record.entity';
import { column as col, type TableSpec } from './bulk-insert';
import type { DocumentTypeName } from './documents';

/**
 * The rows the seed writes, one interface per table, and how each maps to its columns (the migrations are the
 * truth: subgraphs/<name>/migrations). Instants are ISO strings and dates `YYYY-MM-DD`, so nothing depends on
 * the machine's time zone. `created_at`-style columns are set explicitly: their `now()` default would make
 * two seeds of the same seed differ.
 */

/** The record-level restriction columns every record table shares (shared/restrictions.ts). */
export interface Restrictions {
  allowedCountries: string[] | null;
  excludedCountries: string[];
  allowedAgencyKinds: string[] | null;
  excludedAgencyKinds: string[];
}

export const UNRESTRICTED: Restrictions = Object.freeze({
  allowedCountries: null,
  excludedCountries: [],
  allowedAgencyKinds: null,
  excludedAgencyKinds: [],
}) as Restrictions;

const restrictionColumns = <Row extends { restrictions: Restrictions }>() => [
  col<Row>('allowed_countries', 'text[]', (r) => r.restrictions.allowedCountries),
  col<Row>('excluded_countries', 'text[]', (r) => r.restrictions.excludedCountries),
  col<Row>('allowed_agency_kinds', 'text[]', (r) => r.restrictions.allowedAgencyKinds),
  col<Row>('excluded_agency_kinds', 'text[]', (r) => r.restrictions.excludedAgencyKinds),
];

export type { AgencyKind };

export interface AgencyRow {
  id: string;
  code: string;
  name: string;
  kind: AgencyKind;
  country: string | null;
  authorisedBy: string | null;
  createdAt: string;
}

export const AGENCIES: TableSpec<AgencyRow> = {
  table: 'partners.agencies',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('code', 'text', (r) => r.code),
    col('name', 'text', (r) => r.name),
    col('kind', 'text', (r) => r.kind),
    col('country', 'text', (r) => r.country),
    col('authorised_by', 'uuid', (r) => r.authorisedBy),
    col('created_at', 'timestamptz', (r) => r.createdAt),
  ],
};

export interface AgreementRow {
  id: string;
  agencyId: string;
  scopes: readonly string[];
  validFrom: string;
  createdAt: string;
}

export const AGREEMENTS: TableSpec<AgreementRow> = {
  table: 'partners.agreements',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('agency_id', 'uuid', (r) => r.agencyId),
    col('scopes', 'text[]', (r) => r.scopes),
    col('valid_from', 'timestamptz', (r) => r.validFrom),
    col('created_at', 'timestamptz', (r) => r.createdAt),
  ],
};

export interface ApiClientRow {
  clientId: string;
  agencyId: string;
  secretHash: string;
  description: string;
  createdAt: string;
}

export const API_CLIENTS: TableSpec<ApiClientRow> = {
  table: 'partners.api_clients',
  columns: [
    col('client_id', 'text', (r) => r.clientId),
    col('agency_id', 'uuid', (r) => r.agencyId),
    col('secret_hash', 'text', (r) => r.secretHash),
    col('description', 'text', (r) => r.description),
    col('created_at', 'timestamptz', (r) => r.createdAt),
  ],
};

// The code's enums, as their string values: type-only imports, so the seed loads none of the GraphQL classes.
export type SltdStatusName = `${SltdStatus}`;

export interface SltdRecordRow {
  id: string;
  issuingCountry: string;
  documentNumber: string;
  documentType: DocumentTypeName;
  status: SltdStatusName;
  series: string | null;
  ownerAgencyId: string;
  ownerCountry: string;
  nationalReference: string | null;
  holderSurname: string | null;
  holderForenames: string | null;
  holderDateOfBirth: string | null;
  holderNationality: string | null;
  issueDate: string | null;
  expiryDate: string | null;
  theftDate: string | null;
  theftCountry: string | null;
  theftPlace: string | null;
  reportedAt: string;
  updatedAt: string;
  reviewDate: string;
  restrictions: Restrictions;
}

export const SLTD_RECORDS: TableSpec<SltdRecordRow> = {
  table: 'sltd.records',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('issuing_country', 'text', (r) => r.issuingCountry),
    col('document_number', 'text', (r) => r.documentNumber),
    col('document_type', 'text', (r) => r.documentType),
    col('status', 'text', (r) => r.status),
    col('series', 'text', (r) => r.series),
    col('owner_agency_id', 'uuid', (r) => r.ownerAgencyId),
    col('owner_country', 'text', (r) => r.ownerCountry),
    col('national_reference', 'text', (r) => r.nationalReference),
    col('holder_surname', 'text', (r) => r.holderSurname),
    col('holder_forenames', 'text', (r) => r.holderForenames),
    col('holder_date_of_birth', 'date', (r) => r.holderDateOfBirth),
    col('holder_nationality', 'text', (r) => r.holderNationality),
    col('issue_date', 'date', (r) => r.issueDate),
    col('expiry_date', 'date', (r) => r.expiryDate),
    col('theft_date', 'date', (r) => r.theftDate),
    col('theft_country', 'text', (r) => r.theftCountry),
    col('theft_place', 'text', (r) => r.theftPlace),
    col('reported_at', 'timestamptz', (r) => r.reportedAt),
    col('updated_at', 'timestamptz', (r) => r.updatedAt),
    col('review_date', 'date', (r) => r.reviewDate),
    ...restrictionColumns<SltdRecordRow>(),
  ],
};

export type NoticeTypeName = `${NoticeType}`;
export type NoticeStatusName = `${NoticeStatus}`;

export interface NoticeRow {
  id: string;
  controlNumber: string;
  type: NoticeTypeName;
  status: NoticeStatusName;
  title: string;
  ownerAgencyId: string;
  ownerCountry: string;
  subjectSurname: string | null;
  subjectForenames: string | null;
  subjectDateOfBirth: string | null;
  subjectSex: 'F' | 'M' | 'X' | null;
  subjectNationalities: string[];
  subjectPlaceOfBirth: string | null;
  distinguishingMarks: string | null;
  charges: string[];
  requestedAt: string;
  publishedAt: string | null;
  statusReason: string | null;
  reviewDate: string;
  restrictions: Restrictions;
}

export const NOTICES: TableSpec<NoticeRow> = {
  table: 'notices.notices',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('control_number', 'text', (r) => r.controlNumber),
    col('type', 'text', (r) => r.type),
    col('status', 'text', (r) => r.status),
    col('title', 'text', (r) => r.title),
    col('owner_agency_id', 'uuid', (r) => r.ownerAgencyId),
    col('owner_country', 'text', (r) => r.ownerCountry),
    col('subject_surname', 'text', (r) => r.subjectSurname),
    col('subject_forenames', 'text', (r) => r.subjectForenames),
    col('subject_date_of_birth', 'date', (r) => r.subjectDateOfBirth),
    col('subject_sex', 'text', (r) => r.subjectSex),
    col('subject_nationalities', 'text[]', (r) => r.subjectNationalities),
    col('subject_place_of_birth', 'text', (r) => r.subjectPlaceOfBirth),
    col('distinguishing_marks', 'text', (r) => r.distinguishingMarks),
    col('charges', 'text[]', (r) => r.charges),
    col('requested_at', 'timestamptz', (r) => r.requestedAt),
    col('published_at', 'timestamptz', (r) => r.publishedAt),
    col('status_reason', 'text', (r) => r.statusReason),
    col('review_date', 'date', (r) => r.reviewDate),
    ...restrictionColumns<NoticeRow>(),
  ],
};

export interface AliasRow {
  id: string;
  noticeId: string;
  surname: string | null;
  forenames: string | null;
}

export const ALIASES: TableSpec<AliasRow> = {
  table: 'notices.aliases',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('notice_id', 'uuid', (r) => r.noticeId),
    col('surname', 'text', (r) => r.surname),
    col('forenames', 'text', (r) => r.forenames),
  ],
};

export interface WarrantRow {
  id: string;
  noticeId: string;
  warrantNumber: string;
  issuingAuthority: string;
  issuedOn: string;
  charges: string;
}

export const WARRANTS: TableSpec<WarrantRow> = {
  table: 'notices.arrest_warrants',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('notice_id', 'uuid', (r) => r.noticeId),
    col('warrant_number', 'text', (r) => r.warrantNumber),
    col('issuing_authority', 'text', (r) => r.issuingAuthority),
    col('issued_on', 'date', (r) => r.issuedOn),
    col('charges', 'text', (r) => r.charges),
  ],
};

export interface NoticeDocumentRow {
  noticeId: string;
  issuingCountry: string;
  documentNumber: string;
  documentType: DocumentTypeName;
}

export const NOTICE_DOCUMENTS: TableSpec<NoticeDocumentRow> = {
  table: 'notices.documents',
  columns: [
    col('notice_id', 'uuid', (r) => r.noticeId),
    col('issuing_country', 'text', (r) => r.issuingCountry),
    col('document_number', 'text', (r) => r.documentNumber),
    col('document_type', 'text', (r) => r.documentType),
  ],
};

export type FraudTypeName = `${FraudType}`;

export interface AlertRow {
  id: string;
  alertNumber: string;
  issuingCountry: string;
  documentType: DocumentTypeName;
  series: string | null;
  fraudType: FraudTypeName;
  description: string;
  indicators: string[];
  numberFrom: string | null;
  numberTo: string | null;
  numberPattern: string | null;
  ownerAgencyId: string;
  ownerCountry: string | null;
  publishedAt: string;
  reviewDate: string;
  restrictions: Restrictions;
}

export const ALERTS: TableSpec<AlertRow> = {
  table: 'alerts.alerts',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('alert_number', 'text', (r) => r.alertNumber),
    col('issuing_country', 'text', (r) => r.issuingCountry),
    col('document_type', 'text', (r) => r.documentType),
    col('series', 'text', (r) => r.series),
    col('fraud_type', 'text', (r) => r.fraudType),
    col('description', 'text', (r) => r.description),
    col('indicators', 'text[]', (r) => r.indicators),
    col('number_from', 'text', (r) => r.numberFrom),
    col('number_to', 'text', (r) => r.numberTo),
    col('number_pattern', 'text', (r) => r.numberPattern),
    col('owner_agency_id', 'uuid', (r) => r.ownerAgencyId),
    col('owner_country', 'text', (r) => r.ownerCountry),
    col('published_at', 'timestamptz', (r) => r.publishedAt),
    col('review_date', 'date', (r) => r.reviewDate),
    ...restrictionColumns<AlertRow>(),
  ],
};
