import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { ensureExplorerBuilt } from '../gateway/explorer/routes';
import { startTestHub, type TestHub } from './hub';

/**
 * The offline schema explorer (GET / on the gateway) in a real headless Chromium: bp-fra signs in, runs the
 * BorderCheck contract example with its sample variables, and reads HIT and the withheld `notices` in the
 * result panel. Every request the page makes must go to the gateway: nothing from a CDN, and no token in
 * any browser storage.
 *
 * Chromium is Debian's package (/usr/bin/chromium; .ci/run installs it when missing), driven by
 * playwright-core, which downloads no browser. The screenshot goes to dist/explorer-e2e.png on every run and
 * to docs/explorer.png (committed) with UPDATE_SCREENSHOT=1: `npm run screenshot:explorer`.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join('dist', 'explorer-e2e.png');
const COMMITTED_SCREENSHOT = path.join('docs', 'explorer.png');
const FAILURE_SCREENSHOT = path.join('dist', 'explorer-e2e-failure.png');

let hub: TestHub;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium); ` +
        '.ci/run does it when it is missing',
    );
  hub = await startTestHub();
  origin = new URL(hub.hub.gatewayUrl).origin;
  // Builds dist/explorer when missing or stale (seconds), as the first request would.
  await ensureExplorerBuilt();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

test('serves the explorer files from the gateway with a strict Content-Security-Policy', async () => {
  const index = await fetch(`${origin}/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const csp = index.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'/);
  const html = await index.text();
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<script>|<style>/);

  const types: Record<string, string> = {
    '/explorer/app.js': 'text/javascript; charset=utf-8',
    '/explorer/app.css': 'text/css; charset=utf-8',
    '/explorer/graphql.worker.js': 'text/javascript; charset=utf-8',
    '/explorer/json.worker.js': 'text/javascript; charset=utf-8',
    '/explorer/editor.worker.js': 'text/javascript; charset=utf-8',
    '/explorer/schema.graphql': 'text/plain; charset=utf-8',
    '/explorer/access.json': 'application/json; charset=utf-8',
  };
  for (const [file, type] of Object.entries(types)) {
    const response = await fetch(`${origin}${file}`);
    expect([file, response.status, response.headers.get('content-type')]).toEqual([file, 200, type]);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    await response.arrayBuffer();
  }

  // The rules are the gateway's: bp-fra may not read a travel document's notices.
  const rules = (await (await fetch(`${origin}/explorer/access.json`)).json()) as Record<string, unknown>;
  expect(rules['TravelDocument.notices']).toEqual(expect.objectContaining({ scopes: expect.any(Array) }));
  // The schema is the API schema (no federation machinery), readable without a token.
  const sdl = await (await fetch(`${origin}/explorer/schema.graphql`)).text();
  expect(sdl).toContain('checkDocuments(');
  expect(sdl).not.toContain('join__');
});

test('bp-fra signs in, runs the BorderCheck example and sees HIT and why notices is null', async () => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  const requests: Request[] = [];
  context.on('request', (request) => requests.push(request));
  const page = await context.newPage();
  page.setDefaultTimeout(90_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // CSP violations and failed loads are reported on the console as errors.
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });

  try {
    const response = await page.goto(`${origin}/`);
    expect(response?.status()).toBe(200);
    await page.locator('.graphiql-container').waitFor();

    await page.getByLabel('Client id').fill('bp-fra');
    await page.getByLabel('Client secret').fill('demo-bp-fra');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-client').waitFor();
    expect(await page.getByTestId('signed-in-client').textContent()).toBe('bp-fra');

    await page.getByLabel('Example').selectOption({ label: 'BorderCheck' });
    // Monaco renders spaces as no-break spaces, which \s matches.
    await page
      .locator('.graphiql-query-editor')
      .filter({ hasText: /query\s+BorderCheck/ })
      .waitFor();
    await page.locator('.graphiql-editor-tool').filter({ hasText: 'L898902C36UTO' }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').filter({ hasText: '"data"' }).waitFor();

    const result = await responsePanelText(page);
    expect(result).toMatch(/"verdict":\s*"HIT"/);
    expect(result).toContain('"UNAUTHORIZED_FIELD_OR_TYPE"');
    expect(result).toMatch(/"path":\s*\[\s*"checkDocuments",\s*("@"|0),\s*"document",\s*"notices"\s*\]/);

    // The Access panel names the withheld field and the rule behind it.
    const panel = page.getByTestId('access-panel');
    await panel.getByText('TravelDocument.notices').first().waitFor();
    expect(await panel.locator('section[aria-label="Last response"]').textContent()).toContain(
      'TravelDocument.notices',
    );

    // The token went out as a bearer token, and the page kept it nowhere but in memory.
    const tokenRequest = requests.find((r) => r.url() === `${origin}/oauth/token`);
    expect(tokenRequest?.method()).toBe('POST');
    expect(tokenRequest?.headers()['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(tokenRequest?.postData() ?? '').get('grant_type')).toBe('client_credentials');
    const graphqlRequests = requests.filter((r) => r.url() === `${origin}/graphql`);
    expect(graphqlRequests.length).toBeGreaterThan(0);
    const authorization = graphqlRequests.map((r) => r.headers()['authorization']);
    expect(authorization.every((value) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(value ?? ''))).toBe(true);
    const token = authorization[0]!.slice('Bearer '.length);
    // Evaluated in the page (this file is type-checked without the DOM library, hence a string).
    const stored = await page.evaluate<{ local: string; session: string; cookie: string }>(
      '({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), cookie: document.cookie })',
    );
    expect(stored.local).not.toContain(token);
    expect(stored.session).not.toContain(token);
    // GraphiQL's tabs and history (MRZs, names) are kept in memory too: the browser stores nothing at all.
    expect([stored.local, stored.session]).toEqual(['{}', '{}']);
    expect(stored.cookie).not.toContain(token);
    expect(await context.cookies()).toEqual([]);

    // No schema introspection (bp-fra lacks schema:read): the schema came from /explorer/schema.graphql.
    expect(graphqlRequests.map((r) => r.postData() ?? '').some((body) => body.includes('__schema'))).toBe(
      false,
    );

    // Every request went to the gateway: no CDN, no font service, nothing else.
    const elsewhere = requests.map((r) => r.url()).filter((url) => !url.startsWith(`${origin}/`));
    expect(elsewhere).toEqual([]);
    for (const file of ['app.js', 'app.css', 'graphql.worker.js', 'json.worker.js', 'editor.worker.js'])
      expect(requests.map((r) => r.url())).toContain(`${origin}/explorer/${file}`);
    expect(problems).toEqual([]);

    // The picture for the README: the top of the answer (the error, then the verdicts) and the Access panel.
    const resultBox = await page.locator('.graphiql-response .monaco-editor').boundingBox();
    if (resultBox)
      await page.mouse.move(resultBox.x + resultBox.width / 2, resultBox.y + resultBox.height / 2);
    for (let i = 0; i < 20; i += 1) await page.mouse.wheel(0, -1000);
    await page.waitForTimeout(500);
    await page.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeLessThan(500 * 1024);
    if (process.env.UPDATE_SCREENSHOT === '1') fs.copyFileSync(SCREENSHOT, COMMITTED_SCREENSHOT);
  } catch (error) {
    // What the page showed when it failed, for whoever reads the CI log.
    await page.screenshot({ path: FAILURE_SCREENSHOT }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}, 240_000);

test('in production the page asks for sign-in, then loads the schema with the token and runs an example', async () => {
  // The schema file and rules need a token in production (test/security/schema-exposure.e2e.ts).
  const production = await startTestHub({ nodeEnv: 'production' });
  const productionOrigin = new URL(production.hub.gatewayUrl).origin;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(90_000);
  const schemaRequests: { status: number; authorized: boolean }[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/explorer/schema.graphql'))
      schemaRequests.push({
        status: response.status(),
        authorized: /^Bearer /.test(response.request().headers()['authorization'] ?? ''),
      });
  });
  try {
    await page.goto(`${productionOrigin}/`);
    const status = page.getByTestId('schema-status');
    await status.filter({ hasText: 'Sign in to load the schema' }).waitFor();
    expect(await page.locator('.graphiql-container').count()).toBe(0);

    await page.getByLabel('Client id').fill('bp-fra');
    await page.getByLabel('Client secret').fill('demo-bp-fra');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.graphiql-container').waitFor();
    expect(schemaRequests).toEqual([
      { status: 401, authorized: false },
      { status: 200, authorized: true },
    ]);

    await page.getByLabel('Example').selectOption({ label: 'BorderCheck' });
    await page.locator('.graphiql-editor-tool').filter({ hasText: 'L898902C36UTO' }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').filter({ hasText: '"data"' }).waitFor();
    expect(await responsePanelText(page)).toMatch(/"verdict":\s*"HIT"/);
  } catch (error) {
    await page.screenshot({ path: FAILURE_SCREENSHOT }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
    await production.stop();
  }
}, 240_000);

/**
 * The whole text of GraphiQL's result panel. Monaco renders only the lines in view, so this scrolls the panel
 * from top to bottom and collects each rendered line by its offset.
 */
async function responsePanelText(page: Page): Promise<string> {
  const box = await page.locator('.graphiql-response .monaco-editor').boundingBox();
  if (!box) throw new Error('no result panel');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const lines = new Map<number, string>();
  for (let step = 0; step < 200; step += 1) {
    const before = lines.size;
    const visible = await page.evaluate<{ top: number; text: string }[]>(
      `[...document.querySelectorAll('.graphiql-response .view-lines .view-line')].map((line) => ({
        top: parseFloat(line.style.top),
        text: (line.textContent || '').replace(/\\u00a0/g, ' '),
      }))`,
    );
    // A line's offset is its place in the whole document (Monaco moves the container, not the lines).
    for (const line of visible) lines.set(Math.round(line.top), line.text);
    if (step > 0 && lines.size === before) break;
    await page.mouse.wheel(0, box.height / 2);
    await page.waitForTimeout(100);
  }
  return [...lines.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, text]) => text)
    .join('\n');
}
