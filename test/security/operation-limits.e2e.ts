import { Writable } from 'node:stream';
import pino from 'pino';
import { DEFAULT_OPERATION_LIMITS } from '../../shared/limits';
import { startTestHub, type GraphQLResponse, type TestHub } from '../hub';
import { aliases, cpuOf, direct, fragmentChain, refusalsCounted, SPECIMEN_MRZ, writtenRows } from './attacks';

/**
 * Query-shape attacks, each sent as the least-privileged client (airline-demo: sltd:check only) and with no token:
 * every one is refused before anything is planned or resolved, with one error naming the limit, its maximum and
 * what was measured; it costs the (in-process) hub a few milliseconds of CPU, writes nothing, and the gateway
 * answers normally afterwards. The same limits hold on a subgraph reached directly with the gateway's credential.
 */
const LIMITS = DEFAULT_OPERATION_LIMITS;
/**
 * Generous, since this is a cost bound and not a speed target: a refusal costs a few milliseconds (under 100 on a
 * quiet machine), while the fragment chain used to cost the gateway 4.4 GB and its life. CPU time stretches when
 * the test files run side by side on two cores (253 ms was seen for a 3,000-representation refusal in CI).
 */
const CPU_BOUND_MS = 1000;
const CLIENTS = ['airline-demo', null] as const;

let hub: TestHub;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  hub = await startTestHub({ log: pino({ level: 'warn' }, sink) });
  // Tokens and the first plan cost CPU once: not part of what is measured.
  await hub.token('airline-demo');
  await hub.token('explorer');
  await stillAnswers();
});
afterAll(() => hub.stop());

async function stillAnswers(): Promise<void> {
  expect(await hub.graphql('airline-demo', '{ me { clientId } }')).toEqual({
    status: 200,
    body: { data: { me: { clientId: 'airline-demo' } } },
  });
}

/** Sends an attack and checks what every attack must satisfy; returns the answer for its own expectations. */
async function attack(send: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  const before = await writtenRows(hub.databaseUrl);
  // The process's CPU time also holds whatever else runs in it meanwhile (the audit sealer, the outbox worker,
  // garbage collection), which a loaded machine stretches; the cheapest of three sends is the attack's own cost.
  const sends = [await cpuOf(send), await cpuOf(send), await cpuOf(send)];
  const result = sends[0].result;
  expect(sends.map((s) => s.result)).toEqual([result, result, result]);
  expect(Math.min(...sends.map((s) => s.cpuMs))).toBeLessThan(CPU_BOUND_MS);
  expect(await writtenRows(hub.databaseUrl)).toEqual(before);
  await stillAnswers();
  return result;
}

const refusal = (code: string, limit: string, maximum: number, measured: number) => ({
  message: expect.stringContaining(String(maximum)),
  extensions: { code, limit, maximum, measured },
});
const VALIDATION = 'GRAPHQL_VALIDATION_FAILED';
const LIMIT = 'OPERATION_LIMIT_EXCEEDED';
const refused = (...errors: ReturnType<typeof refusal>[]) => ({ status: 400, body: { errors } });
/** Every fragment chain of 20 levels below: 2^19 copies of a one-field root selection. */
const CHAIN_REFUSED = refused(
  refusal(VALIDATION, 'maxHeight', LIMITS.maxHeight, 2 ** 20),
  refusal(VALIDATION, 'maxRootFields', LIMITS.maxRootFields, 2 ** 19),
);

/** A query `depth` fields deep: checkDocuments › document › notices › documents › notices › … › a scalar. */
function nested(depth: number): string {
  const path = ['document'];
  while (path.length < depth - 2) path.push(path.length % 2 === 1 ? 'notices' : 'documents');
  const leaf = path[path.length - 1] === 'notices' ? 'id' : 'issuingCountry';
  const selection = path.reduceRight((inner, field) => `${field} { ${inner} }`, leaf);
  return `{ checkDocuments(input: [{ mrz: "x" }]) { ${selection} } }`;
}

