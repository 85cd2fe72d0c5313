import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { RequestAudit } from './audit/audit-trail';
import type { Caller } from './auth/caller';

/**
 * The typed request context every subgraph resolver receives, built in one place (shared/subgraph/server.ts)
 * from the verified token the gateway forwarded. `loaders` are created per request: a DataLoader cache
 * must never outlive the request, or one caller's rows would be served to another.
 */
export interface SubgraphContext<Loaders = unknown> {
  requestId: string;
  caller: Caller | null;
  loaders: Loaders;
  /** The subgraph's own data source (its PostgreSQL schema only), on the primary: every write and transaction. */
  db: DataSource;
  /**
   * The same schema for read-only statements (look-ups, lists, screening, `_entities`): a streaming replica when
   * DATABASE_READ_URL is set and it holds the caller's agency's last change, else the primary
   * (db/read-router.ts). Never for a transaction or a write.
   */
  reads: DataSource;
  log: Logger;
  /** What this request did with personal data and records; written before the response leaves. */
  audit: RequestAudit;
  /**
   * The hub's clock: windows of operations, token times and deadlines are judged against it (tests move it instead
   * of waiting; in service it is the system clock).
   */
  now(): Date;
}
