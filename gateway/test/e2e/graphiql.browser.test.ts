/**
 * GraphiQL in a real browser, offline: headless Chromium (Debian's `chromium`, installed by
 * infra/install.sh) driven by playwright-core opens the page from a whole test stack, takes a
 * token in the bar, runs the example query, and the test reads the answer from the page. Every
 * request that is not 127.0.0.1, data: or blob: is blocked and counted, and must be none.
 * Screenshots go to .run/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { issueClientToken, Principal } from '@ap/auth';
import { isLocalUrl } from '../page-references';
import { startStack, Stack } from './stack';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', '..', '.run', 'artifacts');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Belt and braces: no host name but the loopback resolves, whatever the browser itself tries.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const admin: Principal = { userId: 'alice', role: 'LA_ADMIN', org: { type: 'la', id: '865' } };
const school: Principal = { userId: 'sam', role: 'SCHOOL_USER', org: { type: 'school', id: '100001' } };
const PROVIDER = 'Harbourside Tuition Centre (fictional)';

let stack: Stack;
let browser: Browser;
const blocked: string[] = [];
const requested: string[] = [];
const pageProblems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing: no browser at ${CHROMIUM}. This test drives Debian's chromium package; install it with ` +
        '`bash infra/install.sh` (it runs `apt-get install -y chromium` where chromium is missing), or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  stack = await startStack();
  const token = await issueClientToken(admin);
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: 'mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id } }',
      variables: { input: { name: PROVIDER, registrationType: 'REGISTERED_INDEPENDENT_SCHOOL', urn: '999123', postcode: 'SN10 1AA' } },
    }),
  });
  expect(((await res.json()) as { data?: unknown }).data).toBeTruthy();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function openGraphiQL(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => void requested.push(request.url()));
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
  });
  page.on('pageerror', (error) => void pageProblems.push(`page error: ${error.message}`));
  // The address an admin types: /graphql, which a browser's Accept turns into the page.
  await page.goto(stack.gateway.url, { waitUntil: 'load', timeout: 90_000 });
  await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
  await page.waitForSelector('.graphiql-execute-button', { timeout: 60_000 });
  return page;
}

async function useToken(page: Page, token: string): Promise<string> {
  await page.fill('#ap-token-input', token);
  await page.click('#ap-token-use');
  await page.locator('#ap-token-status', { hasText: /^(?!No token)./ }).waitFor({ timeout: 30_000 });
  return (await page.textContent('#ap-token-status')) ?? '';
}

/** The response pane's text, once it has some. */
async function responseText(page: Page, containing: string): Promise<string> {
  await page.locator('.graphiql-response', { hasText: containing }).waitFor({ timeout: 60_000 });
  // Monaco shows spaces as no-break spaces.
  return ((await page.textContent('.graphiql-response')) ?? '').replace(/\u00a0/g, ' ');
}

describe('GraphiQL in a real browser (Chromium), offline', () => {
  it('an LA_ADMIN pastes a token, runs the directory query and reads the providers, with nothing loaded from outside 127.0.0.1', async () => {
    const page = await openGraphiQL();
    try {
      const status = await useToken(page, await issueClientToken(admin));
      expect(status).toContain('Signed in as LA_ADMIN for la:865');
      expect(status).toContain('Schema loaded');
      // The first tab is the Directory example; run it.
      await page.click('.graphiql-execute-button');
      const answer = JSON.parse(await responseText(page, PROVIDER)) as { data: { providers: { name: string; approvalStatus: string; laCode: string }[] } };
      expect(answer.data.providers).toEqual([expect.objectContaining({ name: PROVIDER, approvalStatus: 'APPLIED', laCode: '865' })]);
      // GraphiQL fetched the schema again with the token: the docs list the schema's types.
      await page.click('[aria-label="Show Documentation Explorer"]');
      await page.getByText('RegisterProviderInput', { exact: true }).waitFor({ timeout: 30_000 });
    } finally {
      await page.screenshot({ path: join(ARTIFACTS, 'graphiql-admin.png') });
      await page.context().close();
    }
    expect(blocked).toEqual([]);
    expect(requested.filter((url) => !isLocalUrl(url))).toEqual([]);
    expect(requested.some((url) => url.startsWith(stack.gateway.url))).toBe(true);
    expect(pageProblems).toEqual([]);
  }, 240_000);

  it("a school user's token runs operations, and the bar says why the docs pane is empty", async () => {
    const page = await openGraphiQL();
    try {
      const status = await useToken(page, await issueClientToken(school));
      expect(status).toContain('Signed in as SCHOOL_USER for school:100001');
      expect(status).toContain('Introspection (__schema, __type) is only for LA_ADMIN');
    } finally {
      await page.screenshot({ path: join(ARTIFACTS, 'graphiql-school-user.png') });
      await page.context().close();
    }
    expect(blocked).toEqual([]);
    expect(pageProblems).toEqual([]);
  }, 240_000);
});
