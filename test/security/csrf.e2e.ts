import { startTestHub, type TestHub } from '../hub';
import { SPECIMEN_MRZ, writtenRows } from './attacks';

/**
 * Cross-site request forgery. The hub keeps no ambient credential (no cookie: the token travels in the
 * Authorization header, which a cross-site form or image cannot set), and Apollo Server's CSRF prevention
 * (on by default in Apollo Server 5) refuses the requests a browser sends cross-site without a CORS preflight:
 * GETs and POSTs whose content type is a form's or text/plain, unless they carry `apollo-require-preflight`
 * or `x-apollo-operation-name` — headers that force a preflight, which the gateway never grants (it answers no
 * CORS request). So a page elsewhere cannot make an officer's browser run a check, even one that writes hits.
 */
let hub: TestHub;
let url: string;

beforeAll(async () => {
  hub = await startTestHub();
  url = hub.hub.gatewayUrl;
});
afterAll(() => hub.stop());

const CHECK = `{ checkDocuments(input: [{ mrz: ${JSON.stringify(SPECIMEN_MRZ)} }]) { verdict } }`;
const BLOCKED = {
  errors: [
    {
      message: expect.stringMatching(
        /^This operation has been blocked as a potential Cross-Site Request Forgery/,
      ),
      extensions: { code: 'BAD_REQUEST' },
    },
  ],
};

async function send(init: RequestInit, target = url) {
  const before = await writtenRows(hub.databaseUrl);
  const response = await fetch(target, init);
  const body = (await response.json()) as unknown;
  expect(await writtenRows(hub.databaseUrl)).toEqual(before);
  return { status: response.status, body };
}

test('a POST with a form-like content type (text/plain) is refused, and nothing is checked', async () => {
  const token = await hub.token('airline-demo');
  const response = await send({
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CHECK }),
  });
  expect(response).toEqual({ status: 400, body: BLOCKED });
});

test('a plain GET (a link, an image) is refused', async () => {
  const response = await send({ method: 'GET' }, `${url}?${new URLSearchParams({ query: CHECK })}`);
  expect(response).toEqual({ status: 400, body: BLOCKED });
});

test('a form post is refused before it reaches GraphQL', async () => {
  const response = await send({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: CHECK }).toString(),
  });
  expect(response.status).toBe(400);
});

test('the gateway grants no CORS preflight, so the headers that pass the check cannot come cross-site', async () => {
  const response = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://elsewhere.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, apollo-require-preflight',
    },
  });
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  expect(response.headers.get('access-control-allow-headers')).toBeNull();
});

test('a non-browser client with the preflight header may query over GET; a mutation over GET is refused', async () => {
  const token = await hub.token('airline-demo');
  const headers = { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` };
  const me = await fetch(`${url}?${new URLSearchParams({ query: '{ me { clientId } }' })}`, { headers });
  expect({ status: me.status, body: await me.json() }).toEqual({
    status: 200,
    body: { data: { me: { clientId: 'airline-demo' } } },
  });
  const mutation = await send(
    { method: 'GET', headers },
    `${url}?${new URLSearchParams({ query: 'mutation { setWebhook(url: "https://x.example") { url } }' })}`,
  );
  expect(mutation.status).toBe(405);
});
