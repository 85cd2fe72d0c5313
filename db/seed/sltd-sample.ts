import { once } from 'node:events';
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { addDays, isoDate } from './dates';
import { nameGroupOf, personName } from './names';
import { Random } from './random';

/**
 * A deterministic CSV of `count` distinct French documents reported by NCB Paris, for the import benchmark and
 * tests: numbers in the French format (19FR12345: year of issue, two letters, five digits), holders' names from
 * the demo seed's name lists, dates from a fixed reference day. Streamed, so a million lines take no memory.
 */
const SLTD_SAMPLE_HEADER =
  'issuingCountry,documentNumber,documentType,status,series,nationalReference,holder.surname,holder.forenames,' +
  'holder.dateOfBirth,holder.nationality,issueDate,expiryDate,theftDate,theftCountry,theftPlace';

const STATUSES = ['STOLEN', 'LOST', 'LOST', 'REVOKED', 'INVALID'];
const PLACES = ['Paris, railway station', 'Lyon, hotel room', 'Nice, beach', 'Lille, car break-in'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REFERENCE_DAY = new Date('2026-11-01T00:00:00Z');

export async function writeSltdSample(file: string, count: number, seed = 7): Promise<void> {
  const random = new Random(seed);
  const out = fs.createWriteStream(file);
  out.write(`${SLTD_SAMPLE_HEADER}\n`);
  let chunk = '';
  for (let i = 0; i < count; i++) {
    const issued = addDays(REFERENCE_DAY, -random.int(30, 3600));
    const year = issued.getUTCFullYear();
    // Distinct by construction: the line's index in the two letters and five digits.
    const block = Math.floor(i / 100_000);
    const number = `${String(year % 100).padStart(2, '0')}${LETTERS[Math.floor(block / 26) % 26]}${LETTERS[block % 26]}${String(i % 100_000).padStart(5, '0')}`;
    const status = random.pick(STATUSES);
    const name = personName(random, nameGroupOf(random, 'FRA'), random.chance(0.5) ? 'F' : 'M');
    const born = isoDate(addDays(issued, -random.int(18 * 365, 70 * 365)));
    const theft =
      status === 'STOLEN'
        ? `${isoDate(addDays(REFERENCE_DAY, -random.int(1, 300)))},FRA,"${random.pick(PLACES)}"`
        : ',,';
    chunk +=
      `FRA,${number},${random.chance(0.6) ? 'PASSPORT' : 'ID_CARD'},${status},${year >= 2019 ? 2019 : 2014},` +
      `PN-${i},${name.surname},${name.forenames ?? ''},${born},FRA,${isoDate(issued)},` +
      `${isoDate(addDays(issued, 3650))},${theft}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
}
