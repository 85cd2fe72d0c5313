import pg from 'pg';
import { encodeCursor, timestampCursorSql } from '../shared/schema/connection';
import { buildMrz } from '../shared/mrz/mrz';
import type { GraphQLBody, RequestItem } from './load';
import { bulkDocumentNumber, FastRandom } from './sltd-bulk';

/**
 * What the scenarios send, drawn from the seeded database: hits are real records of sltd.records (unrestricted,
 * so every checker gets HIT), NO_HIT documents are numbers checked to be on file nowhere, invalid inputs are MRZs
 * with a broken check digit. Every body is built once, before the clock starts.
 */
export type Verdict = 'HIT' | 'NO_HIT' | 'INVALID_INPUT';

export interface CheckDocument {
  mrz: string;
  issuingCountry: string;
  documentNumber: string;
  expected: Verdict;
}

export interface Mix {
  hit: number;
  invalid: number;
}

export const DEFAULT_MIX: Mix = { hit: 0.01, invalid: 0.02 };

const SURNAMES = [
  'NGUYEN',
  'DUBOIS',
  'SCHMIDT',
  'KOWALSKI',
  'OLIVEIRA',
  'PETROV',
  'HANSEN',
  'MORALES',
  'OKAFOR',
];
const FORENAMES = ['LEA', 'MARC', 'IRINA', 'TOMAS', 'AMARA', 'NOAH', 'CHLOE', 'YUSUF', 'INES', 'DAVID'];
// Countries whose travellers the NO_HIT documents belong to.
const COUNTRIES = ['FRA', 'DEU', 'ESP', 'ITA', 'GBR', 'USA', 'NLD', 'BEL', 'CHE', 'PRT', 'POL', 'SWE'];

export interface DocumentPools {
  hits: CheckDocument[];
  noHits: CheckDocument[];
  invalid: CheckDocument[];
}

function isoDay(date: Date | string | null): string | null {
  if (date === null) return null;
  return typeof date === 'string' ? date.slice(0, 10) : date.toISOString().slice(0, 10);
}

/** Names as an MRZ writes them: no diacritics, letters and spaces only. */
const mrzName = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z ]+/g, ' ')
    .trim();

function mrzOf(
  issuingCountry: string,
  documentNumber: string,
  surname: string,
  forenames: string,
  dateOfBirth: string | null,
  random: FastRandom,
): string {
  return buildMrz({
    format: 'TD3',
    documentCode: 'P',
    issuingCountry,
    documentNumber,
    surname: mrzName(surname) || 'UNKNOWN',
    forenames: mrzName(forenames),
    nationality: issuingCountry,
    dateOfBirth: dateOfBirth ?? `19${50 + random.int(50)}-0${1 + random.int(9)}-1${random.int(9)}`,
    sex: random.next() < 0.5 ? 'F' : 'M',
    expiryDate: `20${27 + random.int(8)}-0${1 + random.int(9)}-2${random.int(9)}`,
  });
}

/** Breaks the document number's check digit (line 2, position 10): the zone decodes, with a problem. */
function breakCheckDigit(mrz: string): string {
  const [line1, line2] = mrz.split('\n');
  const digit = Number(line2[9]);
  return `${line1}\n${line2.slice(0, 9)}${(digit + 1) % 10}${line2.slice(10)}`;
}

