import type pg from 'pg';
import type { HubChild } from '../hub';
import type { Measure } from '../measure';
import type { Options } from '../options';
import type { RunReport, ScenarioResult } from '../report';
import type { LookupStatement } from '../sql-floor';
import type { DocumentPools } from '../workload';

/** What every scenario gets from bench/run.ts: the database, the running hub, the workload and `measure`. */
export interface ScenarioContext {
  options: Options;
  /** When the run started: the stem of its result files (report.ts `stamp`). */
  startedAt: Date;
  /** The bench's own connection (workload queries, statement counts). */
  sql: pg.ClientBase;
  databaseUrl: string;
  hub: HubChild;
  /**
   * A further layout of `--layouts` (bench/layouts.ts): only the rows through the gateway, the ones that differ
   * between layouts.
   */
  gatewayOnly: boolean;
  pools: DocumentPools;
  /** travel-documents' look-up statement, for the SQL floor rows. */
  lookup: LookupStatement;
  measure: Measure;
  /** Adds a row measured outside `measure` (the stack floor, which is not the hub), with its CPU profiles. */
  record: (result: ScenarioResult, profiles?: RunReport['profiles']) => void;
  /** Statements per second reaching PostgreSQL while the hub is idle. */
  background: number;
  /** Where a scenario adds its EXPLAIN plans and the reasons it skipped a row. */
  explain: RunReport['explain'];
  skipped: RunReport['skipped'];
  log: (line: string) => void;
}

/** A scenario of the report: selected by `--only <id>` (or by default), it measures one or more rows. */
export interface Scenario {
  id: string;
  run(context: ScenarioContext): Promise<void>;
}
