// Issue 6: the consent pages staff work with — questions and their versions, newsletters and their
// subscriptions, the form builder's consent part, the selection leaves, the log and the report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIRequestContext } from 'playwright-core';
import { close, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

function unique(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

type Api = { request: APIRequestContext; csrfToken: string };

async function call<T>(api: Api, method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown): Promise<T> {
  const headers = { 'x-csrf-token': api.csrfToken };
  const response =
    method === 'GET'
      ? await api.request.get(path)
      : method === 'PUT'
        ? await api.request.put(path, { data, headers })
        : await api.request.post(path, { data, headers });
  assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

test('a consent question gets a new version when its wording changes, and the old one stays', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const api: Api = { request: page.context().request, ...(await signInViaApi(page.context().request)) };
    const id = unique();
    await page.goto('/settings/consent-questions');
    await page.getByTestId('consent-questions-page').waitFor();
    await page.getByTestId('consent-question-new').click();
    const editor = page.getByTestId('consent-question-editor');
    await editor.waitFor();
    await page.getByTestId('consent-question-language').getByText('EN').click();
    await page.getByTestId('consent-question-label').fill(`Phone calls ${id}`);
    assert.equal(await page.getByTestId('consent-question-key').inputValue(), `phone-calls-${id}`);
    const labels = page.getByTestId('consent-option-label');
    await labels.nth(0).fill('Yes, call me');
    await labels.nth(1).fill('No calls');
    await page.getByTestId('consent-question-preview').getByText('Yes, call me').waitFor();
    await page.getByTestId('consent-question-save').click();
    await page.waitForURL(/\/settings\/consent-questions\/[0-9a-f-]{36}$/);
    const questionId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByTestId('consent-question-version').getByText('Version 1').waitFor();

    // Someone answers it (a contact, through staff): the wording they saw is version 1.
    const contact = await call<{ id: string }>(api, 'POST', '/api/v1/contacts', {
      lastName: `Version ${id}`,
      email: `version-${id}@example.com`,
    });
    await call(api, 'PUT', `/api/v1/contacts/${contact.id}/consents`, {
      answers: [{ questionId, optionKey: 'yes' }],
    });
    await page.reload();
    await page.getByTestId('consent-question-meta-locked').waitFor();

    // New wording: the editor says a version 2 is made; earlier answers keep version 1.
    await page.getByTestId('consent-question-language').getByText('EN').click();
    await page.getByTestId('consent-question-label').fill(`Phone calls about offers ${id}`);
    await page.getByTestId('consent-question-new-version').waitFor();
    await page.getByTestId('consent-question-save').getByText('Save as version 2').click();
    await page.getByTestId('consent-question-saved').getByText('version 2').waitFor();
    const versions = page.getByTestId('consent-version');
    await page.locator('[data-testid="consent-version"][data-version="2"]').waitFor();
    assert.equal(await versions.count(), 2);
    await page
      .locator('[data-testid="consent-version"][data-version="1"]')
      .getByTestId('consent-version-toggle')
      .click();
    await page.getByTestId('consent-version-wording').getByText(`Phone calls ${id}`).waitFor();

    await page.goto(`/contacts/${contact.id}/gdpr`);
    const row = page.locator(`[data-testid="gdpr-consent"][data-question-id="${questionId}"]`);
    await row.getByText(`Phone calls ${id}`, { exact: true }).waitFor();
    await row.getByTestId('gdpr-older-version').getByText('version 1 (current: 2)').waitFor();

    // The log lists the answer with its version; the report draws it.
    await page.goto('/privacy/consent-log');
    await page.getByTestId('consent-log-page').waitFor();
    const entry = page
      .getByTestId('consent-log-entry')
      .filter({ hasText: `Version ${id}` })
      .first();
    await entry.waitFor();
    assert.match((await entry.textContent()) ?? '', /Version 1/);
    await page.goto('/privacy/consent-report');
    await page.getByTestId('consent-report-open').waitFor();
    await page
      .locator(`[data-testid="consent-report-question"][data-question-id="${questionId}"]`)
      .getByTestId('consent-report-chart')
      .waitFor();

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('a newsletter is created, offered by a form and a selection, and staff add and remove a subscriber', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const api: Api = { request: page.context().request, ...(await signInViaApi(page.context().request)) };
    const id = unique();
    const contact = await call<{ id: string }>(api, 'POST', '/api/v1/contacts', {
      firstName: 'Nora',
      lastName: `Letter${id}`,
      email: `letter-${id}@example.com`,
    });

    await page.goto('/newsletters');
    await page.getByTestId('newsletters-page').waitFor();
    await page.getByTestId('newsletter-new').click();
    await page.getByTestId('newsletter-name').fill(`News ${id}`);
    assert.equal(await page.getByTestId('newsletter-list-id').inputValue(), `news-${id}`);
    await page.getByTestId('newsletter-title').fill(`Our news ${id}`);
    await page.getByTestId('newsletter-opt-out-text').fill('You will get no more news from us.');
    await page.getByTestId('newsletter-welcome-subject').fill('Welcome');
    await page.getByTestId('newsletter-welcome-body').fill('Hello {{ contact.firstName }}');
    await page.getByTestId('newsletter-save').click();
    await page.waitForURL(/\/newsletters\/[0-9a-f-]{36}$/);
    const newsletterId = new URL(page.url()).pathname.split('/').pop() ?? '';

    // Staff add a contact: double opt-in starts (pending); then they unsubscribe them.
    await page.getByTestId('newsletter-subscriptions-link').click();
    await page.getByTestId('subscriptions-page').waitFor();
    await page.getByTestId('subscription-add').click();
    const dialog = page.getByTestId('subscription-add-dialog');
    await dialog.getByTestId('subscription-contact').fill(`Letter${id}`);
    await page.getByRole('option', { name: new RegExp(`Letter${id}`) }).click();
    await dialog.getByTestId('subscription-add-confirm').click();
    await page.getByTestId('subscription-added').waitFor();
    const row = page.locator('[data-testid="subscription-row"][data-status="pending"]');
    await row.waitFor();
    await row.getByTestId('subscription-unsubscribe').click();
    await page.getByTestId('subscription-unsubscribe-confirm').getByTestId('confirm-delete').click();
    await page.locator('[data-testid="subscription-row"][data-status="unsubscribed"]').waitFor();
    await page.getByTestId('subscription-status-filter').getByText('Awaiting confirmation').click();
    await page.getByTestId('subscriptions-empty').waitFor();

    // The contact's GDPR tab shows the subscription and its times.
    await page.goto(`/contacts/${contact.id}/gdpr`);
    await page.locator('[data-testid="gdpr-subscription"][data-status="unsubscribed"]').waitFor();

    // The form builder offers the newsletter; the preview shows it, not ticked.
    await page.goto('/forms/new');
    await page.getByTestId('form-builder').waitFor();
    await page.getByTestId(`form-newsletter-${newsletterId}`).check();
    const offered = page.locator(`[data-testid="preview-newsletter"][data-newsletter-id="${newsletterId}"]`);
    await offered.waitFor();
    assert.equal(await offered.isChecked(), false);

    // A marketing selection of the newsletter's subscribers (the contact left: none).
    await page.goto('/contacts/selections/new');
    await page.getByTestId('selection-editor').waitFor();
    await page.getByTestId('selection-purpose-input').getByText('Marketing').click();
    await page
      .getByTestId('selection-purpose-hint')
      .getByText(/prohibition/)
      .waitFor();
    await page.getByTestId('filter-add-newsletter').click();
    await page.getByTestId('filter-newsletter').click();
    await page.getByRole('option', { name: `Our news ${id}` }).click();
    await page.locator('[data-testid="selection-count"][data-count="0"][data-stale="false"]').waitFor();
    await page.getByTestId('filter-newsletter-status').click();
    await page.getByRole('option', { name: 'has unsubscribed' }).click();
    await page.locator('[data-testid="selection-count"][data-count="1"][data-stale="false"]').waitFor();

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
