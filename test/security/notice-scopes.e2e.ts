import pg from 'pg';
import { scopesAllowedTo } from '../../shared/auth/agency-policy';
import { AgencyKinds, type AgencyKind } from '../../shared/auth/caller';
import { startTestHub, type TestHub } from '../hub';
import { graphqlWithToken, mintToken } from '../tokens';

/**
 * Scope semantics as a table (docs/architecture.md, "Scope combinations"): every notice type × every set of
 * notice scopes an agency of each kind may hold, through the gateway, against every notice field and every path
 * to a notice (by id, in a list, through a checked document, through screening), asserting exactly what is
 * visible. The rule under test, written here independently of the code that implements it:
 *
 * - identity fields (type, control number, subject names, birth date, sex, nationalities) of every type with
 *   `notices:screen`, `notices:read` or `notices:publish`; of YELLOW notices only with `notices:read:yellow`;
 * - every other field of every type with `notices:read` or `notices:publish`; of YELLOW notices only with
 *   `notices:read:yellow`, whatever else the caller holds.
 */
let hub: TestHub;
let db: pg.Client;

const TYPES = [
  'RED',
  'YELLOW',
  'BLUE',
  'BLACK',
  'GREEN',
  'ORANGE',
  'PURPLE',
  'SILVER',
  'UN_SPECIAL',
] as const;
type NoticeType = (typeof TYPES)[number];
const NOTICE_SCOPES = [
  'notices:screen',
  'notices:read',
  'notices:read:yellow',
  'notices:write',
  'notices:publish',
];
const SURNAME = 'QUILLFEATHERSTONE';

interface Seeded {
  id: string;
  controlNumber: string;
  documentNumber: string;
  requestedAt: string;
  publishedAt: string;
  reviewDate: string;
  ownerId: string;
}
const seeded = new Map<NoticeType, Seeded>();
const agencyOfKind = new Map<AgencyKind, { id: string; country: string | null }>();
let since: string;

const REQUEST = `mutation($input: RequestNoticeInput!) { requestNotice(input: $input) { id controlNumber requestedAt } }`;
const PUBLISH = `mutation($id: ID!) { publishNotice(id: $id, reason: "Complies with the rules") { publishedAt reviewDate } }`;

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  since = new Date(Date.now() - 1000).toISOString();
  const ownerId = (await db.query(`SELECT id FROM partners.agencies WHERE code = 'NCB-FRA'`)).rows[0].id;
  for (const [index, type] of TYPES.entries()) {
    const documentNumber = `SCOPE${index}${Date.now().toString(36).toUpperCase().slice(-5)}`;
    const requested = await hub.graphql('ncb-fra', REQUEST, {
      input: {
        type,
        title: `Scope table ${type}`,
        subject: {
          surname: SURNAME,
          forenames: `Tabula ${type}`,
          dateOfBirth: '1980-01-0' + ((index % 9) + 1),
          sex: 'F',
          nationalities: ['FRA'],
          placeOfBirth: 'Lyon',
          distinguishingMarks: 'Scar on the left hand',
        },
        aliases: [{ surname: 'QUILL', forenames: `Alias ${type}` }],
        charges: ['Fraud'],
        arrestWarrants: [
          {
            warrantNumber: `W-${type}`,
            issuingAuthority: 'Tribunal de Lyon',
            issuedOn: '2026-01-01',
            charges: 'Fraud',
          },
        ],
        documents: [{ issuingCountry: 'FRA', documentNumber, documentType: 'PASSPORT' }],
      },
    });
    const notice = requested.body.data?.requestNotice as {
      id: string;
      controlNumber: string;
      requestedAt: string;
    };
    const published = await hub.graphql('gs-admin', PUBLISH, { id: notice.id });
    const decision = published.body.data?.publishNotice as { publishedAt: string; reviewDate: string };
    seeded.set(type, { ...notice, ...decision, documentNumber, ownerId });
  }
  // An agency of each kind other than the notices' owner: the one whose scopes the tokens below claim.
  for (const [kind, code] of [
    ['NCB', 'NCB-USA'],
    ['NATIONAL_ENTITY', 'BP-FRA'],
    ['INTERNATIONAL_PARTNER', 'IOM'],
    ['PRIVATE_PARTNER', 'AIRLINE-NLD'],
    ['GENERAL_SECRETARIAT', 'GS'],
  ] as const) {
    const row = (await db.query(`SELECT id, country FROM partners.agencies WHERE code = $1`, [code])).rows[0];
    agencyOfKind.set(kind, row);
  }
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const NOTICE_FIELDS = `id controlNumber type status title charges requestedAt publishedAt reviewDate requestedBy { id }
  subject { surname forenames dateOfBirth sex nationalities placeOfBirth distinguishingMarks aliases { surname forenames } }
  arrestWarrants { warrantNumber } documents { issuingCountry documentNumber }`;

