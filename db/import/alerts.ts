import type { GraphQLInputObjectType } from 'graphql';
import type pg from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import { documentAlerts } from '../../subgraphs/document-alerts';
import type { DocumentAlert } from '../../subgraphs/document-alerts/document-alert.entity';
import type { PublishDocumentAlertInput } from '../../subgraphs/document-alerts/document-alert.input';
import { validateAlert } from '../../subgraphs/document-alerts/document-alert.service';
import {
  ALERT_IMPORT_COLUMNS,
  ALERT_IMPORT_KEY_COLUMNS,
  alertNaturalKey,
  mergeImportedAlerts,
} from '../../subgraphs/document-alerts/document-alert.repository';
import { copyRow } from './copy-text';
import { repositoryMerge, type ImportKind } from './kind';

/**
 * Document alerts: a line is `publishDocumentAlert`'s input (PublishDocumentAlertInput), validated by the same
 * `validateAlert` (number patterns are compiled by PostgreSQL, on a connection of their own). An alert is the
 * same alert when the same publisher names the same model and numbers: (issuingCountry, documentType, series,
 * fraudType, numberFrom, numberTo, numberPattern) among its alerts in force. Such a line updates the description,
 * indicators, restrictions and review date where they differ; another publisher's alert on the same model is
 * not a conflict (several agencies may warn about one model), so alerts are matched within the owner only.
 * New alerts get their number from the hub's sequence, as the mutation gives it.
 *
 * CSV columns (lists separated by `;`):
 *   issuingCountry*, documentType*, series, fraudType*, description*, indicators*, numberFrom, numberTo,
 *   numberPattern, restrictions.allowedCountries, restrictions.excludedCountries,
 *   restrictions.allowedAgencyKinds, restrictions.excludedAgencyKinds, reviewDate          (* required)
 */
interface AlertImportRow {
  alert: Partial<DocumentAlert>;
  reviewDateGiven: boolean;
}

let inputType: Promise<GraphQLInputObjectType> | null = null;

/** validateAlert takes a DataSource for its pattern check; the import lends it a plain connection. */
function patternChecker(client: pg.ClientBase): DataSource {
  return {
    query: async (sql: string, params?: unknown[]) => {
      try {
        return (await client.query(sql, params)).rows;
      } catch (error) {
        throw new QueryFailedError(sql, params, error as Error);
      }
    },
  } as unknown as DataSource;
}

export const alertsImport: ImportKind<AlertImportRow> = {
  name: 'alerts',
  tables: ['alerts.alerts'],
  recordType: 'DocumentAlert',
  subgraph: 'document-alerts',
  mutation: 'publishDocumentAlert',
  writeScope: 'alerts:write',
  inputType: () =>
    (inputType ??= documentAlerts
      .buildSchema()
      .then(({ schema }) => schema.getType('PublishDocumentAlertInput') as GraphQLInputObjectType)),

  // publishDocumentAlert asks only for the scope.
  ownerProblem: () => null,

  async validate(input, _owner, now, db) {
    const publish = input as PublishDocumentAlertInput;
    return {
      alert: await validateAlert(patternChecker(db), publish, now),
      reviewDateGiven: Boolean(publish.reviewDate),
    };
  },

  duplicateField: 'issuingCountry',

  stagingTable: `
    CREATE TEMP TABLE import_rows (
      line int NOT NULL,
      natural_key text NOT NULL,
      issuing_country varchar(3) NOT NULL,
      document_type text NOT NULL,
      series text,
      fraud_type text NOT NULL,
      number_from varchar(23),
      number_to varchar(23),
      number_pattern text,
      description text NOT NULL,
      indicators text[] NOT NULL,
      allowed_countries text[],
      excluded_countries text[] NOT NULL,
      allowed_agency_kinds text[],
      excluded_agency_kinds text[] NOT NULL,
      review_date date NOT NULL,
      review_date_given boolean NOT NULL
    ) ON COMMIT DROP`,
  stagingColumns: [
    'line',
    'natural_key',
    ...ALERT_IMPORT_KEY_COLUMNS,
    ...ALERT_IMPORT_COLUMNS,
    'review_date',
    'review_date_given',
  ],
  keyColumns: ['natural_key'],

  copyRow: ({ alert: a, reviewDateGiven }, line) =>
    copyRow([
      line,
      alertNaturalKey(a),
      a.issuingCountry,
      a.documentType,
      a.series,
      a.fraudType,
      a.numberFrom,
      a.numberTo,
      a.numberPattern,
      a.description,
      a.indicators,
      a.allowedCountries,
      a.excludedCountries,
      a.allowedAgencyKinds,
      a.excludedAgencyKinds,
      a.reviewDate,
      reviewDateGiven,
    ]),

  // The repository's merge, beside the mutation's statements on the same table.
  merge: repositoryMerge(mergeImportedAlerts),
};
