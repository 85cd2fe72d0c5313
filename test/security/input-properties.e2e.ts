import fs from 'node:fs';
import fc from 'fast-check';
import {
  buildASTSchema,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import pg from 'pg';
import { allowsLines, textProblem } from '../../shared/input/text';
import { startTestHub, type GraphQLResponse, type TestHub } from '../hub';
import { graphqlWithToken, mintToken } from '../tokens';
import { SPECIMEN_MRZ } from './attacks';

/**
 * A property test of input hygiene (shared/input/) through the gateway: random text — any Unicode, NUL, C0 and C1
 * controls, bidirectional controls, lone surrogates, very long strings — in every text argument of every
 * mutation and every query (filters and cursors included), the other arguments valid. The answer is a success or
 * a documented refusal, never an internal error; a refusal writes nothing; text the rule refuses is refused with
 * BAD_USER_INPUT naming its field. Operations and text fields are read from the supergraph, so a new mutation or
 * field is covered (or the test says which template is missing).
 *
 * Deterministic: the seed is FUZZ_SEED or the one below; fast-check prints it (and the shrunk case) on failure.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260610);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 6);

/** Codes a refusal may carry (docs/security.md): the caller's fault or the record's state, never the hub's. */
const REFUSALS = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'UNAUTHORIZED_FIELD_OR_TYPE',
  'OPERATION_LIMIT_EXCEEDED',
]);

const schema = buildASTSchema(parse(fs.readFileSync('supergraph.graphql', 'utf8')), { assumeValidSDL: true });

type Path = (string | number)[];
type Variables = Record<string, unknown>;

/** Every String or ID leaf an operation's arguments can hold, a list by its first item. */
function textPaths(type: GraphQLInputType, path: Path, seen: readonly string[] = []): Path[] {
  if (isNonNullType(type)) return textPaths(type.ofType, path, seen);
  if (isListType(type)) return textPaths(type.ofType, [...path, 0], seen);
  if (isScalarType(type)) return type.name === 'String' || type.name === 'ID' ? [path] : [];
  if (!isInputObjectType(type) || seen.includes(type.name)) return [];
  return Object.values(type.getFields()).flatMap((field) =>
    textPaths(field.type, [...path, field.name], [...seen, type.name]),
  );
}

function operationTextPaths(field: GraphQLField<unknown, unknown>): Path[] {
  return field.args.flatMap((arg) => textPaths(arg.type, [arg.name]));
}

function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (at, key) => (at as Record<string | number, unknown> | undefined)?.[key],
    value,
  );
}

function withValueAt(variables: Variables, path: Path, text: string): Variables {
  const copy = structuredClone(variables);
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = text;
  return copy;
}

