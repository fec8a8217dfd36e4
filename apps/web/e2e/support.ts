// Shared by the *.e2e.ts files (this file is not a test itself): launching Chromium, opening pages
// with console errors collected, and signing in through the real server.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
} from 'playwright-core';

export const baseUrl = process.env.KONTOR_E2E_URL ?? '';
assert.ok(
  baseUrl,
  'KONTOR_E2E_URL is not set: start a Kontor server and set it to its base URL, e.g. http://127.0.0.1:3000',
);

/** The first user of the tenant the test runner creates before it starts the server (an Owner). */
export const admin = {
  email: process.env.KONTOR_E2E_ADMIN_EMAIL ?? '',
  password: process.env.KONTOR_E2E_ADMIN_PASSWORD ?? '',
};
assert.ok(
  admin.email && admin.password,
  'KONTOR_E2E_ADMIN_EMAIL and KONTOR_E2E_ADMIN_PASSWORD are not set: create a tenant with `kontor tenant create` and pass its admin credentials',
);

let browser: Browser | undefined;

/** Registers the hooks that start Chromium before the file's tests and close it after them. */
export function startBrowser(): () => Browser {
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    assert.ok(browser, 'the browser has not been started');
    return browser;
  };
}

export type Opened = { page: Page; context: BrowserContext; errors: string[] };

/**
 * The one console error a signed-out visit causes on purpose: the session check
 * (`GET /api/v1/auth/me`) answers 401, and Chromium logs every non-2xx fetch. Nothing broader is
 * excused: any other failed request or script error fails the test.
 */
function isExpectedSignedOutError(text: string, url: string): boolean {
  return (
    text === 'Failed to load resource: the server responded with a status of 401 (Unauthorized)' &&
    new URL(url, baseUrl).pathname === '/api/v1/auth/me'
  );
}

/** A fresh context (empty cookies and localStorage, English browser) with console errors collected. */
export async function newPage(
  browserInstance: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<Opened> {
  const context = await browserInstance.newContext({ locale: 'en-US', viewport, baseURL: baseUrl });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (isExpectedSignedOutError(message.text(), message.location().url)) return;
    errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { page, context, errors };
}

export async function close({ context }: Opened): Promise<void> {
  await context.close();
}

/** Signs the context in through the API (the cookies land in the browser context's jar). */
export async function signInViaApi(
  request: APIRequestContext,
  credentials: { email: string; password: string } = admin,
): Promise<{ csrfToken: string }> {
  const response = await request.post('/api/v1/auth/login', { data: credentials });
  assert.equal(response.status(), 200, `login failed: ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  return { csrfToken: body.csrfToken };
}

/** Fills in and submits the login form the page is showing. */
export async function signInViaForm(
  page: Page,
  credentials: { email: string; password: string },
): Promise<void> {
  await page.getByTestId('login-email').fill(credentials.email);
  await page.getByTestId('login-password').fill(credentials.password);
  await page.getByTestId('login-submit').click();
}

/** A fresh user of the admin's tenant, with the given built-in roles, for a test to change at will. */
export async function createUser(
  browserInstance: Browser,
  options: { roles?: string[] } = {},
): Promise<{ id: string; email: string; password: string }> {
  const context = await browserInstance.newContext({ baseURL: baseUrl });
  try {
    const { csrfToken } = await signInViaApi(context.request);
    const roles = (await (await context.request.get('/api/v1/roles')).json()) as {
      items: { id: string; builtinKey: string | null }[];
    };
    const roleIds = (options.roles ?? []).map((key) => {
      const role = roles.items.find((candidate) => candidate.builtinKey === key);
      assert.ok(role, `no built-in role ${key}`);
      return role.id;
    });
    const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const user = { email: `e2e-${suffix}@example.com`, password: `e2e password ${suffix}` };
    const response = await context.request.post('/api/v1/users', {
      data: { ...user, displayName: `E2E ${suffix}`, roleIds },
      headers: { 'x-csrf-token': csrfToken },
    });
    assert.equal(response.status(), 201, `creating a user failed: ${await response.text()}`);
    const created = (await response.json()) as { id: string };
    return { id: created.id, ...user };
  } finally {
    await context.close();
  }
}
