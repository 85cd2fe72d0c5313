import { isIPv4, isIPv6 } from 'node:net';
import type { EntityManager } from 'typeorm';

/**
 * Failed token requests, counted per client id and per source address in `partners.token_throttle`: after a
 * number of free failures, each further failure locks the key out for `base × 2^n` seconds (at most the maximum),
 * and failures are forgotten a window after the last one. The table is shared by every replica, each change is
 * one atomic upsert (concurrent failures are all counted), and each request costs at most two statements on it.
 */
export interface ThrottleSettings {
  clientFreeFailures: number;
  addressFreeFailures: number;
  backoffBaseSeconds: number;
  lockoutMaxSeconds: number;
  failureWindowSeconds: number;
}

export interface ThrottleKeys {
  /** `client:<client id as sent>`: unknown ids are counted alike, so a lockout tells nothing about existence. */
  client: string;
  /** `address:<IPv4>` or `address:<IPv6 /64>`: one IPv6 host holds a whole /64. */
  address: string;
}

type Queryable = Pick<EntityManager, 'query'>;

/** Rows whose failures were forgotten, removed by each new failure: the table stays as large as the recent attack. */
const SWEEP_PER_FAILURE = 20;

export function throttleKeys(clientId: string, sourceAddress: string): ThrottleKeys {
  return { client: `client:${clientId}`, address: `address:${addressBlock(sourceAddress)}` };
}

/** The address a throttle counts: IPv4 as it is (mapped forms too), IPv6 by its /64 prefix. */
function addressBlock(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1];
  if (isIPv4(plain) || !isIPv6(plain)) return plain;
  const [head, tail = ''] = plain.toLowerCase().split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = plain.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [
    ...headParts,
    ...Array<string>(8 - headParts.length - tailParts.length).fill('0'),
    ...tailParts,
  ];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class TokenThrottle {
  constructor(
    private readonly db: Queryable,
    private readonly settings: ThrottleSettings,
  ) {}

  /** When the lockout of either key ends, if one is locked at `now`; null when the request may be verified. */
  async lockedUntil(keys: ThrottleKeys, now: Date): Promise<Date | null> {
    const [row] = (await this.db.query(
      `SELECT max(locked_until) AS until FROM partners.token_throttle WHERE key = ANY ($1::text[]) AND locked_until > $2`,
      [[keys.client, keys.address], now],
    )) as { until: Date | null }[];
    return row?.until ?? null;
  }

  /** Counts one failure on both keys (one statement); returns when the resulting lockout ends, if any. */
  async recordFailure(keys: ThrottleKeys, now: Date): Promise<Date | null> {
    const s = this.settings;
    // $1 keys, $2 now, $3 client free failures, $4 address free failures, $5 base, $6 maximum, $7 window.
    const failures = `CASE WHEN t.expires_at <= $2 THEN 1 ELSE t.failures + 1 END`;
    const free = `CASE WHEN t.key LIKE 'client:%' THEN $3::int ELSE $4::int END`;
    const lockedUntil = `CASE WHEN ${failures} > ${free}
        THEN $2 + make_interval(secs => least($6::float8, $5::float8 * power(2, least(${failures} - ${free} - 1, 30))))
      END`;
    const rows = (await this.db.query(
      `WITH swept AS (
         DELETE FROM partners.token_throttle
          WHERE key IN (SELECT key FROM partners.token_throttle
                         WHERE expires_at < $2 AND key <> ALL ($1::text[])
                         ORDER BY expires_at LIMIT ${SWEEP_PER_FAILURE} FOR UPDATE SKIP LOCKED)
       )
       INSERT INTO partners.token_throttle AS t (key, failures, locked_until, expires_at)
       SELECT key, 1, NULL, $2 + make_interval(secs => $7::float8) FROM unnest($1::text[]) AS key
       ON CONFLICT (key) DO UPDATE SET
         failures = ${failures},
         locked_until = ${lockedUntil},
         expires_at = coalesce(${lockedUntil}, $2) + make_interval(secs => $7::float8)
       RETURNING t.locked_until`,
      [
        [keys.client, keys.address],
        now,
        s.clientFreeFailures,
        s.addressFreeFailures,
        s.backoffBaseSeconds,
        s.lockoutMaxSeconds,
        s.failureWindowSeconds,
      ],
    )) as { locked_until: Date | null }[];
    const ends = rows.map((r) => r.locked_until).filter((d): d is Date => d !== null);
    return ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : null;
  }

  /**
   * A client that authenticated starts afresh; its address does not (one valid client must not reset the count
   * of guesses at others from the same place).
   */
  async recordSuccess(keys: ThrottleKeys): Promise<void> {
    await this.db.query(`DELETE FROM partners.token_throttle WHERE key = $1`, [keys.client]);
  }
}