export async function documentPools(
  client: pg.ClientBase,
  sltdTotal: number,
  firstUnusedIndex: number,
  size = 4000,
): Promise<DocumentPools> {
  const random = new FastRandom(7);
  // TABLESAMPLE reads a few pages instead of sorting 10 million rows by random().
  const percent = Math.min(100, (4000 * 100) / Math.max(1, sltdTotal));
  const { rows } = await client.query<{
    issuing_country: string;
    document_number: string;
    holder_surname: string | null;
    holder_forenames: string | null;
    holder_date_of_birth: Date | string | null;
  }>(
    `SELECT issuing_country, document_number, holder_surname, holder_forenames, holder_date_of_birth::text
       FROM sltd.records TABLESAMPLE SYSTEM (${percent.toFixed(6)})
      WHERE withdrawn_at IS NULL AND allowed_countries IS NULL AND excluded_countries = '{}'
        AND allowed_agency_kinds IS NULL AND excluded_agency_kinds = '{}'
        AND length(document_number) <= 9 AND issuing_country ~ '^[A-Z]{3}$'
      LIMIT 1000`,
  );
  const hits = rows.map((r) => ({
    mrz: mrzOf(
      r.issuing_country,
      r.document_number,
      r.holder_surname ?? random.pick(SURNAMES),
      r.holder_forenames ?? random.pick(FORENAMES),
      isoDay(r.holder_date_of_birth),
      random,
    ),
    issuingCountry: r.issuing_country,
    documentNumber: r.document_number,
    expected: 'HIT' as const,
  }));
  // Numbers past the generated rows, minus any the demo seed happens to hold.
  const candidates = Array.from({ length: size }, (_, i) => ({
    issuingCountry: random.pick(COUNTRIES),
    documentNumber: bulkDocumentNumber(firstUnusedIndex + 1000 + i),
  }));
  const onFile = await client.query<{ key: string }>(
    `SELECT r.issuing_country || ':' || r.document_number AS key
       FROM sltd.records r
       JOIN unnest($1::text[], $2::text[]) AS k(country, number)
         ON r.issuing_country = k.country AND r.document_number = k.number`,
    [candidates.map((c) => c.issuingCountry), candidates.map((c) => c.documentNumber)],
  );
  const taken = new Set(onFile.rows.map((r) => r.key));
  const noHits = candidates
    .filter((c) => !taken.has(`${c.issuingCountry}:${c.documentNumber}`))
    .map((c) => ({
      ...c,
      mrz: mrzOf(
        c.issuingCountry,
        c.documentNumber,
        random.pick(SURNAMES),
        random.pick(FORENAMES),
        null,
        random,
      ),
      expected: 'NO_HIT' as const,
    }));
  const invalid = noHits.slice(0, Math.ceil(size / 10)).map((d) => ({
    ...d,
    mrz: breakCheckDigit(d.mrz),
    expected: 'INVALID_INPUT' as const,
  }));
  if (hits.length === 0 || noHits.length === 0) throw new Error('no documents to check: is the seed there?');
  return { hits, noHits, invalid };
}

/** Draws `count` documents: mostly NO_HIT, `mix.hit` hits, `mix.invalid` invalid MRZs. */
export function drawDocuments(pools: DocumentPools, count: number, random: FastRandom, mix = DEFAULT_MIX) {
  return Array.from({ length: count }, () => {
    const roll = random.next();
    if (roll < mix.hit) return random.pick(pools.hits);
    if (roll < mix.hit + mix.invalid) return random.pick(pools.invalid);
    return random.pick(pools.noHits);
  });
}

export const BORDER_CHECK_QUERY = `query BorderCheck($documents: [DocumentCheckInput!]!) {
  checkDocuments(input: $documents) {
    verdict
    problems
    document { sltdRecord { status } }
    hit { id }
  }
}`;

/**
 * The chaos run's border check: scenario 1's selection plus the alerts on each document, so that the answer needs
 * a second subgraph (document-alerts) besides travel-documents.
 */
export const ALERTS_CHECK_QUERY = `query BorderCheck($documents: [DocumentCheckInput!]!) {
  checkDocuments(input: $documents) {
    verdict
    problems
    document { sltdRecord { status } alerts { alertNumber } }
    hit { id }
  }
}`;

/** An airline (sltd:check only) asks for what it may see: the verdict and the problems. */
export const MANIFEST_CHECK_QUERY = `query ManifestCheck($documents: [DocumentCheckInput!]!) {
  checkDocuments(input: $documents) {
    verdict
    problems
  }
}`;

interface CheckResult {
  verdict: Verdict;
  problems: string[];
  document?: { sltdRecord: { status: string } | null } | null;
  hit?: { id: string } | null;
}

function verifyChecks(documents: readonly CheckDocument[], detailed: boolean) {
  return (response: GraphQLBody): string | null => {
    const results = response.data?.checkDocuments as CheckResult[] | undefined;
    if (!Array.isArray(results) || results.length !== documents.length)
      return `expected ${documents.length} results, got ${JSON.stringify(response).slice(0, 200)}`;
    for (let i = 0; i < results.length; i++) {
      const { verdict, hit, document } = results[i];
      const doc = documents[i];
      if (verdict !== doc.expected)
        return `document ${i} (${doc.issuingCountry} ${doc.documentNumber}): ${verdict}, expected ${doc.expected}`;
      if (detailed && verdict === 'HIT' && (!hit?.id || !document?.sltdRecord?.status))
        return `document ${i}: HIT without its hit id or record status`;
      if (detailed && verdict === 'NO_HIT' && (hit || document?.sltdRecord))
        return `document ${i}: NO_HIT with a hit or a record`;
    }
    return null;
  };
}

