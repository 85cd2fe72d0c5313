import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { countryVariants } from '../../shared/countries';
import type { RecordGate } from '../../shared/record-gate';
import { visibleTo } from '../../shared/restrictions';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { DocumentAlert } from './document-alert.entity';
import type { DocumentAlertFilter } from './document-alert.input';
import type { DocumentKey } from '../../shared/documents/document-key';

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

export function findAlertsByIds(
  db: DataSource,
  caller: Caller | null,
  ids: string[],
): Promise<DocumentAlert[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return activeAlerts(db, caller).andWhere('a.id = ANY (:ids::uuid[])', { ids }).getMany();
}

/**
 * Alerts covering documents, one statement for all of them. A document is covered when an alert on its issuing
 * country names a number range that contains its number (same length, so "A100" is not inside "A1".."A2"), or a
 * pattern its number matches. Alerts on a whole model without numbers are listed by `documentAlerts`, not here:
 * a document key alone does not say its model.
 */
export async function findAlertsForDocuments(
  db: DataSource,
  caller: Caller | null,
  keys: readonly DocumentKey[],
): Promise<{ key: DocumentKey; alert: DocumentAlert }[]> {
  if (keys.length === 0) return [];
  const { entities, raw } = await activeAlerts(db, caller)
    .innerJoin(
      '(SELECT * FROM unnest(:countries::varchar[], :numbers::varchar[]) AS k(issuing_country, document_number))',
      'k',
      `k.issuing_country = a.issuing_country AND (
        (a.number_from IS NOT NULL AND length(k.document_number) = length(a.number_from)
          AND k.document_number BETWEEN a.number_from AND a.number_to)
        OR (a.number_pattern IS NOT NULL AND k.document_number ~ a.number_pattern))`,
    )
    .setParameters({
      countries: keys.map((k) => k.issuingCountry),
      numbers: keys.map((k) => k.documentNumber),
    })
    .addSelect(['k.issuing_country AS k_country', 'k.document_number AS k_number'])
    .orderBy('a.published_at', 'DESC')
    .getRawAndEntities<{ k_country: string; k_number: string; a_id: string }>();
  const byId = new Map(entities.map((a) => [a.id, a]));
  return raw.map((row) => ({
    key: { issuingCountry: row.k_country, documentNumber: row.k_number },
    alert: byId.get(row.a_id) as DocumentAlert,
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