const specimens = (count: number) => Array.from({ length: count }, () => ({ mrz: SPECIMEN_MRZ }));
const checks = (count: number) =>
  `query Check($documents: [DocumentCheckInput!]!) {
    ${Array.from({ length: count }, (_, i) => `c${i}: checkDocuments(input: $documents) { verdict }`).join('\n')}
  }`;

describe.each(CLIENTS)('through the gateway, as %s', (clientId) => {
  test('a chain of 20 fragments each spreading the next twice: refused by height and root fields', async () => {
    const response = await attack(() => hub.graphql(clientId, fragmentChain(20, 'me { clientId }')));
    expect(response).toEqual(CHAIN_REFUSED);
  });

  test('a 1 MB document of 44,000 aliases: refused by its size before it is parsed', async () => {
    const query = aliases(44_000, 'me { clientId }');
    const response = await attack(() => hub.graphql(clientId, query));
    expect(response).toEqual(refused(refusal(LIMIT, 'maxBytes', LIMITS.maxBytes, Buffer.byteLength(query))));
  });

  test('10,000 aliases of me: refused by size; 3,000 by tokens; 31 by aliases', async () => {
    const tenThousand = aliases(10_000, 'me { clientId }');
    expect(await attack(() => hub.graphql(clientId, tenThousand))).toEqual(
      refused(refusal(LIMIT, 'maxBytes', LIMITS.maxBytes, Buffer.byteLength(tenThousand))),
    );
    expect(await attack(() => hub.graphql(clientId, aliases(3_000, 'me { clientId }')))).toEqual(
      refused(refusal(LIMIT, 'maxTokens', LIMITS.maxTokens, 2 + 3_000 * 6)),
    );
    const thirtyOne = `{ me { ${Array.from({ length: 31 }, (_, i) => `a${i}: clientId`).join(' ')} } }`;
    expect(await attack(() => hub.graphql(clientId, thirtyOne))).toEqual(
      refused(refusal(VALIDATION, 'maxAliases', LIMITS.maxAliases, 31)),
    );
  });

  test('nesting deeper than the limit, and more root fields than the limit', async () => {
    expect(await attack(() => hub.graphql(clientId, nested(LIMITS.maxDepth + 1)))).toEqual(
      refused(refusal(VALIDATION, 'maxDepth', LIMITS.maxDepth, LIMITS.maxDepth + 1)),
    );
    const roots = LIMITS.maxRootFields + 1;
    expect(await attack(() => hub.graphql(clientId, aliases(roots, 'parseMrz(mrz: "x") { valid }')))).toEqual(
      refused(refusal(VALIDATION, 'maxRootFields', LIMITS.maxRootFields, roots)),
    );
  });

  test('checkDocuments aliased: the 500 documents are per request, not per field, and nothing is written', async () => {
    const tenTimes = await attack(() => hub.graphql(clientId, checks(10), { documents: specimens(500) }));
    expect(tenTimes).toEqual(
      refused(refusal(LIMIT, 'maxCheckedDocuments', LIMITS.maxCheckedDocuments, 5_000)),
    );
    const justOver = await attack(() => hub.graphql(clientId, checks(2), { documents: specimens(251) }));
    expect(justOver).toEqual(refused(refusal(LIMIT, 'maxCheckedDocuments', LIMITS.maxCheckedDocuments, 502)));
  });

  test('a page size multiplied through nested lists: refused by the demand estimate', async () => {
    const query = `{ notices(first: 100) { edges { node { documents { notices { documents { issuingCountry } } } } } } }`;
    // 1 + 100 edges × (edge + node + 10 documents × (1 + 10 notices × (1 + 10 documents)))
    expect(await attack(() => hub.graphql(clientId, query))).toEqual(
      refused(refusal(LIMIT, 'maxDemand', LIMITS.maxDemand, 111_201)),
    );
  });
});

