import pg from 'pg';
import { startBenchDatabase } from './database';
import { startHubChild, token, type HubChild } from './hub';

/**
 * `npm run bench -- --oracle [--rounds R] [--pairs N]`: does a check's timing tell a record hidden from the checker
 * from an absent number (docs/security.md, "No existence oracle")? Through the gateway, as bp-fra: one check of a
 * document on file but restricted to NCBs (bp-fra is told NO_HIT, the owner gets a hit) and one of a number on file
 * nowhere, back to back, in alternating order; the figure is the median of the paired differences (hidden minus
 * absent) of each round, so drift in the machine's load cancels out within a pair. Prints one line per round.
 */
const CHECK = 'query($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict } }';

export interface OracleOptions {
  rounds: number;
  pairs: number;
}

export function oracleOptions(value: (name: string) => string | undefined): OracleOptions {
  return { rounds: Number(value('--rounds') ?? 3), pairs: Number(value('--pairs') ?? 50) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export async function runOracle(options: OracleOptions): Promise<number> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const database = await startBenchDatabase(0, log);
  let hub: HubChild | null = null;
  try {
    const sql = new pg.Client({ connectionString: database.url, application_name: 'bench' });
    await sql.connect();
    // Each round checks fresh numbers: a hidden record, and a number no one reported.
    const total = options.rounds * options.pairs;
    await sql.query(
      `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id,
                                 owner_country, review_date, allowed_agency_kinds)
       SELECT 'FRA', 'ORH' || lpad(i::text, 6, '0'), 'PASSPORT', 'STOLEN', a.id, 'FRA', current_date + 365, '{NCB}'
         FROM generate_series(1, $1::int) AS i, partners.agencies a WHERE a.code = 'NCB-FRA'`,
      [total],
    );
    await sql.end();
    hub = await startHubChild({ databaseUrl: database.url });
    const bearer = await token(hub, 'bp-fra');
    const check = async (documentNumber: string) => {
      const started = performance.now();
      const response = await fetch(hub?.gatewayUrl ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query: CHECK, variables: { d: [{ issuingCountry: 'FRA', documentNumber }] } }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { data?: { checkDocuments: { verdict: string }[] } };
      const elapsed = performance.now() - started;
      if (body.data?.checkDocuments[0]?.verdict !== 'NO_HIT')
        throw new Error(`expected NO_HIT for ${documentNumber}: ${JSON.stringify(body)}`);
      return elapsed;
    };
    for (let i = 0; i < 30; i++) await check(`ORW${String(i).padStart(6, '0')}`); // warm-up
    const medians: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const differences: number[] = [];
      for (let pair = 0; pair < options.pairs; pair++) {
        const n = String(round * options.pairs + pair + 1).padStart(6, '0');
        const hiddenFirst = pair % 2 === 0;
        const first = await check(hiddenFirst ? `ORH${n}` : `ORA${n}`);
        const second = await check(hiddenFirst ? `ORA${n}` : `ORH${n}`);
        differences.push(hiddenFirst ? first - second : second - first);
      }
      medians.push(median(differences));
      log(
        `round ${round + 1}: median of ${options.pairs} paired differences (hidden - absent) ${medians[round].toFixed(3)} ms`,
      );
    }
    log(`median over rounds: ${median(medians).toFixed(3)} ms`);
    return 0;
  } finally {
    await hub?.stop().catch(() => undefined);
    await database.stop();
  }
}
