import { CreateAgencyWrites1764100000070 } from './migrations/1764100000070-CreateAgencyWrites';

/** The read-your-writes markers' schema (db/read-router.ts), migrated by db/migrate-all.ts. */
export const REPLICATION_SCHEMA = 'replication';
export const REPLICATION_MIGRATIONS = [CreateAgencyWrites1764100000070];
