import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIRequestContext, Page } from 'playwright-core';
import { close, createUser, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

/** A suffix that keeps this run's records apart from earlier runs against the same server. */
function unique(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Chromium logs every non-2xx answer; a test names the ones it provokes on purpose. */
function unexpected(errors: string[], expected: RegExp[]): string[] {
  return errors.filter((error) => !expected.some((pattern) => pattern.test(error)));
}

type Api = { request: APIRequestContext; csrfToken: string };

async function post<T>(api: Api, path: string, data: unknown): Promise<T> {
  const response = await api.request.post(path, { data, headers: { 'x-csrf-token': api.csrfToken } });
  assert.ok(response.ok(), `POST ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Picks an option of a Mantine select (or the server-searched company select) by typing. */
async function choose(page: Page, testId: string, typed: string, option: string | RegExp): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

test('a new contact: the server refuses an invalid IBAN on the field, fixed it saves, search finds Müller by "mueller", and a note goes on the timeline', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  const id = unique();
  const companyName = `Müller Maschinenbau ${id}`;
  const firstName = `Jörg${id}`;
  try {
    await signInViaApi(page.context().request);

    // A company, through its form.
    await page.goto('/companies/new');
    await page.getByTestId('company-form').waitFor();
    await page.getByTestId('input-name').fill(companyName);
    await page.getByTestId('input-city').fill('Zürich');
    await choose(page, 'input-country', 'Switz', 'Switzerland');
    await page.getByTestId('company-save').click();
    await page.getByTestId('company-overview').waitFor();
    assert.equal(await page.getByTestId('company-name').textContent(), companyName);

    // A person of that company with an IBAN whose check digits are wrong: only the server knows.
    await page.goto('/contacts/new');
    await page.getByTestId('contact-form').waitFor();
    await page.getByTestId('input-firstName').fill(firstName);
    await page.getByTestId('input-lastName').fill('Müller');
    await choose(page, 'input-company', companyName, companyName);
    await page.getByTestId('input-email').fill(`joerg.${id}@example.com`);
    await page.getByTestId('input-phone').fill('044 668 18 00');
    await choose(page, 'input-country', 'Switz', 'Switzerland');
    await page.getByTestId('input-iban').fill('DE89 3704 0044 0532 0130 01');
    await page.getByTestId('contact-save').click();

    const ibanError = page.getByTestId('input-error-iban');
    await ibanError.waitFor();
    assert.match((await ibanError.textContent()) ?? '', /IBAN is not valid/);
    assert.equal(await page.getByTestId('input-iban').getAttribute('aria-invalid'), 'true');
    await page.getByTestId('form-invalid').waitFor();
    assert.equal(new URL(page.url()).pathname, '/contacts/new', 'nothing was saved');
    assert.equal(await page.getByTestId('input-error-email').count(), 0, 'only the bad field is marked');

    // Fixed, the message goes as soon as the field changes, and the contact is saved.
    await page.getByTestId('input-iban').fill('DE89 3704 0044 0532 0130 00');
    assert.equal(await ibanError.count(), 0);
    await page.getByTestId('contact-save').click();
    await page.getByTestId('contact-overview').waitFor();
    const contactPath = new URL(page.url()).pathname;
    assert.match(contactPath, /^\/contacts\/[0-9a-f-]{36}$/);

    // The overview: every group, the stored (normalised) values, the company link.
    assert.equal(await page.getByTestId('contact-name').textContent(), `${firstName} Müller`);
    for (const group of ['identity', 'contact_details', 'address', 'billing', 'birthday', 'notes']) {
      assert.equal(await page.getByTestId(`contact-group-${group}`).count(), 1, `group ${group}`);
    }
    assert.match((await page.getByTestId('field-iban').textContent()) ?? '', /DE89 3704 0044 0532 0130 00/);
    assert.match((await page.getByTestId('field-phone').textContent()) ?? '', /\+41446681800/);
    assert.match((await page.getByTestId('field-country').textContent()) ?? '', /Switzerland \(CH\)/);
    assert.equal(await page.getByTestId('field-company').getByRole('link').textContent(), companyName);

    // The timeline takes a note.
    await page.getByTestId('contact-tab-timeline').click();
    await page.getByTestId('activity-form').waitFor();
    await page.getByTestId('activity-body').fill(`Asked for an offer (${id}).`);
    await page.getByTestId('activity-submit').click();
    const entry = page.getByTestId('timeline-entry').filter({ hasText: `Asked for an offer (${id}).` });
    await entry.waitFor();
    assert.equal(await entry.getAttribute('data-kind'), 'note');
    assert.equal(new URL(page.url()).pathname, `${contactPath}/timeline`);

    // The list's search folds umlauts: "mueller" finds Müller.
    await page.goto('/contacts');
    await page.getByTestId('contacts-table').waitFor();
    await page.getByTestId('contact-search').fill('mueller');
    await page.waitForURL((url) => url.searchParams.get('q') === 'mueller');
    await page.getByTestId('contacts-count').filter({ hasText: /match/ }).waitFor();
    const row = page.getByTestId('contact-row').filter({ hasText: firstName });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(companyName));
    await row.click();
    await page.getByTestId('contact-overview').waitFor();
    assert.equal(new URL(page.url()).pathname, contactPath);

    // Only the refused create answered with an error.
    assert.deepEqual(unexpected(errors, [/status of 400 .*\/api\/v1\/contacts\)$/]), []);
  } finally {
    await close(opened);
  }
});

test('"who looked at this person" lists the reads of the contact, for users with the right', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const { csrfToken } = await signInViaApi(page.context().request);
    const api = { request: page.context().request, csrfToken };
    const contact = await post<{ id: string }>(api, '/api/v1/contacts', {
      lastName: `Looked-at ${unique()}`,
    });

    await page.goto(`/contacts/${contact.id}/access-log`);
    const entries = page.getByTestId('record-access-entry');
    await entries.first().waitFor();
    // Opening the page read the contact: that read is the newest entry, by the admin.
    assert.equal(await entries.first().getAttribute('data-kind'), 'read');
    assert.match((await entries.first().textContent()) ?? '', /You \(/);
    assert.match((await entries.first().textContent()) ?? '', /GET \/api\/v1\/contacts\/\{id\}/);
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('a Sales user sees the IBAN masked and read-only, and saving sends only the changed field', async () => {
  const sales = await createUser(browser(), { roles: ['sales'] });
  const admin = await newPage(browser());
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const { csrfToken } = await signInViaApi(admin.context.request);
    const contact = await post<{ id: string }>(
      { request: admin.context.request, csrfToken },
      '/api/v1/contacts',
      {
        firstName: 'Vreni',
        lastName: `Masked ${unique()}`,
        city: 'Bern',
        iban: 'CH93 0076 2011 6238 5295 7',
      },
    );

    await signInViaApi(page.context().request, sales);
    await page.goto(`/contacts/${contact.id}`);
    await page.getByTestId('contact-overview').waitFor();
    const iban = page.getByTestId('field-iban');
    assert.match((await iban.textContent()) ?? '', /CH93 \*\*\*\* \*\*\*\* 2957/);
    assert.equal(await iban.locator('[data-access="masked"]').count(), 1, 'marked as masked');
    assert.equal(
      await page.getByTestId('contact-tab-access-log').count(),
      0,
      'no access log without privacy:read',
    );
    assert.equal(await page.getByTestId('contact-delete').count(), 0, 'Sales may not delete');

    await page.getByTestId('contact-edit').click();
    await page.getByTestId('contact-form').waitFor();
    assert.equal(await page.getByTestId('input-iban').isDisabled(), true, 'a masked value is not editable');
    assert.equal(await page.getByTestId('contact-save').isDisabled(), true, 'nothing changed yet');

    await page.getByTestId('input-city').fill('Basel');
    const patch = page.waitForRequest((request) => request.method() === 'PATCH');
    await page.getByTestId('contact-save').click();
    assert.deepEqual((await patch).postDataJSON(), { city: 'Basel' });
    await page.getByTestId('contact-overview').waitFor();
    assert.match((await page.getByTestId('field-city').textContent()) ?? '', /Basel/);

    // The IBAN is still the real one: the mask was never sent back.
    const stored = await admin.context.request.get(`/api/v1/contacts/${contact.id}`);
    assert.equal(((await stored.json()) as { iban: string }).iban, 'CH9300762011623852957');
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
    await close(admin);
  }
});

test('the list renders only the rows in view and loads the next page as it scrolls', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  const group = `scroll-${unique()}`;
  try {
    const { csrfToken } = await signInViaApi(page.context().request);
    const api = { request: page.context().request, csrfToken };
    const total = 130; // more than one page of 100
    for (let start = 0; start < total; start += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, total - start) }, (_, i) =>
          post(api, '/api/v1/contacts', { firstName: 'Row', lastName: `${start + i}`, tags: [group] }),
        ),
      );
    }

    await page.goto(`/contacts?tag=${encodeURIComponent(group)}`);
    const table = page.getByTestId('contacts-table');
    await page.locator('[data-testid="contacts-table"][data-rows="100"]').waitFor();
    const rendered = await page.getByTestId('contact-row').count();
    assert.ok(rendered > 0 && rendered < 60, `only the rows in view are in the page (${rendered} of 100)`);
    assert.match((await page.getByTestId('contacts-count').textContent()) ?? '', /100 contacts loaded/);

    await table.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.locator(`[data-testid="contacts-table"][data-rows="${total}"]`).waitFor();
    await page
      .getByTestId('contacts-count')
      .filter({ hasText: `${total} contacts` })
      .waitFor();
    await table.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.getByTestId('contact-row').filter({ hasText: 'Row 0' }).waitFor();
    assert.ok((await page.getByTestId('contact-row').count()) < 60, 'still only the rows in view');
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('bulk tagging changes the selected contacts and names the one that failed', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  const id = unique();
  const group = `bulk-${id}`;
  try {
    const { csrfToken } = await signInViaApi(page.context().request);
    const api = { request: page.context().request, csrfToken };
    const names = ['Anna', 'Bruno', 'Chiara'].map((first) => `${first} Bulk${id}`);
    const created = [];
    for (const name of names) {
      const [firstName, lastName] = name.split(' ');
      created.push(
        await post<{ id: string }>(api, '/api/v1/contacts', { firstName, lastName, tags: [group] }),
      );
    }

    await page.goto(`/contacts?tag=${encodeURIComponent(group)}`);
    await page.getByTestId('contact-row').nth(2).waitFor();
    assert.equal(await page.getByTestId('contact-row').count(), 3);
    await page.getByTestId('select-all').click();
    await page.getByTestId('bulk-bar').waitFor();

    // One of them is deleted meanwhile (elsewhere): the others are changed all the same.
    const gone = created[1];
    assert.ok(gone);
    const deleted = await api.request.delete(`/api/v1/contacts/${gone.id}`, {
      headers: { 'x-csrf-token': csrfToken },
    });
    assert.equal(deleted.status(), 204);

    await page.getByTestId('bulk-tags-open').click();
    const add = page.getByTestId('bulk-tags-add');
    await add.fill(`vip-${id}`);
    await add.press('Enter');
    // Close the suggestions, which may cover the buttons.
    await page.getByRole('dialog').getByRole('heading').click();
    await page.getByTestId('bulk-tags-submit').click();
    await page.getByTestId('bulk-tags-result').waitFor();
    assert.match((await page.getByTestId('bulk-tags-changed').textContent()) ?? '', /2 contacts/);
    const failure = page.getByTestId('bulk-tags-failure');
    assert.equal(await failure.count(), 1);
    assert.equal(await failure.getAttribute('data-id'), gone.id);
    assert.match((await failure.textContent()) ?? '', /Bruno Bulk.*no longer exists/);

    const tagged = await api.request.get(`/api/v1/contacts?tag=vip-${id}`);
    assert.equal(((await tagged.json()) as { items: unknown[] }).items.length, 2);
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('deleting a company says how many persons go with it, and they do', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const { csrfToken } = await signInViaApi(page.context().request);
    const api = { request: page.context().request, csrfToken };
    const company = await post<{ id: string }>(api, '/api/v1/companies', { name: `Cascade AG ${unique()}` });
    const persons = [];
    for (const lastName of ['Eins', 'Zwei']) {
      persons.push(await post<{ id: string }>(api, '/api/v1/contacts', { lastName, companyId: company.id }));
    }

    await page.goto(`/companies/${company.id}/persons`);
    await page.getByTestId('company-person-row').nth(1).waitFor();
    await page.getByTestId('company-delete').click();
    const dialog = page.getByTestId('company-delete-dialog');
    await dialog.waitFor();
    assert.match(
      (await dialog.getByTestId('company-delete-text').textContent()) ?? '',
      /the 2 persons who belong/,
    );
    await dialog.getByTestId('confirm-delete').click();
    await page.getByTestId('companies-page').waitFor();
    assert.equal(new URL(page.url()).pathname, '/companies');

    for (const person of persons) {
      assert.equal((await api.request.get(`/api/v1/contacts/${person.id}`)).status(), 404);
    }
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('a document is uploaded to a contact, downloaded and deleted', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const { csrfToken } = await signInViaApi(page.context().request);
    const api = { request: page.context().request, csrfToken };
    const contact = await post<{ id: string }>(api, '/api/v1/contacts', { lastName: `Files ${unique()}` });

    await page.goto(`/contacts/${contact.id}/documents`);
    await page.getByTestId('documents-empty').waitFor();
    await page.locator('input[type="file"]').setInputFiles({
      name: 'Gesprächsnotiz.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Offer requested on the phone.\n'),
    });
    const row = page.getByTestId('document-row').filter({ hasText: 'Gesprächsnotiz.txt' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /text\/plain/);

    const href = await row.getByRole('link', { name: 'Gesprächsnotiz.txt' }).getAttribute('href');
    assert.ok(href);
    const download = await api.request.get(href);
    assert.equal(download.status(), 200);
    assert.equal(await download.text(), 'Offer requested on the phone.\n');

    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('document-delete-dialog').getByTestId('confirm-delete').click();
    await page.getByTestId('documents-empty').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
