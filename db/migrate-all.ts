import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../shared/audit';
import { OUTBOX_MIGRATIONS, OUTBOX_SCHEMA } from '../shared/outbox/outbox';
import { SUBGRAPHS } from '../subgraphs';
import { createSubgraphDataSource, migrateSubgraph } from './data-source';
import { ensureExtensions } from './extensions';

/**
 * Brings a database up to date: the shared extensions, then each subgraph's own migrations in its own schema.
 * Used by `npm start`, the tests and the seed; in production each subgraph migrates itself at start.
 */
export async function migrateAll(url: string): Promise<void> {
  await ensureExtensions(url);
  // The audit trail and the outbox are written by every subgraph, so they are migrated first, on their own.
  const audit = { schema: AUDIT_SCHEMA, entities: [], migrations: AUDIT_MIGRATIONS };
  const outbox = { schema: OUTBOX_SCHEMA, entities: [], migrations: OUTBOX_MIGRATIONS };
  for (const module of [audit, outbox, ...SUBGRAPHS.map((s) => s.module)]) {
    const db = createSubgraphDataSource({
      url,
      schema: module.schema,
      entities: module.entities,
      migrations: module.migrations,
      poolSize: 1,
    });
    try {
      await migrateSubgraph(db, module.schema);
    } finally {
      if (db.isInitialized) await db.destroy();
    }
  }
}
