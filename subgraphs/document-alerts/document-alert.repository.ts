import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { countryVariants } from '../../shared/countries';
import type { RecordGate } from '../../shared/record-gate';
import { queryPrepared, type PreparedStatement } from '../../shared/prepared-statement';
import {
  restrictionColumnsAs,
  visibleTo,
  visibleToPositional,
  type PositionalCondition,
  type VisibilityForm,
} from '../../shared/restrictions';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { DocumentAlert } from './document-alert.entity';
import type { DocumentAlertFilter } from './document-alert.input';
import type { DocumentKey } from '../../shared/documents/document-key';
import { changedRecords, updateFromStaged, type ImportMerge } from '../../shared/bulk-merge';
import { formatAlertNumber, reserveAlertNumbers } from './alert-number';

/** Alerts in force the caller may see; only the change gate also takes withdrawn ones. */
function activeAlerts(
  db: DataSource | EntityManager,
  caller: Caller | null,
  withdrawn = false,
): SelectQueryBuilder<DocumentAlert> {
  const visible = visibleTo('a', caller);
  return db
    .getRepository(DocumentAlert)
    .createQueryBuilder('a')
    .where(withdrawn ? 'true' : 'a.withdrawn_at IS NULL')
    .andWhere(visible.sql, visible.params);
}

/**
 * Every mutation on an alert finds it here (shared/record-gate.ts). A withdrawn alert is invisible to everyone
 * but its publisher and its country's NCB, who are told it was already withdrawn.
 */
export const documentAlertGate: RecordGate<DocumentAlert> = {
  label: 'Document alert',
  recordType: 'DocumentAlert',
  table: 'alerts.alerts',
  alias: 'a',
  visible: (tx, caller) => activeAlerts(tx, caller, true),
  forbidden: (alert) =>
    alert.ownerCountry
      ? `Only the publisher or the NCB of ${alert.ownerCountry} may change this alert`
      : 'Only the publisher may change this alert',
  outOfForce: (alert) => (alert.withdrawnAt ? 'The alert was already withdrawn' : null),
};

/**
 * The bulk import's natural key of an alert: the same publisher's alert in force on the same model and numbers
 * (db/import/alerts.ts stages it as `natural_key`, computed by alertNaturalKey; stored alerts give it in SQL).
 */
export const ALERT_IMPORT_KEY_COLUMNS = [
  'issuing_country',
  'document_type',
  'series',
  'fraud_type',
  'number_from',
  'number_to',
  'number_pattern',
] as const;

/** The columns an import line sets besides its key and review date: compared, and updated where they differ. */
export const ALERT_IMPORT_COLUMNS = [
  'description',
  'indicators',
  'allowed_countries',
  'excluded_countries',
  'allowed_agency_kinds',
  'excluded_agency_kinds',
] as const;

/** An alert's natural key as one string, as the import stages it; `storedNaturalKey` is its SQL twin. */
export function alertNaturalKey(a: Partial<DocumentAlert>): string {
  return [a.issuingCountry, a.documentType, a.series, a.fraudType, a.numberFrom, a.numberTo, a.numberPattern]
    .map((v) => v ?? '')
    .join('\u001f');
}

const storedNaturalKey = (alias: string) =>
  `concat_ws(chr(31), ${ALERT_IMPORT_KEY_COLUMNS.map((c) => `coalesce(${alias}.${c}, '')`).join(', ')})`;
const SAME_ALERT = `r.owner_agency_id = $1 AND r.withdrawn_at IS NULL AND ${storedNaturalKey('r')} = s.natural_key`;

/**
 * The bulk import's merge of its staged rows (`import_rows`: natural_key, the key columns, ALERT_IMPORT_COLUMNS,
 * review_date, review_date_given) into the owner's alerts, in the import's transaction: the owner's alert in
 * force with the same key is updated where anything differs; any other line is a new alert, numbered as
 * publishDocumentAlert numbers one (alert-number.ts), in file order.
 */
export const mergeImportedAlerts: ImportMerge = async (db, owner, idLimit) => {
  const columns = ALERT_IMPORT_COLUMNS;
  const update = updateFromStaged('r', columns);
  const updated = await changedRecords(
    db,
    `UPDATE alerts.alerts r SET ${update.set}
       FROM import_rows s
      WHERE ${SAME_ALERT} AND ${update.differs}
      RETURNING r.id`,
    [owner.agencyId],
    idLimit,
  );
  // Each new alert takes the owner's next alert number: one block from the owner's counter, in file order.
  const [{ count, year }] = (await db.query(
    `SELECT count(*)::int AS count, extract(year FROM now() AT TIME ZONE 'UTC')::int AS year FROM import_rows s
      WHERE NOT EXISTS (SELECT 1 FROM alerts.alerts r WHERE ${SAME_ALERT})`,
    [owner.agencyId],
  )) as { count: number; year: number }[];
  const first =
    count > 0
      ? await reserveAlertNumbers((sql, params) => db.query(sql, params), owner.country, year, count)
      : 1;
  const numbers = Array.from({ length: count }, (_, i) => formatAlertNumber(owner.country, year, first + i));
  const inserted = await changedRecords(
    db,
    `INSERT INTO alerts.alerts
       (alert_number, ${ALERT_IMPORT_KEY_COLUMNS.join(', ')}, ${columns.join(', ')}, review_date, owner_agency_id,
        owner_country)
     SELECT ($3::text[])[(row_number() OVER (ORDER BY s.line))::int],
            ${[...ALERT_IMPORT_KEY_COLUMNS, ...columns].map((c) => `s.${c}`).join(', ')}, s.review_date, $1::uuid, $2
       FROM (SELECT * FROM import_rows s
              WHERE NOT EXISTS (SELECT 1 FROM alerts.alerts r WHERE ${SAME_ALERT})
              ORDER BY s.line) AS s
     RETURNING id`,
    [owner.agencyId, owner.country, numbers],
    idLimit,
  );
  return { inserted, updated };
};

