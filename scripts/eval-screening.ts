/**
 * Evaluates name screening (`screenPerson`) on the labelled set of bench/screening/generate-eval-set.ts:
 * starts a throw-away embedded PostgreSQL, migrates it, inserts the set's notices, runs every query through
 * the repository exactly as the resolver does, and prints precision and recall at the default threshold, a
 * table at other thresholds, recall per kind of variant and false alerts per kind of look-alike.
 *
 *   npm run eval:screening            (node -r @swc-node/register scripts/eval-screening.ts)
 *   ... -- --seed N --targets N --background N --negatives N
 *
 * Counting: a query labelled with a notice is a true positive when that notice is among its matches, a false
 * negative otherwise; every other notice it matches is a false alert (false positive), and so is every match
 * of a query labelled "no match". Precision = TP / (TP + FP), recall = TP / positive queries. Exits with
 * status 1 when the default threshold misses the target (recall ≥ 0.95 at precision ≥ 0.90).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import pg from 'pg';
import type { Caller } from '../shared/auth/caller';
import { createSubgraphDataSource } from '../db/data-source';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { migrateAll } from '../db/migrate-all';
import {
  generateEvalSet,
  POSITIVE_KINDS,
  NEGATIVE_KINDS,
  type EvalSet,
} from '../bench/screening/generate-eval-set';
import { notices } from '../subgraphs/notices';
import { DEFAULT_SCREENING_THRESHOLD, screenPerson } from '../subgraphs/notices/screening.repository';

const TARGET_RECALL = 0.95;
const TARGET_PRECISION = 0.9;
/** Queries run with the lowest threshold of the table; higher thresholds filter the same scores. */
const THRESHOLDS = [0.6, 0.65, 0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.85, 0.9, DEFAULT_SCREENING_THRESHOLD]
  .filter((t, i, all) => all.indexOf(t) === i)
  .sort((a, b) => a - b);
const CONCURRENCY = 4;
const OWNER_AGENCY = '00000000-0000-4000-8000-00000000e7a1';

/** A screening partner of another country: sees every published, unrestricted notice. */
const CALLER: Caller = {
  clientId: 'eval-screening',
  agencyId: '00000000-0000-4000-8000-00000000e7a2',
  agencyKind: 'NATIONAL_ENTITY',
  country: 'UTO',
  scopes: new Set(['notices:screen']),
  operations: [],
  tokenId: 'eval',
  token: 'eval',
};

interface Outcome {
  queryIndex: number;
  /** Every match at the lowest threshold: notice id and score. */
  matches: { noticeId: string; score: number }[];
  milliseconds: number;
}

function option(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

async function insertSet(url: string, set: EvalSet): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One statement per table: jsonb_to_recordset spreads the rows.
    await client.query(
      `INSERT INTO notices.notices (id, control_number, type, status, title, owner_agency_id, owner_country,
              subject_surname, subject_forenames, subject_date_of_birth, subject_sex, subject_nationalities,
              review_date, published_at)
       SELECT r.id, r.control_number, 'RED', 'PUBLISHED', 'Evaluation subject', $2::uuid, 'UTO',
              r.surname, r.forenames, r.date_of_birth, r.sex, r.nationalities, DATE '2031-01-01', now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, control_number text, surname text, forenames text,
                                                date_of_birth date, sex text, nationalities text[])`,
      [
        JSON.stringify(
          set.subjects.map((s) => ({
            id: s.id,
            control_number: s.controlNumber,
            surname: s.surname,
            forenames: s.forenames,
            date_of_birth: s.dateOfBirth,
            sex: s.sex,
            nationalities: s.nationalities,
          })),
        ),
        OWNER_AGENCY,
      ],
    );
    await client.query(
      `INSERT INTO notices.aliases (notice_id, surname, forenames)
       SELECT r.notice_id, r.surname, r.forenames
         FROM jsonb_to_recordset($1::jsonb) AS r(notice_id uuid, surname text, forenames text)`,
      [
        JSON.stringify(
          set.subjects.flatMap((s) =>
            s.aliases.map((a) => ({ notice_id: s.id, surname: a.surname, forenames: a.forenames })),
          ),
        ),
      ],
    );
    // As autovacuum would leave them: statistics, and GIN pending lists merged (a freshly filled pending list
    // is read in full by every index scan until then).
    await client.query('VACUUM ANALYZE notices.notices, notices.aliases');
  } finally {
    await client.end();
  }
}