test('a refusal is logged without the query, and counted in /metrics', async () => {
  const counted = await refusalsCounted('gateway', 'maxHeight');
  const logged = logLines.length;
  await hub.graphql('airline-demo', fragmentChain(20, 'me { clientId }'));
  expect(await refusalsCounted('gateway', 'maxHeight')).toBe(counted + 1);
  const lines = logLines.slice(logged).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toContainEqual(
    expect.objectContaining({
      msg: 'operation refused: limit exceeded',
      service: 'gateway',
      clientId: 'airline-demo',
      requestId: expect.any(String),
      limit: 'maxHeight',
      maximum: LIMITS.maxHeight,
      measured: 2 ** 20,
    }),
  );
  expect(logLines.slice(logged).join('\n')).not.toMatch(/fragment|F19/);
});

describe('a subgraph reached directly with the gateway credential applies the same limits', () => {
  describe.each(CLIENTS)('as %s', (clientId) => {
    test('the fragment chain', async () => {
      const query = fragmentChain(20, 'parseMrz(mrz: "x") { valid }');
      expect(await attack(() => direct(hub, 'travel-documents', clientId, { query }))).toEqual(CHAIN_REFUSED);
    });

    test('checkDocuments aliased ten times over 500 documents, writing nothing', async () => {
      const body = { query: checks(10), variables: { documents: specimens(500) } };
      expect(await attack(() => direct(hub, 'travel-documents', clientId, body))).toEqual(
        refused(refusal(LIMIT, 'maxCheckedDocuments', LIMITS.maxCheckedDocuments, 5_000)),
      );
    });

    test('a 1 MB document, and 3,000 entity representations looked up ten times', async () => {
      const query = aliases(44_000, 'parseMrz(mrz: "x") { valid }');
      expect(await attack(() => direct(hub, 'travel-documents', clientId, { query }))).toEqual(
        refused(refusal(LIMIT, 'maxBytes', LIMITS.maxBytes, Buffer.byteLength(query))),
      );
      const representations = Array.from({ length: 3_000 }, (_, i) => ({
        __typename: 'TravelDocument',
        issuingCountry: 'UTO',
        documentNumber: `X${i}`,
      }));
      const lookups = Array.from(
        { length: 10 },
        (_, i) =>
          `e${i}: _entities(representations: $representations) { ... on TravelDocument { sltdRecord { id } } }`,
      );
      const entities = {
        query: `query ($representations: [_Any!]!) { ${lookups.join('\n')} }`,
        variables: { representations },
      };
      // 10 lookups × 3,000 entities × (the entity + its record)
      expect(await attack(() => direct(hub, 'travel-documents', clientId, entities))).toEqual(
        refused(refusal(LIMIT, 'maxDemand', LIMITS.maxDemand, 60_000)),
      );
    });
  });
});

describe("the query planner's own limit", () => {
  let unlimited: TestHub;
  beforeAll(async () => {
    unlimited = await startTestHub({
      limits: {
        maxBytes: 4_000_000,
        maxTokens: 1_000_000,
        maxAliases: 100_000,
        maxHeight: 1_000_000,
        maxRootFields: 100_000,
      },
    });
  });
  afterAll(() => unlimited.stop());

  test('with the operation limits raised, 44,000 aliases reach the planner: a 400 naming its limit, not a 500', async () => {
    const response = await unlimited.graphql('airline-demo', aliases(44_000, 'me { clientId }'));
    expect(response).toEqual(refused(refusal(LIMIT, 'queryPlannerSelections', 100_000, 100_001)));
    expect(await unlimited.graphql('airline-demo', '{ me { clientId } }')).toEqual({
      status: 200,
      body: { data: { me: { clientId: 'airline-demo' } } },
    });
  });
});

describe('the operation to run', () => {
  test('an operationName the document does not hold: a 400 OPERATION_RESOLUTION_FAILURE naming it, not a 500', async () => {
    const response = await fetch(hub.hub.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await hub.token('airline-demo')}`,
      },
      body: JSON.stringify({ query: 'query WhoAmI { me { clientId } }', operationName: 'Me' }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: {
        errors: [
          { message: 'Unknown operation named "Me".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
        ],
      },
    });
    await stillAnswers();
  });
});