function tableQuery(): string {
  const byId = TYPES.map((type) => `${type}: notice(id: $${type}) { ${NOTICE_FIELDS} }`).join('\n');
  return `query(${TYPES.map((t) => `$${t}: ID!`).join(', ')}, $since: DateTimeISO!, $documents: [DocumentCheckInput!]!) {
    ${byId}
    list: notices(first: 50, filter: { requestedAfter: $since }) { edges { node { id type title } } }
    screen: screenPerson(input: { surname: "${SURNAME}" }, threshold: 0.3, first: 50) { notice { id type title } }
    check: checkDocuments(input: $documents) { document { documentNumber notices { id type title } } }
  }`;
}

const ALL = new Set<string>(TYPES);
const identityTypes = (scopes: Set<string>): Set<string> =>
  ['notices:screen', 'notices:read', 'notices:publish'].some((s) => scopes.has(s))
    ? ALL
    : scopes.has('notices:read:yellow')
      ? new Set(['YELLOW'])
      : new Set();
const fullTypes = (scopes: Set<string>): Set<string> =>
  ['notices:read', 'notices:publish'].some((s) => scopes.has(s))
    ? ALL
    : scopes.has('notices:read:yellow')
      ? new Set(['YELLOW'])
      : new Set();

const FULL_NOTICE = [
  'status',
  'title',
  'charges',
  'requestedAt',
  'publishedAt',
  'reviewDate',
  'requestedBy',
  'arrestWarrants',
  'documents',
];
const FULL_SUBJECT = ['placeOfBirth', 'distinguishingMarks', 'aliases'];

/** The whole notice as a full reader gets it. */
function fullNotice(type: NoticeType): Record<string, unknown> {
  const n = seeded.get(type) as Seeded;
  return {
    id: n.id,
    controlNumber: n.controlNumber,
    type,
    status: 'PUBLISHED',
    title: `Scope table ${type}`,
    charges: ['Fraud'],
    requestedAt: n.requestedAt,
    publishedAt: n.publishedAt,
    reviewDate: n.reviewDate,
    requestedBy: { id: n.ownerId },
    subject: {
      surname: SURNAME,
      forenames: `Tabula ${type}`,
      dateOfBirth: '1980-01-0' + ((TYPES.indexOf(type) % 9) + 1),
      sex: 'F',
      nationalities: ['FRA'],
      placeOfBirth: 'Lyon',
      distinguishingMarks: 'Scar on the left hand',
      aliases: [{ surname: 'QUILL', forenames: `Alias ${type}` }],
    },
    arrestWarrants: [{ warrantNumber: `W-${type}` }],
    documents: [{ issuingCountry: 'FRA', documentNumber: n.documentNumber }],
  };
}

interface Expected {
  data: Record<string, unknown>;
  /** `path` joined with dots, one per UNAUTHORIZED_FIELD_OR_TYPE error. */
  errors: string[];
}

function expectedAnswer(scopes: Set<string>, screenedOrder: string[], listedOrder: string[]): Expected {
  const identity = identityTypes(scopes);
  const full = fullTypes(scopes);
  const errors: string[] = [];
  const data: Record<string, unknown> = {};
  for (const type of TYPES) {
    if (identity.size === 0) {
      data[type] = null;
      errors.push(type);
      continue;
    }
    if (!identity.has(type)) {
      data[type] = null;
      continue;
    }
    const notice = fullNotice(type);
    if (!full.has(type)) {
      for (const field of FULL_NOTICE) {
        notice[field] = null;
        errors.push(`${type}.${field}`);
      }
      const subject = notice.subject as Record<string, unknown>;
      for (const field of FULL_SUBJECT) {
        subject[field] = null;
        errors.push(`${type}.subject.${field}`);
      }
    }
    data[type] = notice;
  }
  const typeOf = (id: string) => TYPES.find((t) => seeded.get(t)?.id === id) as NoticeType;
  // Without any full reach the gateway removes `title` before planning: one error for every element (`@`).
  // With some, the field is asked for, and each notice outside the reach answers null with its own error.
  const brief = (id: string, at: string) => {
    const type = typeOf(id);
    if (full.has(type)) return { id, type, title: `Scope table ${type}` };
    if (full.size > 0) errors.push(`${at}.title`);
    return { id, type, title: null };
  };
  if (identity.size === 0) {
    data.list = null;
    errors.push('list');
  } else {
    data.list = { edges: listedOrder.map((id, i) => ({ node: brief(id, `list.edges.${i}.node`) })) };
    if (full.size === 0) errors.push('list.edges.@.node.title');
  }
  if (!scopes.has('notices:screen')) {
    data.screen = null;
    errors.push('screen');
  } else {
    data.screen = screenedOrder.map((id, i) => ({ notice: brief(id, `screen.${i}.notice`) }));
    if (full.size === 0) errors.push('screen.@.notice.title');
  }
  data.check = TYPES.map((type) => {
    const document = seeded.get(type)?.documentNumber;
    if (full.size === 0) return { document: { documentNumber: document, notices: null } };
    const notices = full.has(type) ? [{ id: seeded.get(type)?.id, type, title: `Scope table ${type}` }] : [];
    return { document: { documentNumber: document, notices } };
  });
  if (full.size === 0) errors.push('check.@.document.notices');
  return { data, errors: errors.sort() };
}