function quantile(sorted: number[], q: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].toFixed(1);
}

function percent(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : '  -  ';
}

function report(set: EvalSet, outcomes: Outcome[]): boolean {
  const at = (threshold: number) => {
    let tp = 0;
    let fp = 0;
    let positives = 0;
    for (const outcome of outcomes) {
      const query = set.queries[outcome.queryIndex];
      const found = outcome.matches.filter((m) => m.score >= threshold);
      if (query.expectedNoticeId) {
        positives += 1;
        if (found.some((m) => m.noticeId === query.expectedNoticeId)) tp += 1;
      }
      fp += found.filter((m) => m.noticeId !== query.expectedNoticeId).length;
    }
    return { tp, fp, positives, precision: tp / (tp + fp), recall: tp / positives };
  };

  const positives = set.queries.filter((q) => q.expectedNoticeId).length;
  console.log(
    `\n${set.subjects.length} notices (${set.subjects.filter((s) => s.target).length} targets), ` +
      `${set.subjects.reduce((n, s) => n + s.aliases.length, 0)} aliases; ` +
      `${set.queries.length} queries: ${positives} with an expected notice, ` +
      `${set.queries.length - positives} look-alikes (seed ${set.seed})`,
  );
  const times = outcomes.map((o) => o.milliseconds).sort((a, b) => a - b);
  console.log(
    `latency per query (${CONCURRENCY} at a time): median ${quantile(times, 0.5)} ms, ` +
      `p95 ${quantile(times, 0.95)} ms, max ${quantile(times, 1)} ms`,
  );

  console.log('\nthreshold  precision  recall   TP    FP');
  for (const threshold of THRESHOLDS) {
    const r = at(threshold);
    const mark = threshold === DEFAULT_SCREENING_THRESHOLD ? '  <- default' : '';
    const counts = `${String(r.tp).padStart(4)}  ${String(r.fp).padStart(4)}`;
    console.log(
      `  ${threshold.toFixed(2)}      ${percent(r.precision)}    ${percent(r.recall)}  ${counts}${mark}`,
    );
  }

  const byKind = (kind: string) =>
    outcomes
      .filter((o) => set.queries[o.queryIndex].kind === kind)
      .map((o) => ({ o, q: set.queries[o.queryIndex] }));
  const falseAlerts = (rows: ReturnType<typeof byKind>) =>
    rows.reduce(
      (n, { o, q }) =>
        n +
        o.matches.filter((m) => m.score >= DEFAULT_SCREENING_THRESHOLD && m.noticeId !== q.expectedNoticeId)
          .length,
      0,
    );
  console.log(
    `\nrecall per variant kind at ${DEFAULT_SCREENING_THRESHOLD} ` +
      `(found at any score ≥ ${THRESHOLDS[0]}; false alerts on other notices):`,
  );
  for (const kind of POSITIVE_KINDS) {
    const rows = byKind(kind);
    const hit = rows.filter(({ o, q }) =>
      o.matches.some((m) => m.noticeId === q.expectedNoticeId && m.score >= DEFAULT_SCREENING_THRESHOLD),
    ).length;
    const anywhere = rows.filter(({ o, q }) =>
      o.matches.some((m) => m.noticeId === q.expectedNoticeId),
    ).length;
    console.log(
      `  ${kind.padEnd(28)} ${percent(hit / rows.length)}  (${String(hit).padStart(3)}/${rows.length}; ` +
        `any score: ${anywhere}; false alerts: ${falseAlerts(rows)})`,
    );
  }
  console.log(
    `\nlook-alikes alerted at ${DEFAULT_SCREENING_THRESHOLD} (queries with any alert, and alerts):`,
  );
  for (const kind of NEGATIVE_KINDS) {
    const rows = byKind(kind);
    const alerted = rows.filter(({ o }) =>
      o.matches.some((m) => m.score >= DEFAULT_SCREENING_THRESHOLD),
    ).length;
    const share = `${percent(alerted / rows.length)}  (${String(alerted).padStart(3)}/${rows.length}`;
    console.log(`  ${kind.padEnd(28)} ${share}; false alerts: ${falseAlerts(rows)})`);
  }

  const result = at(DEFAULT_SCREENING_THRESHOLD);
  const met = result.recall >= TARGET_RECALL && result.precision >= TARGET_PRECISION;
  console.log(
    `\ndefault threshold ${DEFAULT_SCREENING_THRESHOLD}: precision ${percent(result.precision)}, ` +
      `recall ${percent(result.recall)} — target (recall ≥ ${TARGET_RECALL} at precision ≥ ` +
      `${TARGET_PRECISION}) ${met ? 'met' : 'NOT met'}`,
  );
  return met;
}