/** `count` request bodies of `perRequest` documents each, with their expected verdicts. */
export function checkItems(
  pools: DocumentPools,
  count: number,
  perRequest: number,
  query: string,
  seed: number,
): { items: RequestItem[]; documents: CheckDocument[][] } {
  const random = new FastRandom(seed);
  const detailed = query !== MANIFEST_CHECK_QUERY;
  const documents = Array.from({ length: count }, () => drawDocuments(pools, perRequest, random));
  const items = documents.map((docs) => ({
    body: JSON.stringify({
      operationName: detailed ? 'BorderCheck' : 'ManifestCheck',
      query,
      variables: { documents: docs.map((d) => ({ mrz: d.mrz })) },
    }),
    verify: verifyChecks(docs, detailed),
  }));
  return { items, documents };
}

export const LINKED_RECORDS_QUERY = `query LinkedRecords($first: Int = 20, $after: String, $filter: NoticeFilter) {
  notices(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        controlNumber
        type
        status
        requestedBy { id name country }
        subject { surname forenames dateOfBirth sex nationalities }
        charges
        documents {
          issuingCountry
          documentNumber
          sltdRecord { status documentType owner { name } }
          alerts { alertNumber fraudType }
        }
      }
    }
  }
}`;

/**
 * Pages of `pageSize` notices at every position of the list (the cursor of each page start comes from
 * notices.notices, in the list's order), so every request reads other notices.
 */
export async function linkedRecordsItems(client: pg.ClientBase, pageSize: number): Promise<RequestItem[]> {
  const { rows } = await client.query<{ requested_at: string; id: string }>(
    `SELECT ${timestampCursorSql('requested_at')} AS requested_at, id
       FROM notices.notices ORDER BY notices.requested_at DESC, id DESC`,
  );
  const items: RequestItem[] = [];
  const verify = (response: GraphQLBody): string | null => {
    const page = response.data?.notices as { edges?: unknown[] } | undefined;
    if (!page?.edges || page.edges.length !== pageSize)
      return `expected ${pageSize} notices, got ${page?.edges?.length ?? JSON.stringify(response).slice(0, 200)}`;
    return null;
  };
  // Leave room for a full page after the cursor even when some notices are restricted away from the caller.
  for (let start = 0; start + pageSize * 2 < rows.length; start += pageSize) {
    const after =
      start === 0 ? null : encodeCursor({ sort: rows[start - 1].requested_at, id: rows[start - 1].id });
    items.push({
      body: JSON.stringify({
        operationName: 'LinkedRecords',
        query: LINKED_RECORDS_QUERY,
        variables: { first: pageSize, after },
      }),
      verify,
    });
  }
  return items;
}

export const SCREEN_PERSON_QUERY = `query ScreenPerson($person: PersonScreeningInput!) {
  screenPerson(input: $person) {
    score
    matchedName
    reasons
    notice { id controlNumber type subject { surname forenames dateOfBirth } }
  }
}`;

function misspell(name: string, random: FastRandom): string {
  if (name.length < 4) return name;
  const i = 1 + random.int(name.length - 2);
  return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
}

/**
 * People to screen: notice subjects as recorded, misspelt or without a date of birth, and people who are on no
 * notice (a subject's surname with another's forenames and another date).
 */
export async function screenPersonItems(client: pg.ClientBase, count: number): Promise<RequestItem[]> {
  const { rows } = await client.query<{
    surname: string;
    forenames: string | null;
    dob: string | null;
    nationality: string | null;
  }>(
    `SELECT subject_surname AS surname, subject_forenames AS forenames, subject_date_of_birth::text AS dob,
            subject_nationalities[1] AS nationality
       FROM notices.notices WHERE subject_surname IS NOT NULL`,
  );
  if (rows.length === 0) throw new Error('no notice subjects to screen');
  const random = new FastRandom(11);
  const verify = (response: GraphQLBody) =>
    Array.isArray(response.data?.screenPerson) ? null : `no screenPerson list: ${JSON.stringify(response)}`;
  return Array.from({ length: count }, () => {
    const subject = random.pick(rows);
    const roll = random.next();
    let person: Record<string, string | null>;
    if (roll < 0.4) person = { ...subject, dob: subject.dob };
    else if (roll < 0.7) person = { ...subject, surname: misspell(subject.surname, random) };
    else if (roll < 0.8) person = { ...subject, dob: null };
    else {
      const other = random.pick(rows);
      person = {
        surname: subject.surname,
        forenames: other.forenames,
        dob: `19${50 + random.int(50)}-0${1 + random.int(9)}-1${random.int(9)}`,
        nationality: other.nationality,
      };
    }
    return {
      body: JSON.stringify({
        operationName: 'ScreenPerson',
        query: SCREEN_PERSON_QUERY,
        variables: {
          person: {
            surname: person.surname,
            forenames: person.forenames,
            dateOfBirth: person.dob,
            nationality: person.nationality,
          },
        },
      }),
      verify,
    };
  });
}
