import { CreateAudit1764100000010 } from './migrations/1764100000010-CreateAudit';
import { AuditRowsPerOwner1764100000020 } from './migrations/1764100000020-AuditRowsPerOwner';
import { KeyedAuditChain1764100000050 } from './migrations/1764100000050-KeyedAuditChain';

/** The audit trail's own schema and migrations; every subgraph writes to it, partner-agencies reads it. */
export const AUDIT_SCHEMA = 'audit';
export const AUDIT_MIGRATIONS = [
  CreateAudit1764100000010,
  AuditRowsPerOwner1764100000020,
  KeyedAuditChain1764100000050,
];

export { RequestAudit, type AlongsideStatement, type AuditEvent } from './audit-trail';
export { verifyAuditChain } from './chain';
export {
  auditChainKeysFromEnvironment,
  parseAuditChainKeys,
  DEV_AUDIT_CHAIN,
  type AuditChainKeys,
} from './config';
export { AuditSealer } from './sealer';
