import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { baseUrl, close, createUser, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

/** A suffix that keeps this run's records apart from earlier runs against the same server. */
function unique(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Picks an option of a Mantine select (searchable or not) by its visible name. */
async function choose(page: Page, testId: string, option: string, typed?: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  if (typed !== undefined) await input.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).first().click();
}

test('a form built in the builder (preview following every edit) is published, its embed code shown, a visitor sends it on the hosted page, and the submission and its automatic reply show in the forms list and in Settings → Mail → Outbox; deleting takes the form off the list', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  const id = unique();
  const email = `lead.${id}@example.com`;
  try {
    await signInViaApi(page.context().request);

    // 1. The builder: a new form starts with an email field; the preview follows every edit.
    await page.goto('/forms');
    await page.getByTestId('forms-page').waitFor();
    await page.getByTestId('form-new').click();
    await page.getByTestId('form-builder').waitFor();
    const preview = page.getByTestId('form-preview');
    await page.getByTestId('form-name').fill(`Enquiry ${id}`);
    await page.getByTestId('form-title').fill(`Contact us ${id}`);
    await preview.getByTestId('preview-title').getByText(`Contact us ${id}`).waitFor();
    await page.getByTestId('field-label-0').fill('Your email');
    await preview.getByText('Your email').waitFor();

    // A field mapped to the contact's first name: the name and type follow the target.
    await page.getByTestId('form-add-field').click();
    await choose(page, 'field-target-1', 'First name', 'First');
    assert.equal(await page.getByTestId('field-name-1').inputValue(), 'first_name');
    await page.getByTestId('field-label-1').fill('First name');
    await page.getByTestId('field-required-1').check();
    await preview.getByTestId('preview-field-first_name').waitFor();

    // A free-text message kept with the submission only.
    await page.getByTestId('form-add-field').click();
    await page.getByTestId('field-name-2').fill('message');
    await choose(page, 'field-type-2', 'Long text');
    await page.getByTestId('field-label-2').fill('Your message');
    await preview.locator('textarea').waitFor();

    // Reordering moves the preview's fields too.
    await page.getByTestId('field-up-2').click();
    const previewLabels = await preview.locator('label').allTextContents();
    assert.ok(
      previewLabels.findIndex((l) => l.includes('Your message')) <
        previewLabels.findIndex((l) => l.includes('First name')),
      `the message field moved up in the preview: ${previewLabels.join(' | ')}`,
    );
    await page.getByTestId('field-down-1').click();

    // A second language: the texts and the preview switch with it.
    await page.getByTestId('form-language-de').check();
    await page.getByTestId('form-language').getByText('DE').click();
    await page.locator('[data-testid="form-preview"][data-language="de"]').waitFor();
    await page.getByTestId('form-title').fill(`Kontakt ${id}`);
    await preview.getByTestId('preview-title').getByText(`Kontakt ${id}`).waitFor();
    await preview.getByTestId('preview-submit').getByText('Absenden').waitFor();
    await page.getByTestId('form-language').getByText('EN').click();
    await preview.getByTestId('preview-title').getByText(`Contact us ${id}`).waitFor();

    // Coding, success message and the automatic reply.
    const tags = page.getByTestId('form-tags');
    await tags.fill(`web-${id}`);
    await tags.press('Enter');
    await tags.press('Tab');
    await page.getByTestId('form-successMessage').fill(`Thanks, we got it ${id}`);
    await preview.getByTestId('preview-success').getByText(`Thanks, we got it ${id}`).waitFor();
    await page.getByTestId('form-autoReply-enabled').check();
    await page.getByTestId('form-liquid-hint').waitFor();
    await page.getByTestId('form-autoReply-subject').fill(`Your enquiry ${id}`);
    await page
      .getByTestId('form-autoReply-body')
      .fill('Hello {{ contact.firstName }}, thank you for your message.');
    // Every language of the form needs its own reply.
    await page.getByTestId('form-language').getByText('DE').click();
    await page.getByTestId('form-autoReply-subject').fill(`Ihre Anfrage ${id}`);
    await page
      .getByTestId('form-autoReply-body')
      .fill('Hallo {{ contact.firstName }}, danke für Ihre Nachricht.');
    await page.getByTestId('form-language').getByText('EN').click();

    // 2. Published and created: the builder now edits the saved form.
    await page.getByTestId('form-status-input').getByText('Published').click();
    await page.getByTestId('form-save').click();
    await page.waitForURL(/\/forms\/[0-9a-f-]{36}$/);
    const formId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.locator('[data-testid="form-status"][data-status="published"]').waitFor();

    // 3. The embed dialog: script, plain HTML, hosted link and WordPress snippet, each to copy.
    await page.getByTestId('form-embed').click();
    const dialog = page.getByTestId('embed-dialog');
    await dialog.waitFor();
    for (const kind of ['hosted', 'script', 'html', 'wordpress']) {
      const value = (await dialog.getByTestId(`embed-${kind}-value`).textContent()) ?? '';
      assert.ok(value.includes(formId), `the ${kind} snippet names the form: ${value}`);
    }
    const hostedUrl = (await dialog.getByTestId('embed-hosted-value').textContent()) ?? '';
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // An edit of the saved form makes its next version.
    await page.getByTestId('form-title').fill(`Contact us today ${id}`);
    await page.getByTestId('form-save').click();
    await page.getByTestId('form-saved').getByText('version 2').waitFor();
    await page.getByTestId('form-version').getByText('Version 2').waitFor();

    // 4. A visitor (no session) sends the hosted page; its script solves the proof of work.
    const visitor = await browser().newContext({ locale: 'en-US', baseURL: baseUrl });
    try {
      const visit = await visitor.newPage();
      const path = new URL(hostedUrl, baseUrl).pathname;
      await visit.goto(`${path}?lang=en`);
      await visit.getByRole('heading', { name: `Contact us today ${id}` }).waitFor();
      await visit.locator('#kf-email').fill(email);
      await visit.locator('#kf-first_name').fill('Lea');
      await visit.locator('#kf-message').fill('Please call me back.');
      await visit.waitForTimeout(3_500); // a person takes a few seconds (the minimum fill time)
      await visit.locator('button[type="submit"]').click();
      await visit.getByText(`Thanks, we got it ${id}`).waitFor({ timeout: 20_000 });
    } finally {
      await visitor.close();
    }

    // 5. The submission in the form's list, with its contact and the automatic reply (the answer
    // comes when it is stored; the worker processes it right after: wait for that, 15 s at most).
    const deadline = Date.now() + 15_000;
    for (;;) {
      const listed = await page.request.get(`/api/v1/forms/${formId}/submissions`);
      assert.ok(listed.ok(), `submissions: ${listed.status()}`);
      const items = ((await listed.json()) as { items: { status: string }[] }).items;
      if (items[0]?.status === 'processed') break;
      assert.ok(Date.now() < deadline, 'the submission is processed within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await page.goto(`/forms/${formId}/submissions`);
    const row = page.getByTestId('submission-row').first();
    await row.waitFor();
    assert.match(
      (await row.getByTestId('submission-values').textContent()) ?? '',
      new RegExp(email.replace('.', '\\.')),
    );
    await row.getByTestId('submission-contact').waitFor();
    await row.getByTestId('submission-auto-reply').waitFor();
    await page.goto('/forms');
    const listed = page.locator(`[data-testid="form-row"][data-form-id="${formId}"]`);
    await listed.getByTestId('form-submission-count').getByText('1', { exact: true }).waitFor();

    // 6. Settings → Mail → Outbox: the automatic reply as delivered, auto-generated per RFC 3834.
    await page.goto('/settings/mail/outbox');
    await page.getByTestId('mail-outbox').waitFor();
    const delivered = page.locator('[data-testid="outbox-item"]', { hasText: email });
    for (let attempt = 0; attempt < 30 && (await delivered.count()) === 0; attempt++) {
      await page.waitForTimeout(1_000);
      await page.getByTestId('outbox-refresh').click();
    }
    await delivered.first().waitFor();
    await delivered.first().getByTestId('outbox-open').click();
    const message = page.getByTestId('outbox-message');
    await message.waitFor();
    await message.getByTestId('outbox-tab-text').click();
    assert.match((await message.getByTestId('outbox-text').textContent()) ?? '', /Hello Lea, thank you/);
    await message.getByTestId('outbox-tab-headers').click();
    const autoSubmitted = message.locator('[data-testid="outbox-header"][data-name="auto-submitted"]');
    assert.match((await autoSubmitted.textContent()) ?? '', /auto-generated/);
    await page.keyboard.press('Escape');

    // 7. Deleting the form (after saying what goes with it) takes it off the list.
    await page.goto(`/forms/${formId}`);
    await page.getByTestId('form-delete').click();
    await page.getByTestId('form-delete-confirm').getByTestId('confirm-delete').click();
    await page.waitForURL(/\/forms$/);
    await page.getByTestId('forms-page').waitFor();
    await listed.waitFor({ state: 'detached' });

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('the builder shows what the server refuses at the field it names, names texts missing in another language with that language, and keeps the form unsaved', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await signInViaApi(page.context().request);
    await page.goto('/forms/new');
    await page.getByTestId('form-builder').waitFor();
    await page.getByTestId('form-name').fill(`Refused ${unique()}`);
    // A redirect address that looks like https to the client but is no URL to the server.
    await page.getByTestId('form-redirectUrl').fill('https://exa mple.com/thanks');
    await page.getByTestId('form-save').click();
    await page.getByTestId('form-server-invalid').waitFor();
    const redirect = page.getByTestId('form-redirectUrl');
    assert.equal(await redirect.getAttribute('aria-invalid'), 'true');
    assert.match(page.url(), /\/forms\/new$/);

    // An automatic reply written in English only, for a form in English and German.
    await page.getByTestId('form-redirectUrl').fill('');
    await page.getByTestId('form-language-de').check();
    await page.getByTestId('form-autoReply-enabled').check();
    await page.getByTestId('form-autoReply-subject').fill('Thanks');
    await page.getByTestId('form-autoReply-body').fill('Thank you.');
    await page.getByTestId('form-save').click();
    const elsewhere = page.getByTestId('form-invalid').getByTestId('form-errors-elsewhere');
    await elsewhere.getByText('Subject (DE)').waitFor();
    await elsewhere.getByText('Text (DE)').waitFor();
    await page.getByTestId('form-language').getByText('DE !').click();
    assert.equal(await page.getByTestId('form-autoReply-subject').getAttribute('aria-invalid'), 'true');
    assert.match(page.url(), /\/forms\/new$/);
    assert.deepEqual(
      errors.filter((e) => !e.includes('status of 400')),
      [],
    );
  } finally {
    await close(opened);
  }
});

test('a user who may only read forms sees the list, but neither "New form" nor the new-form builder', async () => {
  const user = await createUser(browser(), { roles: ['sales'] });
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await signInViaApi(page.context().request, user);
    await page.goto('/forms');
    await page.getByTestId('forms-page').waitFor();
    assert.equal(await page.getByTestId('form-new').count(), 0);
    await page.goto('/forms/new');
    await page.getByTestId('forbidden').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
