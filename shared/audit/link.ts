import { createHmac, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditChainKeys } from './config';

/**
 * One link of the keyed audit chain: HMAC-SHA256, under a key the database does not hold, of a fixed canonical
 * text of the row and of the link before it. Computed in Node by the sealer (shared/audit/sealer.ts) and again by
 * the verifier (shared/audit/chain.ts), from the same columns read by the same SELECT list.
 */

/**
 * The columns a link covers, as text where a driver could change them: `at` with its microseconds in UTC (a
 * JavaScript Date would drop them), uuids as text, the transaction id as text. Every column of audit.entries.
 */
export const SEALED_COLUMNS = `e.seq::text AS seq,
  to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
  e.txid::text AS txid, e.request_id, e.client_id, e.agency_id::text AS agency_id, e.subgraph, e.operation,
  e.action, e.record_type, e.record_ids, e.owner_agency_ids::text[] AS owner_agency_ids, e.fields, e.details`;

/** A row as SEALED_COLUMNS reads it. */
export interface SealedRow {
  seq: string;
  at: string;
  txid: string | null;
  request_id: string;
  client_id: string | null;
  agency_id: string | null;
  subgraph: string;
  operation: string | null;
  action: string;
  record_type: string;
  record_ids: string[];
  owner_agency_ids: string[];
  fields: string[];
  details: unknown;
}

/** The link a row's predecessor left (none for the first row of the chain). */
export interface PreviousLink {
  seq: string;
  link: Buffer;
}

/**
 * The canonical text: JSON Canonicalization Scheme (RFC 8785: keys sorted, one number and string form), so
 * `details` hashes alike whatever order its keys were written in; uuids lower case.
 */
export function canonicalText(row: SealedRow, previous: PreviousLink | null, keyId: string): string {
  const text = canonicalize({
    v: 1,
    keyId,
    previous: previous ? { seq: previous.seq, link: previous.link.toString('hex') } : null,
    row: {
      seq: row.seq,
      at: row.at,
      txid: row.txid,
      requestId: row.request_id,
      clientId: row.client_id,
      agencyId: row.agency_id?.toLowerCase() ?? null,
      subgraph: row.subgraph,
      operation: row.operation,
      action: row.action,
      recordType: row.record_type,
      recordIds: row.record_ids,
      ownerAgencyIds: row.owner_agency_ids.map((id) => id.toLowerCase()),
      fields: row.fields,
      details: row.details ?? null,
    },
  });
  if (text === undefined) throw new Error(`audit row ${row.seq} has no canonical form`);
  return text;
}

export function computeLink(secret: Buffer, row: SealedRow, previous: PreviousLink | null, keyId: string) {
  return createHmac('sha256', secret)
    .update(canonicalText(row, previous, keyId), 'utf8')
    .digest();
}

export type LinkCheck = 'ok' | 'unknown key' | 'content altered';

export function checkLink(
  keys: AuditChainKeys,
  row: SealedRow,
  previous: PreviousLink | null,
  keyId: string,
  link: Buffer,
): LinkCheck {
  const secret = keys.secrets.get(keyId);
  if (!secret) return 'unknown key';
  const expected = computeLink(secret, row, previous, keyId);
  return expected.length === link.length && timingSafeEqual(expected, link) ? 'ok' : 'content altered';
}
