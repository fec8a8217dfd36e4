import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { close, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

/** A suffix that keeps this run's records apart from earlier runs against the same server. */
function unique(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Picks an option of a searchable Mantine select by typing. */
async function choose(page: Page, testId: string, typed: string, option: string | RegExp): Promise<void> {
  const input = page.getByTestId(testId).last();
  await input.click();
  await input.fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

test('a custom field made in settings appears in the contact form, a selection by tag AND that field counts live, and an import with one broken row reports 1 failed with its error report', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  const id = unique();
  const key = `membership_${id}`;
  const label = `Membership ${id}`;
  const tag = `club-${id}`;
  try {
    await signInViaApi(page.context().request);

    // 1. Settings → Custom fields: a text field of contacts.
    await page.goto('/settings/custom-fields');
    await page.getByTestId('custom-fields-page').waitFor();
    await page.getByTestId('custom-field-new').click();
    const form = page.getByTestId('custom-field-form');
    await form.waitFor();
    await form.getByTestId('input-cf-key').fill(key);
    await form.getByTestId('input-cf-label').fill(label);
    await form.getByTestId('input-cf-label-de').fill(`Mitgliedschaft ${id}`);
    await form.getByTestId('custom-field-save').click();
    await form.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="custom-field-row"][data-key="${key}"]`).waitFor();

    // 2. It appears in the contact form; a contact is saved with it and the tag.
    await page.goto('/contacts/new');
    await page.getByTestId('contact-form').waitFor();
    const customInput = page.getByTestId(`input-cf-${key}`);
    await customInput.waitFor();
    await page.getByTestId('input-firstName').fill(`Gold${id}`);
    await page.getByTestId('input-lastName').fill('Member');
    await page.getByTestId('input-email').fill(`gold.${id}@example.com`);
    await customInput.fill('gold');
    const tags = page.getByTestId('input-tags');
    await tags.fill(tag);
    await tags.press('Enter');
    await tags.press('Tab');
    await page.getByTestId('contact-save').click();
    await page.getByTestId('contact-overview').waitFor();
    const shown = page.getByTestId(`custom-field-${key}`);
    await shown.waitFor();
    assert.match((await shown.textContent()) ?? '', new RegExp(`${label}.*gold`));

    // 3. A selection "tag AND custom field = gold", with its live count.
    await page.goto('/contacts/selections/new');
    await page.getByTestId('selection-editor').waitFor();
    await page.getByTestId('filter-add-tag').click();
    const tagInput = page.getByTestId('filter-tags');
    await tagInput.fill(tag);
    await tagInput.press('Enter');
    await tagInput.press('Tab');
    await page.getByTestId('filter-add-field').click();
    await choose(page, 'filter-field', label, label);
    await page.getByTestId('filter-value').last().fill('gold');
    const count = page.locator('[data-testid="selection-count"][data-count="1"][data-stale="false"]');
    await count.waitFor();
    // A value nobody has: the count follows.
    await page.getByTestId('filter-value').last().fill('silver');
    await page.locator('[data-testid="selection-count"][data-count="0"][data-stale="false"]').waitFor();
    await page.getByTestId('filter-value').last().fill('gold');
    await count.waitFor();
    await page.getByTestId('selection-name').fill(`Gold members ${id}`);
    await page.getByTestId('selection-save').click();
    await page.waitForURL(/\/contacts\/selections\/[0-9a-f-]{36}$/);

    // 4. The import wizard: two rows, one with a broken email address.
    await page.goto('/contacts/import');
    await page.getByTestId('imports-page').waitFor();
    const csv = [
      'First name;Last name;Email',
      `Anna${id};Import;anna.${id}@example.com`,
      `Bert${id};Import;not-an-email`,
    ].join('\r\n');
    await page.locator('input[type="file"]').setInputFiles({
      name: `contacts-${id}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByTestId('import-mapping').waitFor();
    assert.equal(await page.getByTestId('import-preview').locator('tbody tr').count(), 2);
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    assert.equal(
      await page.getByTestId('import-count-created').locator('[data-value]').getAttribute('data-value'),
      '1',
    );
    assert.equal(
      await page.getByTestId('import-count-failed').locator('[data-value]').getAttribute('data-value'),
      '1',
    );
    const report = page.getByTestId('import-error-report');
    await report.waitFor();
    const href = await report.getAttribute('href');
    assert.match(href ?? '', /\/api\/v1\/imports\/[0-9a-f-]{36}\/errors\.csv$/);
    const reportFile = await page.context().request.get(href ?? '');
    assert.equal(reportFile.status(), 200);
    assert.match(await reportFile.text(), /not-an-email/);

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
