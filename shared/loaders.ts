/**
 * DataLoader batch functions must answer in key order, with null for a key that has no row.
 * These two helpers do that for one-to-one and one-to-many lookups.
 */
export function oneByKey<K, R>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  hash: (key: K) => string = String,
): (R | null)[] {
  const byKey = new Map<string, R>();
  for (const row of rows) byKey.set(hash(keyOf(row)), row);
  return keys.map((key) => byKey.get(hash(key)) ?? null);
}

export function manyByKey<K, R>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  hash: (key: K) => string = String,
): R[][] {
  const byKey = new Map<string, R[]>();
  for (const row of rows) {
    const k = hash(keyOf(row));
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return keys.map((key) => byKey.get(hash(key)) ?? []);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from clients; one that is not a UUID cannot match a row and must not reach PostgreSQL's uuid cast. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
