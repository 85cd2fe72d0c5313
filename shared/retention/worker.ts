import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config';
import { retentionEnvironment } from './config';
import { startRetentionWorker, type RetentionPolicy, type RetentionWorker } from './retention';

/** A subgraph's retention worker, configured from the environment (RETENTION_INTERVAL_MS, RETENTION_GRACE_DAYS). */
export function retentionWorker(db: DataSource, log: Logger, policy: RetentionPolicy): RetentionWorker {
  const env = loadConfig(retentionEnvironment);
  return startRetentionWorker(db, log.child({ worker: 'retention' }), policy, {
    intervalMs: env.RETENTION_INTERVAL_MS,
    graceDays: env.RETENTION_GRACE_DAYS,
  });
}
