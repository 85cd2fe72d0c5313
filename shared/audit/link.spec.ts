import { canonicalText, checkLink, computeLink, type SealedRow } from './link';
import { DEV_AUDIT_CHAIN, parseAuditChainKeys } from './config';

const row: SealedRow = {
  seq: '42',
  at: '2026-11-30T10:00:00.123456Z',
  txid: '981',
  request_id: 'r-1',
  client_id: 'bp-fra',
  agency_id: '0F0E0D0C-0000-4000-8000-000000000001',
  subgraph: 'travel-documents',
  operation: 'BorderCheck',
  action: 'HIT',
  record_type: 'SltdRecord',
  record_ids: ['b', 'a'],
  owner_agency_ids: ['0F0E0D0C-0000-4000-8000-000000000002'],
  fields: ['hit:1'],
  details: { z: 1, a: { y: 'é', b: [2, 1] } },
};
const previous = { seq: '41', link: Buffer.alloc(32, 7) };

describe('a link of the audit chain', () => {
  test('covers a fixed canonical text: sorted keys, lower-case uuids, microseconds, the previous link', () => {
    expect(canonicalText(row, previous, 'dev')).toBe(
      '{"keyId":"dev","previous":{"link":"' +
        '07'.repeat(32) +
        '","seq":"41"},"row":{"action":"HIT","agencyId":"0f0e0d0c-0000-4000-8000-000000000001",' +
        '"at":"2026-11-30T10:00:00.123456Z","clientId":"bp-fra","details":{"a":{"b":[2,1],"y":"é"},"z":1},' +
        '"fields":["hit:1"],"operation":"BorderCheck","ownerAgencyIds":["0f0e0d0c-0000-4000-8000-000000000002"],' +
        '"recordIds":["b","a"],"recordType":"SltdRecord","requestId":"r-1","seq":"42","subgraph":"travel-documents",' +
        '"txid":"981"},"v":1}',
    );
  });

  test('holds whatever order the details were written in, and fails for any other content or key', () => {
    const link = computeLink(DEV_AUDIT_CHAIN.secrets.get('dev') as Buffer, row, previous, 'dev');
    const reordered = { ...row, details: { a: { b: [2, 1], y: 'é' }, z: 1 } };
    expect(checkLink(DEV_AUDIT_CHAIN, reordered, previous, 'dev', link)).toBe('ok');
    expect(
      checkLink(DEV_AUDIT_CHAIN, { ...row, at: '2026-11-30T10:00:00.123457Z' }, previous, 'dev', link),
    ).toBe('content altered');
    expect(checkLink(DEV_AUDIT_CHAIN, row, { ...previous, seq: '40' }, 'dev', link)).toBe('content altered');
    expect(checkLink(parseAuditChainKeys(`other=${'x'.repeat(32)}`), row, previous, 'dev', link)).toBe(
      'unknown key',
    );
  });
});