/** The operation calling one root field with every argument the variables give, as variables. */
function operationFor(
  kind: 'mutation' | 'query',
  field: GraphQLField<unknown, unknown>,
  variables: Variables,
) {
  const args = field.args.filter((arg) => variables[arg.name] !== undefined);
  const definitions = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const call = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const type = getNamedType(field.type);
  // The root resolver is what reads the arguments; id, totalCount and cursors are all the answer needs.
  let selection = '';
  if (isObjectType(type)) {
    const fields = (type as GraphQLObjectType).getFields();
    const picked = ['__typename', ...['id', 'totalCount'].filter((name) => fields[name])];
    if (fields.edges) picked.push('edges { cursor }');
    selection = `{ ${picked.join(' ')} }`;
  }
  return `${kind}${definitions ? `(${definitions})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection} }`;
}

/** Text worth trying: any code point, the refused classes, lone surrogates, and very long strings. */
const NASTY = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\t',
  '\n',
  '\r\n',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  '\uffff',
  '\ud800',
  '\udfff',
  'e\u0301',
  '\u{1f600}',
  "'",
  '"',
  '\\',
  '%',
  '_',
  '--',
  ';',
  '$1',
  '*',
  ' ',
];
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({
    unit: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)),
    maxLength: 4,
  }),
  fc.constantFrom(...NASTY),
  loneSurrogate,
);
const randomText = (base: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(piece, { maxLength: 5 }).map((parts) => parts.join('')) },
    // Into a valid value, so the bad part reaches whatever checks come after the format.
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.nat({ max: base.length }), piece)
        .map(([at, part]) => base.slice(0, at) + part + base.slice(at)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('x', 'é', '\u{1f600}', '\u0000', base || 'x'),
          fc.integer({ min: 200, max: 100_000 }),
        )
        .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length))),
    },
  );

/**
 * Valid arguments for one root field: `variables(n, shape)` may make a fresh record when a success would use one
 * up. Arguments that exclude each other (a number range or a pattern) come in `shapes` (default 1).
 */
interface Template {
  client: string;
  /** A token of `client` with claims its demo agreements do not give (e.g. an operation's grant), signed here. */
  token?: () => Promise<string>;
  variables: (n: number, shape: number) => Promise<Variables>;
  shapes?: number;
  /**
   * Text arguments kept valid, with why. A webhook URL's host is resolved at setWebhook: random host names would be
   * sent to the machine's DNS resolver, and tests send traffic to loopback only.
   */
  fixed?: string[];
}

let hub: TestHub;
let db: pg.Client;
let countRows: () => Promise<Record<string, number>>;
let counter = 0;
let usaWebhook: { webhook_url: string | null; webhook_secret: string | null };
const templates: { mutation: Record<string, Template>; query: Record<string, Template> } = {
  mutation: {},
  query: {},
};

const RESTRICTIONS = {
  allowedCountries: ['FRA', 'UTO'],
  excludedCountries: ['DEU'],
  allowedAgencyKinds: ['NCB', 'NATIONAL_ENTITY'],
  excludedAgencyKinds: ['PRIVATE_PARTNER'],
};
const nextDay = (date: string) =>
  new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function send(template: Template, query: string, variables: Variables): Promise<GraphQLResponse> {
  if (!template.token) return hub.graphql(template.client, query, variables);
  return template.token().then((token) => graphqlWithToken(hub, token, query, variables));
}

async function must<T>(client: string, query: string, variables: Variables, field: string): Promise<T> {
  const response = await hub.graphql(client, query, variables);
  if (response.body.errors) throw new Error(`${field}: ${JSON.stringify(response.body.errors)}`);
  return response.body.data?.[field] as T;
}

const alertInput = (shape = 0) => ({
  issuingCountry: 'FRA',
  documentType: 'PASSPORT',
  series: '2019 model',
  fraudType: 'COUNTERFEIT',
  description: 'Counterfeit passports with a printed data page.\nSeen at CDG.',
  indicators: ['Data page printed by inkjet'],
  // Numbers no other test checks: the alerts stay in the run's shared database.
  ...(shape === 0 ? { numberFrom: 'FZQ0000100', numberTo: 'FZQ0000199' } : { numberPattern: 'FZQ000####' }),
  restrictions: RESTRICTIONS,
  reviewDate: '2030-01-01',
});
const noticeInput = (n: number) => ({
  type: 'RED',
  title: 'Armed robbery of the Central Bank of Utopia',
  subject: {
    surname: `Fuzzsubject${n}`,
    forenames: 'Ramon',
    dateOfBirth: '1980-02-03',
    sex: 'M',
    nationalities: ['UTO'],
    placeOfBirth: 'Utopia City',
    distinguishingMarks: 'Scar on the left hand',
  },
  aliases: [{ surname: 'Fuzzalias', forenames: 'Ray' }],
  charges: ['Armed robbery'],
  arrestWarrants: [
    {
      warrantNumber: `UTO-2026-${n}`,
      issuingAuthority: 'Utopia City Court',
      issuedOn: '2026-01-02',
      charges: 'Armed robbery',
    },
  ],
  documents: [{ issuingCountry: 'UTO', documentNumber: `FZN${n}`, documentType: 'PASSPORT' }],
  restrictions: RESTRICTIONS,
  reviewDate: '2030-01-01',
});
const reportInput = (n: number) => ({
  issuingCountry: 'FRA',
  documentNumber: `FZ${String(n).padStart(7, '0')}`,
  documentType: 'PASSPORT',
  status: 'STOLEN',
  series: 'A',
  nationalReference: `PN-${n}`,
  holder: { surname: 'Dupont', forenames: 'Jean', dateOfBirth: '1970-01-01', nationality: 'FRA' },
  issueDate: '2019-01-01',
  expiryDate: '2029-01-01',
  theftDate: '2026-01-01',
  theftCountry: 'FRA',
  theftPlace: 'Paris',
  reviewDate: '2030-01-01',
  restrictions: RESTRICTIONS,
});

const PUBLISH_ALERT =
  'mutation($i: PublishDocumentAlertInput!) { publishDocumentAlert(input: $i) { id reviewDate } }';
const REQUEST_NOTICE = 'mutation($i: RequestNoticeInput!) { requestNotice(input: $i) { id } }';
const PUBLISH_NOTICE = 'mutation($id: ID!) { publishNotice(id: $id, reason: "Complies") { id reviewDate } }';
const REPORT =
  'mutation($i: ReportTravelDocumentInput!) { reportTravelDocument(input: $i) { id reviewDate } }';
const REGISTER = 'mutation($i: RegisterAgencyInput!) { registerAgency(input: $i) { id } }';
const REPORT_MATCH = 'mutation($i: NoticeMatchInput!) { reportNoticeMatch(input: $i) { id } }';
const CONFIRM_NOTICE_HIT = 'mutation($id: ID!) { confirmNoticeHit(id: $id, outcome: CONFIRMED) { id } }';
const GRANT = 'mutation($a: ID!) { grantAgreement(agencyId: $a, scopes: ["sltd:check"]) { id } }';
const CREATE_CLIENT =
  'mutation($a: ID!, $c: String!) { createApiClient(agencyId: $a, clientId: $c) { clientId } }';
const CHECK = 'query($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { hit { id } } }';
const CONFIRM = 'mutation($id: ID!) { confirmHit(id: $id, outcome: CONFIRMED) { id } }';
const PLAN_OPERATION = 'mutation($i: PlanOperationInput!) { planOperation(input: $i) { code } }';
const ACTIVATE_OPERATION = 'mutation($c: String!) { activateOperation(code: $c) { code } }';
const DAY_MS = 86_400_000;

const fresh = {
  alert: async () =>
    (await must<{ id: string }>('ncb-fra', PUBLISH_ALERT, { i: alertInput() }, 'publishDocumentAlert')).id,
  notice: async () =>
    (await must<{ id: string }>('ncb-uto', REQUEST_NOTICE, { i: noticeInput(++counter) }, 'requestNotice'))
      .id,
  record: async () =>
    must<{ id: string; reviewDate: string }>(
      'ncb-fra',
      REPORT,
      { i: reportInput(++counter) },
      'reportTravelDocument',
    ),
};

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  // Tokens first: every token request writes its own audit row, which the "nothing written" checks would count.
  for (const client of ['ncb-fra', 'ncb-uto', 'ncb-usa', 'gs-admin', 'bp-fra']) await hub.token(client);

  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'public')
        -- The audit sealer links rows in the background, whoever wrote them: its links are no request's writing.
        AND (table_schema, table_name) <> ('audit', 'seals')
      ORDER BY 1`,
  );
  // The record gate's refusals (NOT_FOUND, FORBIDDEN, CONFLICT) are audited on purpose (docs/security.md, "Audit of
  // refusals"): their REFUSE rows are counted apart.
  const countAll = `SELECT ${tables
    .map(({ name }, i) =>
      name === 'audit.entries'
        ? `(SELECT count(*) FILTER (WHERE action <> 'REFUSE')::int FROM ${name}) AS t${i},
           (SELECT count(*) FILTER (WHERE action = 'REFUSE')::int FROM ${name}) AS refusals`
        : `(SELECT count(*)::int FROM ${name}) AS t${i}`,
    )
    .join(', ')}`;
  countRows = async () => {
    const { rows } = await db.query<Record<string, number>>(countAll);
    return {
      ...Object.fromEntries(tables.map(({ name }, i) => [name, rows[0][`t${i}`]])),
      'audit.entries REFUSE': rows[0].refusals,
    };
  };
  usaWebhook = (
    await db.query(`SELECT webhook_url, webhook_secret FROM partners.agencies WHERE code = 'NCB-USA'`)
  ).rows[0];
  const fraNcb: string = (await db.query(`SELECT id FROM partners.agencies WHERE code = 'NCB-FRA'`)).rows[0]
    .id;
  const bpFra: string = (await db.query(`SELECT id FROM partners.agencies WHERE code = 'BP-FRA'`)).rows[0].id;

  // Records the mutations that do not use one up share.
  const alert = await must<{ id: string; reviewDate: string }>(
    'ncb-fra',
    PUBLISH_ALERT,
    { i: alertInput() },
    'publishDocumentAlert',
  );
  const requested = await fresh.notice();
  const published = await must<{ id: string; reviewDate: string }>(
    'gs-admin',
    PUBLISH_NOTICE,
    { id: await fresh.notice() },
    'publishNotice',
  );
  const record = await fresh.record();
  const agency = await must<{ id: string }>(
    'gs-admin',
    REGISTER,
    {
      i: {
        code: 'FUZZ-AGENCY',
        name: 'Fuzz agency',
        kind: 'NATIONAL_ENTITY',
        country: 'FRA',
        authorisedBy: fraNcb,
      },
    },
    'registerAgency',
  );
  const newClient = async (n: number) =>
    (
      await must<{ clientId: string }>(
        'gs-admin',
        CREATE_CLIENT,
        { a: agency.id, c: `fuzz-client-${n}` },
        'createApiClient',
      )
    ).clientId;
  const rotated = await newClient(0);
  const agencyIds: Record<string, string> = Object.fromEntries(
    (
      await db.query(`SELECT code, id FROM partners.agencies WHERE code IN ('GS', 'FRONTEX', 'IOM')`)
    ).rows.map((row: { code: string; id: string }) => [row.code, row.id]),
  );
  // Operations of this file's own (codes FUZZ-n), coordinated by the General Secretariat: each change gets a fresh one.
  const operationInput = (n: number) => ({
    code: `FUZZ-${n}`,
    name: 'Fuzz operation',
    kind: 'OTHER',
    purpose: 'Input properties of the operation mutations',
    coordinatorId: agencyIds.GS,
    startsAt: new Date(Date.now() - DAY_MS).toISOString(),
    endsAt: new Date(Date.now() + 10 * DAY_MS).toISOString(),
    grantedScopes: ['sltd:check'],
    borderPoints: ['FRORY', 'FRNCE'],
    participants: [
      { agencyId: agencyIds.FRONTEX, borderPoints: ['FRORY', 'FRNCE'] },
      { agencyId: agency.id, borderPoints: ['FRNCE'] },
    ],
  });
  const freshOperation = async (n: number, active = false) => {
    const { code } = await must<{ code: string }>(
      'gs-admin',
      PLAN_OPERATION,
      { i: operationInput(n) },
      'planOperation',
    );
    if (active) await must('gs-admin', ACTIVATE_OPERATION, { c: code }, 'activateOperation');
    return code;
  };
  // bp-fra's token with a grant of an operation of this file, for the checks made in an operation's context.
  const bpFraInOperation = () =>
    mintToken({
      clientId: 'bp-fra',
      agencyId: bpFra,
      agencyKind: 'NATIONAL_ENTITY',
      country: 'FRA',
      scopes: ['sltd:check', 'notices:screen'],
      operations: [
        {
          code: 'FUZZ-OP-2026',
          scopes: ['sltd:check', 'notices:screen'],
          borderPoints: ['FRCDG-T2'],
          until: new Date(Date.now() + 3_600_000),
        },
      ],
    });
  // Notice hits on ncb-uto's published notice, reported by bp-fra: a decision uses one up.
  const freshNoticeHit = async () =>
    (
      await must<{ id: string }>(
        'bp-fra',
        REPORT_MATCH,
        { i: { noticeId: published.id, note: 'Seen at the gate' } },
        'reportNoticeMatch',
      )
    ).id;
  const confirmedNoticeHit = await freshNoticeHit();
  await must('ncb-uto', CONFIRM_NOTICE_HIT, { id: confirmedNoticeHit }, 'confirmNoticeHit');
  const { hit } = (
    await must<{ hit: { id: string } }[]>('bp-fra', CHECK, { d: [{ mrz: SPECIMEN_MRZ }] }, 'checkDocuments')
  )[0];

  templates.mutation = {
    publishDocumentAlert: {
      client: 'ncb-fra',
      variables: async (_, shape) => ({ input: alertInput(shape) }),
      shapes: 2,
    },
    withdrawDocumentAlert: {
      client: 'ncb-fra',
      variables: async () => ({ id: await fresh.alert(), reason: 'Series recalled' }),
    },
    updateDocumentAlertRestrictions: {
      client: 'ncb-fra',
      variables: async () => ({ id: alert.id, restrictions: RESTRICTIONS }),
    },
    extendDocumentAlertReview: {
      client: 'ncb-fra',
      variables: async () => ({
        id: alert.id,
        until: nextDay(alert.reviewDate),
        reason: 'Still in circulation',
      }),
    },
    requestNotice: { client: 'ncb-uto', variables: async (n) => ({ input: noticeInput(n) }) },
    publishNotice: {
      client: 'gs-admin',
      variables: async () => ({ id: await fresh.notice(), reason: 'Complies' }),
    },
    refuseNotice: {
      client: 'gs-admin',
      variables: async () => ({ id: await fresh.notice(), reason: 'Political' }),
    },
    updateNotice: {
      client: 'ncb-uto',
      variables: async (n) => {
        const {
          type: _type,
          aliases: _aliases,
          arrestWarrants: _warrants,
          documents: _documents,
          ...input
        } = noticeInput(n);
        return { id: requested, input };
      },
    },
    cancelNotice: {
      client: 'ncb-uto',
      variables: async () => ({
        id: (
          await must<{ id: string }>(
            'gs-admin',
            PUBLISH_NOTICE,
            { id: await fresh.notice() },
            'publishNotice',
          )
        ).id,
        reason: 'Subject arrested',
      }),
    },
    extendNoticeReview: {
      client: 'ncb-uto',
      variables: async () => ({
        id: published.id,
        until: nextDay(published.reviewDate),
        reason: 'Still wanted',
      }),
    },
    registerAgency: {
      client: 'gs-admin',
      variables: async (n) => ({
        input: {
          code: `FUZZ-${n}`,
          name: 'Douanes',
          kind: 'NATIONAL_ENTITY',
          country: 'FRA',
          authorisedBy: fraNcb,
        },
      }),
    },
    grantAgreement: {
      client: 'gs-admin',
      variables: async () => ({ agencyId: agency.id, scopes: ['sltd:check'] }),
    },
    revokeAgreement: {
      client: 'gs-admin',
      variables: async () => ({
        id: (await must<{ id: string }>('gs-admin', GRANT, { a: agency.id }, 'grantAgreement')).id,
        reason: 'Ended',
      }),
    },
    createApiClient: {
      client: 'gs-admin',
      variables: async (n, shape) => ({
        agencyId: agency.id,
        clientId: `fuzz-new-${n}`,
        description: 'Kiosk',
        ...(shape === 1 ? { operation: await freshOperation(n) } : {}),
      }),
      shapes: 2,
    },
    planOperation: { client: 'gs-admin', variables: async (n) => ({ input: operationInput(n) }) },
    updateOperation: {
      client: 'gs-admin',
      variables: async (n) => ({
        code: await freshOperation(n),
        input: { name: 'Fuzz operation, renamed', purpose: 'Still fuzzing' },
      }),
    },
    addOperationParticipants: {
      client: 'gs-admin',
      variables: async (n) => ({
        code: await freshOperation(n),
        participants: [{ agencyId: agencyIds.IOM, borderPoints: ['FRORY'] }],
      }),
    },
    removeOperationParticipants: {
      client: 'gs-admin',
      variables: async (n) => ({ code: await freshOperation(n), agencyIds: [agencyIds.FRONTEX] }),
    },
    addOperationBorderPoints: {
      client: 'gs-admin',
      variables: async (n) => ({ code: await freshOperation(n), borderPoints: ['FRLYS'] }),
    },
    removeOperationBorderPoints: {
      client: 'gs-admin',
      variables: async (n) => ({ code: await freshOperation(n), borderPoints: ['FRORY'] }),
    },
    activateOperation: {
      client: 'gs-admin',
      variables: async (n) => ({ code: await freshOperation(n), reason: 'Teams deployed' }),
    },
    closeOperation: {
      client: 'gs-admin',
      variables: async (n) => ({ code: await freshOperation(n, true), reason: 'Ended as planned' }),
    },
    cancelOperation: {
      client: 'gs-admin',
      variables: async (n) => ({ code: await freshOperation(n), reason: 'Called off' }),
    },
    rotateClientSecret: { client: 'gs-admin', variables: async () => ({ clientId: rotated }) },
    disableApiClient: { client: 'gs-admin', variables: async (n) => ({ clientId: await newClient(n) }) },
    // ncb-usa's webhook is put back after the test; nothing here makes a hit on its records meanwhile.
    setWebhook: {
      client: 'ncb-usa',
      variables: async () => ({ url: 'https://127.0.0.1:9/fuzz' }),
      fixed: ['url'],
    },
    confirmHit: {
      client: 'ncb-uto',
      variables: async () => ({ id: hit.id, outcome: 'CONFIRMED', note: 'Seized' }),
    },
    // Shape 1 in an operation's context (a grant signed here).
    reportNoticeMatch: {
      client: 'bp-fra',
      token: bpFraInOperation,
      variables: async (n, shape) => ({
        input: {
          noticeId: published.id,
          note: `Traveller matches the photo (${n})`,
          ...(shape === 1 ? { operation: 'FUZZ-OP-2026', borderPoint: 'FRCDG-T2' } : {}),
        },
      }),
      shapes: 2,
    },
    confirmNoticeHit: {
      client: 'ncb-uto',
      variables: async () => ({
        id: await freshNoticeHit(),
        outcome: 'CONFIRMED',
        note: 'Fingerprints match',
      }),
    },
    // Recording again replaces the outcome: one confirmed notice hit serves every run.
    recordNoticeHitOutcome: {
      client: 'ncb-uto',
      variables: async () => ({ noticeHitId: confirmedNoticeHit, outcome: 'DETAINED', note: 'Held at T2' }),
    },
    // A hit of its own, confirmed, for each run: an outcome needs a CONFIRMED hit.
    recordOutcome: {
      client: 'ncb-uto',
      variables: async () => {
        const [{ hit: fresh }] = await must<{ hit: { id: string } }[]>(
          'bp-fra',
          CHECK,
          { d: [{ mrz: SPECIMEN_MRZ }] },
          'checkDocuments',
        );
        await must('ncb-uto', CONFIRM, { id: fresh.id }, 'confirmHit');
        return { hitId: fresh.id, outcome: 'DOCUMENT_SEIZED', note: 'Seized at CDG T2' };
      },
    },
    reportTravelDocument: { client: 'ncb-fra', variables: async (n) => ({ input: reportInput(n) }) },
    updateSltdRecord: {
      client: 'ncb-fra',
      variables: async () => {
        const { status, nationalReference, theftDate, theftCountry, theftPlace, restrictions } =
          reportInput(0);
        return {
          id: record.id,
          input: { status, nationalReference, theftDate, theftCountry, theftPlace, restrictions },
        };
      },
    },
    withdrawSltdRecord: {
      client: 'ncb-fra',
      variables: async () => ({ id: (await fresh.record()).id, reason: 'Found' }),
    },
    extendSltdRecordReview: {
      client: 'ncb-fra',
      variables: async () => ({
        id: record.id,
        until: nextDay(record.reviewDate),
        reason: 'Investigation ongoing',
      }),
    },
  };

  const cursorOf = async (client: string, query: string, field: string) =>
    (await must<{ edges: { cursor: string }[] }>(client, query, {}, field)).edges[0].cursor;
  const cursors = {
    documentAlerts: await cursorOf(
      'ncb-fra',
      '{ documentAlerts(first: 1) { edges { cursor } } }',
      'documentAlerts',
    ),
    notices: await cursorOf('ncb-fra', '{ notices(first: 1) { edges { cursor } } }', 'notices'),
    agencies: await cursorOf('gs-admin', '{ agencies(first: 1) { edges { cursor } } }', 'agencies'),
    auditTrail: await cursorOf('ncb-fra', '{ auditTrail(first: 1) { edges { cursor } } }', 'auditTrail'),
    sltdRecords: await cursorOf('ncb-fra', '{ sltdRecords(first: 1) { edges { cursor } } }', 'sltdRecords'),
    hits: await cursorOf('ncb-uto', '{ hits(first: 1) { edges { cursor } } }', 'hits'),
    operations: await cursorOf('gs-admin', '{ operations(first: 1) { edges { cursor } } }', 'operations'),
    noticeHits: await cursorOf('ncb-uto', '{ noticeHits(first: 1) { edges { cursor } } }', 'noticeHits'),
  };
  const same = (variables: Variables, client = 'ncb-fra'): Template => ({
    client,
    variables: async () => variables,
  });
  templates.query = {
    documentAlerts: same({ after: cursors.documentAlerts, first: 5, filter: { issuingCountry: 'FRA' } }),
    documentAlert: same({ id: alert.id }),
    notices: same({
      after: cursors.notices,
      first: 5,
      filter: { requestingCountry: 'UTO', subjectNationality: 'UTO' },
    }),
    notice: same({ id: published.id }),
    // In an operation's context, as bp-fra's grant allows.
    screenPerson: {
      client: 'bp-fra',
      token: bpFraInOperation,
      variables: async () => ({
        first: 5,
        input: { surname: 'Fuzzsubject', forenames: 'Ramon', dateOfBirth: '1980-02-03', nationality: 'UTO' },
        context: { operation: 'FUZZ-OP-2026', borderPoint: 'FRCDG-T2' },
      }),
    },
    noticeHits: same({ after: cursors.noticeHits, first: 5 }, 'ncb-uto'),
    agency: same({ id: fraNcb }),
    agencies: same({ after: cursors.agencies, first: 5, filter: { country: 'FRA' } }, 'gs-admin'),
    auditTrail: same({
      after: cursors.auditTrail,
      first: 5,
      filter: { recordId: record.id, action: 'CREATE', clientId: 'ncb-fra' },
    }),
    // A document not on file: no hit, so no webhook event. The context: an operation bp-fra's token grants.
    checkDocuments: {
      client: 'bp-fra',
      token: () =>
        mintToken({
          clientId: 'bp-fra',
          agencyId: bpFra,
          agencyKind: 'NATIONAL_ENTITY',
          country: 'FRA',
          scopes: ['sltd:check'],
          operations: [
            {
              code: 'FUZZ-OP-2026',
              scopes: ['sltd:check'],
              borderPoints: ['FRCDG-T2'],
              until: new Date(Date.now() + 3_600_000),
            },
          ],
        }),
      variables: async () => ({
        input: [
          {
            mrz: SPECIMEN_MRZ.replace('L898902C3', 'L898902C4'),
            issuingCountry: 'UTO',
            documentNumber: 'QQ0000001',
            location: 'CDG T2',
          },
        ],
        context: { operation: 'FUZZ-OP-2026', borderPoint: 'FRCDG-T2' },
      }),
    },
    parseMrz: same({ mrz: SPECIMEN_MRZ }),
    operation: same({ code: 'STOP-2026-CDG' }),
    operations: same({ after: cursors.operations, first: 5, filter: { status: 'ACTIVE' } }, 'gs-admin'),
    borderPoints: same({ country: 'FRA', kind: 'AIRPORT' }),
    hits: same({ after: cursors.hits, first: 5 }, 'ncb-uto'),
    sltdRecord: same({ id: record.id }),
    sltdRecords: same({ after: cursors.sltdRecords, first: 5, filter: { issuingCountry: 'FRA' } }),
    travelDocument: same({ issuingCountry: 'FRA', documentNumber: '19FR12345' }),
  };
}, 120_000);

