import { z } from 'zod';

/**
 * How the retention job runs (docs/architecture.md, retention): read by the subgraphs that hold records (their worker) and by
 * `npm run retention`.
 */
const retentionFields = z.object({
  /** How often each subgraph's worker looks for due and expired records. */
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /** Days after its review date before a record that was not extended is deleted. */
  RETENTION_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
});

export const RETENTION_VARIABLES = Object.keys(retentionFields.shape);
export const retentionEnvironment = retentionFields;
