import type { GraphQLInputObjectType } from 'graphql';
import type pg from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';
import { documentAlerts } from '../../subgraphs/document-alerts';
import { alertNumberSeries, reserveAlertNumbers } from '../../subgraphs/document-alerts/alert-number';
import { clientQuery } from '../../shared/numbering';
import type { DocumentAlert } from '../../subgraphs/document-alerts/document-alert.entity';
import type { PublishDocumentAlertInput } from '../../subgraphs/document-alerts/document-alert.input';
import { validateAlert } from '../../subgraphs/document-alerts/document-alert.service';
import { copyRow } from './copy-text';
import { changedRecords, type ImportKind, type MergeOptions, type MergeResult } from './kind';
import type { ImportOwner } from './owner';

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

const KEY_COLUMNS = [
  'issuing_country',
  'document_type',
  'series',
  'fraud_type',
  'number_from',
  'number_to',
  'number_pattern',
] as const;
const DATA_COLUMNS = [
  'description',
  'indicators',
  'allowed_countries',
  'excluded_countries',
  'allowed_agency_kinds',
  'excluded_agency_kinds',
] as const;
const keyOf = (alias: string) =>
  `concat_ws(chr(31), ${KEY_COLUMNS.map((c) => `coalesce(${alias}.${c}, '')`).join(', ')})`;
/** The staged natural key, as `keyOf` computes it from a stored alert. */
function naturalKey(a: Partial<DocumentAlert>): string {
  return [a.issuingCountry, a.documentType, a.series, a.fraudType, a.numberFrom, a.numberTo, a.numberPattern]
    .map((v) => v ?? '')
    .join('\u001f');
}
const SAME_ALERT = `r.owner_agency_id = $1 AND r.withdrawn_at IS NULL AND ${keyOf('r')} = s.natural_key`;
const NEW_REVIEW_DATE = 'CASE WHEN s.review_date_given THEN s.review_date ELSE r.review_date END';

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
    ...KEY_COLUMNS,
    ...DATA_COLUMNS,
    'review_date',
    'review_date_given',
  ],
  keyColumns: ['natural_key'],

  copyRow: ({ alert: a, reviewDateGiven }, line) =>
    copyRow([
      line,
      naturalKey(a),
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

  merge: mergeAlerts,
};

async function mergeAlerts(
  client: pg.ClientBase,
  owner: ImportOwner,
  options: MergeOptions,
): Promise<MergeResult> {
  const updated = await changedRecords(
    client,
    `UPDATE alerts.alerts r
        SET ${DATA_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')}, review_date = ${NEW_REVIEW_DATE}
       FROM import_rows s
      WHERE ${SAME_ALERT}
        AND (${DATA_COLUMNS.map((c) => `r.${c}`).join(', ')}, r.review_date)
            IS DISTINCT FROM (${DATA_COLUMNS.map((c) => `s.${c}`).join(', ')}, ${NEW_REVIEW_DATE})
      RETURNING r.id`,
    [owner.agencyId],
    options.idLimit,
  );
  // Each new alert takes the owner's next alert number: one block from the owner's counter, in file order.
  const { rows: fresh } = await client.query<{ count: number; year: number }>(
    `SELECT count(*)::int AS count, extract(year FROM now() AT TIME ZONE 'UTC')::int AS year FROM import_rows s
      WHERE NOT EXISTS (SELECT 1 FROM alerts.alerts r WHERE ${SAME_ALERT})`,
    [owner.agencyId],
  );
  const { count, year } = fresh[0];
  const first = count > 0 ? await reserveAlertNumbers(clientQuery(client), owner.country, year, count) : 1;
  const inserted = await changedRecords(
    client,
    `INSERT INTO alerts.alerts
       (alert_number, ${KEY_COLUMNS.join(', ')}, ${DATA_COLUMNS.join(', ')}, review_date, owner_agency_id, owner_country)
     SELECT $3::text || '-' || $4::int || '-' || lpad(($5::bigint + row_number() OVER (ORDER BY s.line) - 1)::text, 5, '0'),
            ${[...KEY_COLUMNS, ...DATA_COLUMNS].map((c) => `s.${c}`).join(', ')}, s.review_date, $1::uuid, $2
       FROM (SELECT * FROM import_rows s
              WHERE NOT EXISTS (SELECT 1 FROM alerts.alerts r WHERE ${SAME_ALERT})
              ORDER BY s.line) AS s
     RETURNING id`,
    [owner.agencyId, owner.country, alertNumberSeries(owner.country), year, first],
    options.idLimit,
  );
  return { inserted, updated, rejected: [] };
}