/** With --misses FILE, writes the missed and falsely alerted queries with their scores, to tune from. */
function writeMisses(file: string, set: EvalSet, outcomes: Outcome[]): void {
  const byId = new Map(set.subjects.map((s) => [s.id, s]));
  const rows = outcomes.flatMap((o) => {
    const q = set.queries[o.queryIndex];
    const found = o.matches.filter((m) => m.score >= DEFAULT_SCREENING_THRESHOLD);
    const missed = q.expectedNoticeId && !found.some((m) => m.noticeId === q.expectedNoticeId);
    const wrong = found.filter((m) => m.noticeId !== q.expectedNoticeId);
    if (!missed && wrong.length === 0) return [];
    const describe = (id: string) => {
      const s = byId.get(id);
      if (!s) return id;
      const aliases = s.aliases.map((a) => `[${a.surname}, ${a.forenames ?? ''}]`).join('');
      return `${s.surname}, ${s.forenames ?? ''} ${s.dateOfBirth ?? ''} ${aliases}`;
    };
    return [
      {
        kind: q.kind,
        query: q.person,
        expected: q.expectedNoticeId ? describe(q.expectedNoticeId) : null,
        expectedScore: o.matches.find((m) => m.noticeId === q.expectedNoticeId)?.score ?? null,
        falseAlerts: wrong.map((m) => ({ score: m.score, notice: describe(m.noticeId) })),
      },
    ];
  });
  fs.writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`wrote ${rows.length} misses and false alerts to ${file}`);
}

async function main(): Promise<void> {
  const set = generateEvalSet({
    seed: option('--seed'),
    targets: option('--targets'),
    background: option('--background'),
    negatives: option('--negatives'),
  });
  const dataDir = temporaryDataDir('eval-screening-');
  const database = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
  const db = createSubgraphDataSource({
    url: database.url,
    schema: notices.schema,
    entities: notices.entities,
    migrations: [],
    pool: { size: CONCURRENCY },
  });
  try {
    await migrateAll(database.url);
    await insertSet(database.url, set);
    await db.initialize();
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < set.queries.length) {
        const queryIndex = next++;
        const started = process.hrtime.bigint();
        const rows = await screenPerson(db, CALLER, set.queries[queryIndex].person, {
          threshold: THRESHOLDS[0],
          first: 50,
        });
        const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
        outcomes.push({
          queryIndex,
          matches: rows.map((r) => ({ noticeId: r.notice.id, score: r.score })),
          milliseconds,
        });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    outcomes.sort((a, b) => a.queryIndex - b.queryIndex);
    const met = report(set, outcomes);
    const missesIndex = process.argv.indexOf('--misses');
    if (missesIndex >= 0) writeMisses(process.argv[missesIndex + 1], set, outcomes);
    process.exitCode = met ? 0 : 1;
  } finally {
    if (db.isInitialized) await db.destroy();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