export function findAlertsByIds(
  db: DataSource,
  caller: Caller | null,
  ids: string[],
): Promise<DocumentAlert[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return activeAlerts(db, caller).andWhere('a.id = ANY (:ids::uuid[])', { ids }).getMany();
}

/** An alert's columns as its entity's properties, for the constant statement below (plain rows, no hydration). */
const ALERT_COLUMNS = `a.id, a.alert_number AS "alertNumber", a.issuing_country AS "issuingCountry",
  a.document_type AS "documentType", a.series, a.fraud_type AS "fraudType", a.description, a.indicators,
  a.number_from AS "numberFrom", a.number_to AS "numberTo", a.number_pattern AS "numberPattern",
  a.owner_country AS "ownerCountry", a.published_at AS "publishedAt", a.withdrawn_at AS "withdrawnAt",
  a.review_date::text AS "reviewDate", ${restrictionColumnsAs('a')}`;

/** The statement for each form of the caller's visibility predicate, made once per process. */
const documentStatements = new Map<VisibilityForm, PreparedStatement>();

function documentStatement(visible: PositionalCondition): PreparedStatement {
  let statement = documentStatements.get(visible.form);
  if (!statement) {
    statement = {
      name: `alerts_for_documents_${visible.form}`,
      text: `SELECT ${ALERT_COLUMNS}, k.issuing_country AS "keyCountry", k.document_number AS "keyNumber"
  FROM alerts.alerts a
  JOIN unnest($1::varchar[], $2::varchar[]) AS k(issuing_country, document_number)
    ON k.issuing_country = a.issuing_country AND (
       (a.number_from IS NOT NULL AND length(k.document_number) = length(a.number_from)
        AND k.document_number BETWEEN a.number_from AND a.number_to)
       OR (a.number_pattern IS NOT NULL AND k.document_number ~ a.number_pattern))
 WHERE a.withdrawn_at IS NULL AND ${visible.sql}
 ORDER BY a.published_at DESC`,
    };
    documentStatements.set(visible.form, statement);
  }
  return statement;
}

/**
 * Alerts covering documents, one statement for all of them. A document is covered when an alert on its issuing
 * country names a number range that contains its number (same length, so "A100" is not inside "A1".."A2"), or a
 * pattern its number matches. Alerts on a whole model without numbers are listed by `documentAlerts`, not here:
 * a document key alone does not say its model.
 *
 * Every `TravelDocument.alerts` of a border check asks it (through `_entities`): a constant text, prepared once per
 * connection (shared/prepared-statement.ts), on the data source the request reads from.
 */
export async function findAlertsForDocuments(
  db: DataSource,
  caller: Caller | null,
  keys: readonly DocumentKey[],
): Promise<{ key: DocumentKey; alert: DocumentAlert }[]> {
  if (keys.length === 0) return [];
  const visible = visibleToPositional('a', caller, 3);
  const rows = await queryPrepared<{ keyCountry: string; keyNumber: string }>(
    db,
    documentStatement(visible),
    [keys.map((k) => k.issuingCountry), keys.map((k) => k.documentNumber), ...visible.values],
  );
  return rows.map(({ keyCountry, keyNumber, ...alert }) => ({
    key: { issuingCountry: keyCountry, documentNumber: keyNumber },
    alert: Object.assign(new DocumentAlert(), alert),
  }));
}

export async function listAlerts(
  db: DataSource,
  caller: Caller | null,
  filter: DocumentAlertFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<DocumentAlert>> {
  const query = activeAlerts(db, caller);
  if (filter?.issuingCountry)
    query.andWhere('a.issuing_country = ANY (:countries::text[])', {
      countries: countryVariants(filter.issuingCountry),
    });
  if (filter?.documentType) query.andWhere('a.document_type = :type', { type: filter.documentType });
  if (filter?.fraudType) query.andWhere('a.fraud_type = :fraud', { fraud: filter.fraudType });
  if (filter?.publishedAfter) query.andWhere('a.published_at >= :from', { from: filter.publishedAfter });
  return pageNewestFirst(query, { alias: 'a', name: 'published_at' }, first, after);
}
