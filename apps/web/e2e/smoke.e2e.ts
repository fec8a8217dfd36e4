import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { close, newPage, type Opened, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

/** A fresh context (empty storage, English browser), signed in as the tenant's admin unless told otherwise. */
async function open(
  path: string,
  { viewport = { width: 1280, height: 800 }, signedIn = true } = {},
): Promise<Opened> {
  const opened = await newPage(browser(), viewport);
  if (signedIn) await signInViaApi(opened.context.request);
  await opened.page.goto(path);
  await opened.page.getByTestId(signedIn ? 'app-shell' : 'login-page').waitFor();
  return opened;
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

test('signed out, the login page shows, and its language switch works and is remembered', async () => {
  const opened = await open('/', { signedIn: false });
  const { page, errors } = opened;
  try {
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.match(await page.title(), /Sign in · Kontor/);
    await htmlLang(page, 'en');

    await chooseLanguage(page, 'Deutsch');
    await page.getByTestId('login-submit').filter({ hasText: 'Anmelden' }).waitFor();
    await htmlLang(page, 'de');
    assert.equal(await page.evaluate(() => localStorage.getItem('kontor.lang')), 'de');

    await chooseLanguage(page, 'Français');
    await page.getByTestId('login-submit').filter({ hasText: 'Se connecter' }).waitFor();
    await htmlLang(page, 'fr');
    // Only the expected 401 of the session check (filtered in support.ts) may have been logged.
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

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
  const opened = await open('/', { viewport: { width: 390, height: 844 } });
  const { page } = opened;
  try {
    const navAffiliates = page.getByTestId('nav-affiliates');
    assert.equal(await isOnScreen(navAffiliates), false);
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="nav-affiliates"]')?.getBoundingClientRect().left ?? -1) >= 0,
    );
    await navAffiliates.click();
    const panel = page.locator('[data-testid="module-unavailable"][data-module="affiliates"]');
    await panel.waitFor();
    assert.match(await textOf(panel), /Affiliates is not available yet/);
    assert.equal(new URL(page.url()).pathname, '/affiliates');
  } finally {
    await close(opened);
  }
});

test('the app loads without console errors', async () => {
  const opened = await open('/');
  const { page, errors } = opened;
  try {
    await page.locator('[data-testid="server-status"][data-status="ready"]').waitFor();
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-page').waitFor();
    await page.getByTestId('nav-companies').click();
    await page.getByTestId('companies-page').waitFor();
    await page.getByTestId('nav-affiliates').click();
    await page.getByTestId('module-unavailable').waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-overview').waitFor();
    await page.getByTestId('nav-roles').click();
    await page.getByTestId('roles').waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-profile').click();
    await page.locator('[data-testid="api-tokens"], [data-testid="api-tokens-empty"]').first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