afterAll(async () => {
  await db?.query(
    `UPDATE partners.agencies SET webhook_url = $1, webhook_secret = $2 WHERE code = 'NCB-USA'`,
    [usaWebhook?.webhook_url ?? null, usaWebhook?.webhook_secret ?? null],
  );
  await db?.end();
  await hub?.stop();
});

/** One set of valid variables per shape of a template. */
async function shapesOf(template: Template): Promise<Variables[]> {
  return Promise.all(
    Array.from({ length: template.shapes ?? 1 }, (_, shape) => template.variables(++counter, shape)),
  );
}

function rootFields(kind: 'mutation' | 'query') {
  const root = kind === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return Object.values(root?.getFields() ?? {}).filter(
    (field) => !field.name.startsWith('_') && operationTextPaths(field).length > 0,
  );
}

/** What every answer must be: no 5xx, every error a documented refusal, text the rule refuses refused by name. */
async function expectHygienic(
  kind: 'mutation' | 'query',
  field: GraphQLField<unknown, unknown>,
  template: Template,
  variables: Variables,
  path: Path,
  text: string,
): Promise<void> {
  const before = await countRows();
  const response: GraphQLResponse = await send(template, operationFor(kind, field, variables), variables);
  const codes = (response.body.errors ?? []).map((error) => error.extensions?.code);
  expect({
    status: response.status < 500,
    codes: codes.filter((code) => !REFUSALS.has(String(code))),
  }).toEqual({
    status: true,
    codes: [],
  });
  const problem = textProblem(text, allowsLines(path.join('.')));
  if (problem) {
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions?.problems).toContainEqual({
      field: path.join('.'),
      reason: problem,
    });
  }
  const refused = codes.length > 0 && (response.body.data ?? {})[field.name] == null;
  if (!refused) return;
  const after = await countRows();
  // Bad input writes nothing at all; a refusal of the record gate writes its REFUSE audit row and nothing else.
  if (codes.every((code) => code === 'BAD_USER_INPUT')) expect(after).toEqual(before);
  else expect({ ...after, 'audit.entries REFUSE': 0 }).toEqual({ ...before, 'audit.entries REFUSE': 0 });
}

