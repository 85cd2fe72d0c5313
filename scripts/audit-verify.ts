import pg from 'pg';
import { auditChainKeysFromEnvironment, verifyAuditChain } from '../shared/audit';
import { ConfigError } from '../shared/config';

/**
 * `npm run audit:verify`: verifies the audit trail's keyed chain (DATABASE_URL, AUDIT_CHAIN_KEYS: every key that
 * ever signed) and reports the first broken link; rows written after the last link are reported as not sealed
 * yet, apart. Prints the head, to compare with a copy kept outside the database. Exit 1 when broken.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL: is required (the database `npm start` printed, or your server)');
    process.exit(2);
  }
  let keys;
  try {
    keys = auditChainKeysFromEnvironment();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await verifyAuditChain(
      (sql, params) => client.query(sql, params).then((r) => r.rows),
      keys,
    );
    const head = result.head
      ? `head seq ${result.head.seq} ${result.head.keyId}:${result.head.link}`
      : 'no head';
    const counts = `${result.rows} rows, ${result.sealed} sealed, ${result.unsealed} not sealed yet; ${head}`;
    if (result.firstBrokenSeq === null) {
      console.log(`audit trail intact: ${counts}`);
    } else {
      console.log(`audit trail BROKEN at seq ${result.firstBrokenSeq}: ${result.reason} (${counts})`);
      process.exitCode = 1;
    }
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
