import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

const baseUrl = process.env.KONTOR_E2E_URL;
assert.ok(
  baseUrl,
  'KONTOR_E2E_URL is not set: start a Kontor server and set it to its base URL, e.g. http://127.0.0.1:3000',
);

let browser: Browser;

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

type Opened = { page: Page; errors: string[] };

/** A fresh context per test (empty localStorage, English browser) with console errors collected. */
async function open(path: string, viewport = { width: 1280, height: 800 }): Promise<Opened> {
  const context = await browser.newContext({ locale: 'en-US', viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(new URL(path, baseUrl).href);
  await page.getByTestId('app-shell').waitFor();
  return { page, errors };
}

async function close({ page }: Opened): Promise<void> {
  await page.context().close();
}

async function htmlLang(page: Page, lang: string): Promise<void> {
  await page.waitForFunction((expected) => document.documentElement.lang === expected, lang);
}

async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

/** Off-canvas (e.g. the collapsed mobile navbar, which is translated out of view) counts as hidden. */
async function isOnScreen(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.x + box.width > 0 && box.y + box.height > 0;
}

async function chooseLanguage(page: Page, name: string): Promise<void> {
  await page.getByTestId('language-switch').click();
  await page.getByRole('option', { name, exact: true }).click();
}

test('the dashboard loads and shows that the server is ready', async () => {
  const opened = await open('/');
  const { page } = opened;
  try {
    assert.match(await page.title(), /Kontor/);
    const status = page.locator('[data-testid="server-status"][data-status="ready"]');
    await status.waitFor();
    assert.match(await textOf(status), /Ready/);
    assert.match(
      await textOf(page.getByTestId('server-status-database')),
      /^(PGlite \(embedded\)|PostgreSQL)$/,
    );
    await htmlLang(page, 'en');
  } finally {
    await close(opened);
  }
});

test('switching the language translates the navigation, sets <html lang> and is remembered', async () => {
  const opened = await open('/');
  const { page } = opened;
  try {
    const contacts = page.getByTestId('nav-contacts');
    assert.equal(await textOf(contacts), 'Contacts');

    await chooseLanguage(page, 'Deutsch');
    await contacts.filter({ hasText: 'Kontakte' }).waitFor();
    await htmlLang(page, 'de');
    assert.equal(await textOf(page.getByTestId('nav-companies')), 'Unternehmen');
    assert.equal(await page.evaluate(() => localStorage.getItem('kontor.lang')), 'de');

    await page.reload();
    await contacts.filter({ hasText: 'Kontakte' }).waitFor();
    await htmlLang(page, 'de');

    await chooseLanguage(page, 'Français');
    await page.getByTestId('nav-companies').filter({ hasText: 'Entreprises' }).waitFor();
    await htmlLang(page, 'fr');
    assert.equal(await textOf(contacts), 'Contacts');
    assert.equal(await textOf(page.getByTestId('nav-dashboard')), 'Tableau de bord');
  } finally {
    await close(opened);
  }
});

test('an unknown address shows the not-found page with a way back', async () => {
  const opened = await open('/does-not-exist');
  const { page } = opened;
  try {
    const notFound = page.getByTestId('not-found');
    await notFound.waitFor();
    assert.match(await textOf(notFound), /Page not found/);
    await notFound.getByRole('link').click();
    await page.getByTestId('server-status').waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
  } finally {
    await close(opened);
  }
});

test('a module that is not built yet says so, and the burger menu works on a phone', async () => {
  const opened = await open('/', { width: 390, height: 844 });
  const { page } = opened;
  try {
    const navContacts = page.getByTestId('nav-contacts');
    assert.equal(await isOnScreen(navContacts), false);
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="nav-contacts"]')?.getBoundingClientRect().left ?? -1) >= 0,
    );
    await navContacts.click();
    const panel = page.locator('[data-testid="module-unavailable"][data-module="contacts"]');
    await panel.waitFor();
    assert.match(await textOf(panel), /Contacts is not available yet/);
    assert.equal(new URL(page.url()).pathname, '/contacts');
  } finally {
    await close(opened);
  }
});

test('the app loads without console errors', async () => {
  const opened = await open('/');
  const { page, errors } = opened;
  try {
    await page.locator('[data-testid="server-status"][data-status="ready"]').waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('module-unavailable').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
