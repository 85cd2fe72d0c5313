import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createSubgraphDataSource } from '../db/data-source';
import { loadConfig } from '../shared/config';
import { retentionEnvironment } from '../shared/retention/config';
import { listDue, runRetention, type RetentionPolicy } from '../shared/retention/retention';
import { documentAlerts } from '../subgraphs/document-alerts';
import { documentAlertRetention } from '../subgraphs/document-alerts/retention';
import { notices } from '../subgraphs/notices';
import { noticeRetention } from '../subgraphs/notices/retention';
import type { SubgraphModule } from '../shared/subgraph/module';
import { travelDocuments } from '../subgraphs/travel-documents';
import { sltdRetention } from '../subgraphs/travel-documents/retention';

/**
 * `npm run retention [-- --list] [--now yyyy-mm-dd]`: one pass of the retention job over DATABASE_URL (the running
 * hub does the same every RETENTION_INTERVAL_MS): lists the records due for review (within 30 days, or past it),
 * reminds their owners (webhook `review.due`), and deletes those past RETENTION_GRACE_DAYS that were not
 * extended, each deletion audited. `--list` only lists.
 */
const SUBGRAPHS: [SubgraphModule<unknown>, RetentionPolicy][] = [
  [notices, noticeRetention as RetentionPolicy],
  [travelDocuments, sltdRetention as RetentionPolicy],
  [documentAlerts, documentAlertRetention as RetentionPolicy],
];
const SHOWN = 20;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { list: { type: 'boolean' }, now: { type: 'string' } } });
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL: is required (postgres://user:pass@host:5432/db)');
    return 2;
  }
  const env = loadConfig(retentionEnvironment);
  const now = values.now ? new Date(`${values.now}T00:00:00Z`) : new Date();
  if (Number.isNaN(now.getTime())) {
    console.error(`--now ${values.now}: not a date (yyyy-mm-dd)`);
    return 2;
  }
  console.log(`retention on ${now.toISOString().slice(0, 10)}, grace ${env.RETENTION_GRACE_DAYS} days`);
  for (const [module, policy] of SUBGRAPHS) {
    const db = createSubgraphDataSource({
      url,
      schema: module.schema,
      entities: module.entities,
      migrations: [],
      pool: { size: 2 },
      applicationName: 'retention',
    });
    await db.initialize();
    try {
      if (!values.list) {
        const pass = await runRetention(db, policy, now, env.RETENTION_GRACE_DAYS);
        console.log(
          `${policy.recordType}: deleted ${pass.deleted.length}, due ${pass.due}, in grace ${pass.grace}, ` +
            `held ${pass.held}${pass.held && policy.hold ? ` (${policy.hold.reason})` : ''}, owners reminded ${pass.reminded}`,
        );
      }
      const due = await listDue(db, policy, now, env.RETENTION_GRACE_DAYS);
      if (values.list) console.log(`${policy.recordType}: ${due.length} due for review or past it`);
      for (const record of due.slice(0, SHOWN)) {
        console.log(
          `  ${record.state.padEnd(7)} ${record.id} owner ${record.ownerAgencyId} review ${record.reviewDate}, ` +
            `deleted from ${record.deleteFrom}`,
        );
      }
      if (due.length > SHOWN) console.log(`  ... and ${due.length - SHOWN} more`);
    } finally {
      await db.destroy();
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
