/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32). Every value of the demo data set
 * comes from one stream of it, consumed in a fixed order, so the same seed gives the same rows on every
 * machine and every Node version. It is not cryptographic: it only has to be fast, well spread and
 * reproducible.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    // sfc32's first outputs are still correlated with the seed.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: no items');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One key of `weights`, with probability proportional to its weight (a missing key weighs nothing). */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const table = cumulativeTable(weights);
    const roll = this.next() * table.total;
    for (let i = 0; i < table.keys.length; i++) if (roll < table.bounds[i]) return table.keys[i] as K;
    return table.keys[table.keys.length - 1] as K;
  }

  /** An index of `weights`, with probability proportional to its weight (how many aliases, documents...). */
  index(weights: readonly number[]): number {
    let roll = this.next() * weights.reduce((sum, weight) => sum + weight, 0);
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) return i;
    }
    return weights.length - 1;
  }

  /** `count` distinct items, in random order (fewer when there are not enough). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const result: T[] = [];
    while (result.length < count && copy.length > 0)
      result.push(copy.splice(this.int(0, copy.length - 1), 1)[0]);
    return result;
  }

  digits(length: number): string {
    // Up to 9 digits from one draw: 10^9 < 2^32, so every value is equally likely.
    let out = '';
    for (let left = length; left > 0; left -= 9) {
      const width = Math.min(left, 9);
      out += String(Math.floor(this.next() * 10 ** width)).padStart(width, '0');
    }
    return out;
  }

  letters(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }

  /** A version 4 layout UUID drawn from this stream, so that ids too are the same on every run. */
  uuid(): string {
    const word = (): string =>
      Math.floor(this.next() * 4294967296)
        .toString(16)
        .padStart(8, '0');
    const a = word();
    const b = word();
    const c = word();
    const d = word();
    const variant = '89ab'[parseInt(c[0], 16) & 3];
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }

  /** An instant in [from, to), whole seconds. */
  instant(from: Date, to: Date): Date {
    const seconds = Math.floor((to.getTime() - from.getTime()) / 1000);
    return new Date(from.getTime() + Math.floor(this.next() * seconds) * 1000);
  }
}

interface CumulativeTable {
  keys: string[];
  bounds: number[];
  total: number;
}

// Weight tables are module constants drawn from tens of thousands of times: their running sums are computed
// once.
const cumulativeTables = new WeakMap<object, CumulativeTable>();

function cumulativeTable(weights: Readonly<Partial<Record<string, number>>>): CumulativeTable {
  let table = cumulativeTables.get(weights);
  if (!table) {
    const keys = Object.keys(weights);
    const bounds: number[] = [];
    let total = 0;
    for (const key of keys) bounds.push((total += weights[key] ?? 0));
    table = { keys, bounds, total };
    cumulativeTables.set(weights, table);
  }
  return table;
}