describe.each(['mutation', 'query'] as const)('every %s', (kind) => {
  test('has a template whose every text argument is a string, and succeeds with it as it is', async () => {
    const fields = rootFields(kind);
    expect(fields.map((field) => field.name).sort()).toEqual(Object.keys(templates[kind]).sort());
    for (const field of fields) {
      const template = templates[kind][field.name];
      const shapes = await shapesOf(template);
      const missing = operationTextPaths(field).filter(
        (path) => !shapes.some((variables) => typeof valueAt(variables, path) === 'string'),
      );
      expect({ field: field.name, missing }).toEqual({ field: field.name, missing: [] });
      for (const variables of shapes) {
        const response = await send(template, operationFor(kind, field, variables), variables);
        expect({ field: field.name, errors: response.body.errors }).toEqual({
          field: field.name,
          errors: undefined,
        });
      }
    }
  });

  test.each(rootFields(kind).map((field) => [field.name, field] as const))(
    '%s: random text in any text argument is a success or a refusal, never an internal error',
    async (_, field) => {
      const template = templates[kind][field.name];
      const shapes = await shapesOf(template);
      // Each text path with the first shape that holds it.
      const cases = operationTextPaths(field)
        .filter((path) => !template.fixed?.includes(path.join('.')))
        .map((path) => {
          const shape = shapes.findIndex((variables) => typeof valueAt(variables, path) === 'string');
          return { path, shape, base: String(valueAt(shapes[shape], path)) };
        });
      // Every text argument fixed (setWebhook): the template's own run above is all there is.
      if (cases.length === 0) return;
      const arbitrary = fc
        .constantFrom(...cases)
        .chain((item) => fc.tuple(fc.constant(item), randomText(item.base)));
      await fc.assert(
        fc.asyncProperty(arbitrary, async ([{ path, shape }, text]) => {
          const variables = withValueAt(await template.variables(++counter, shape), path, text);
          await expectHygienic(kind, field, template, variables, path, text);
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: false },
      );
    },
  );
});