/** Every subset of `scopes`. */
function subsets(scopes: readonly string[]): string[][] {
  return scopes.reduce<string[][]>(
    (all, scope) => [...all, ...all.map((subset) => [...subset, scope])],
    [[]],
  );
}

const CASES: [AgencyKind, string[]][] = AgencyKinds.flatMap((kind) => {
  const noticeScopes = scopesAllowedTo(kind).filter((scope) => NOTICE_SCOPES.includes(scope));
  return subsets(noticeScopes).map((subset): [AgencyKind, string[]] => [kind, subset]);
});

test('the table covers every kind, and every set of notice scopes each kind may hold', () => {
  expect(new Set(CASES.map(([kind]) => kind))).toEqual(new Set(AgencyKinds));
  // A private partner may hold no notice scope at all: its only row is the empty set.
  expect(CASES.filter(([kind]) => kind === 'PRIVATE_PARTNER')).toEqual([['PRIVATE_PARTNER', []]]);
});

test.each(CASES)(
  '%s holding [%s]: exactly the fields the scope table grants, on every type and path',
  async (kind, noticeScopes) => {
    const agency = agencyOfKind.get(kind) as { id: string; country: string | null };
    // sltd:check (any kind may hold it) opens the border check, the path through a document to its notices.
    const scopes = ['sltd:check', ...noticeScopes];
    const token = await mintToken({
      clientId: `scope-table-${kind.toLowerCase()}`,
      agencyId: agency.id,
      agencyKind: kind,
      country: agency.country,
      scopes,
    });
    const variables: Record<string, unknown> = { since, documents: [] };
    for (const type of TYPES) variables[type] = seeded.get(type)?.id;
    variables.documents = TYPES.map((type) => ({
      issuingCountry: 'FRA',
      documentNumber: seeded.get(type)?.documentNumber,
    }));
    const response = await graphqlWithToken(hub, token, tableQuery(), variables);
    const ours = new Set(TYPES.map((type) => seeded.get(type)?.id));
    const data = response.body.data as Record<string, unknown>;
    // Lists and screening hold our notices in an order of their own (newest first, best match first): the
    // expectation follows it, and only our notices count (screening may find others with a like name).
    const listed = ((data.list as { edges: { node: { id: string } }[] } | null)?.edges ?? []).map(
      (e) => e.node.id,
    );
    const screened = ((data.screen as { notice: { id: string } }[] | null) ?? []).map((m) => m.notice.id);
    const expected = expectedAnswer(new Set(scopes), screened, listed);

    expect(new Set(listed)).toEqual(
      new Set(TYPES.filter((t) => identityTypes(new Set(scopes)).has(t)).map((t) => seeded.get(t)?.id)),
    );
    if (scopes.includes('notices:screen')) {
      expect(new Set(screened.filter((id) => ours.has(id)))).toEqual(ours);
    }
    const otherScreened = screened.flatMap((id, i) => (ours.has(id) ? [] : [i]));
    const errors = (response.body.errors ?? [])
      .filter((e) => !otherScreened.some((i) => e.path?.[0] === 'screen' && e.path?.[1] === i))
      .map((e) => {
        expect(e).toMatchObject({
          message: 'Unauthorized field or type',
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        });
        return (e.path ?? []).join('.');
      })
      .sort();
    expect({ data: { ...data, screen: screenedOurs(data.screen, ours) }, errors }).toEqual({
      data: { ...expected.data, screen: screenedOurs(expected.data.screen, ours) },
      errors: expected.errors.filter((path) => !otherScreened.some((i) => path.startsWith(`screen.${i}.`))),
    });
  },
);

function screenedOurs(screen: unknown, ours: Set<string | undefined>): unknown {
  if (!Array.isArray(screen)) return screen;
  return (screen as { notice: { id: string } }[]).filter((m) => ours.has(m.notice.id));
}
