import pg from 'pg';
import { verifyAuditChain } from '../shared/audit';

/** `npm run audit:verify`: recomputes the audit trail's hash chain (DATABASE_URL) and reports the first broken link. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL: is required (the database `npm start` printed, or your server)');
    process.exit(2);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await verifyAuditChain((sql) => client.query(sql).then((r) => r.rows));
    if (result.firstBrokenSeq === null) {
      console.log(`audit trail intact: ${result.rows} rows`);
    } else {
      console.log(
        `audit trail BROKEN at seq ${result.firstBrokenSeq}: ${result.reason} (${result.rows} rows)`,
      );
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
