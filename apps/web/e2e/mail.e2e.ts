import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { close, createUser, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

test('Settings → Mail shows the transport and the message states, filters messages by state, and stores a DKIM key write-only (the "key stored" badge, never the key)', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    await signInViaApi(page.context().request);

    // Settings overview → Mail: the status card (the e2e server has no SMTP_URL: the built-in catcher).
    await page.goto('/settings');
    await page.getByTestId('settings-card-mail').click();
    await page.waitForURL(/\/settings\/mail\/messages$/);
    await page
      .locator('[data-testid="mail-status"][data-transport="catcher"][data-paused="false"]')
      .waitFor();
    for (const state of ['queued', 'sending', 'sent', 'deferred', 'failed', 'held']) {
      await page.getByTestId(`mail-count-${state}`).waitFor();
    }

    // The messages, filtered by state: every row listed has that state.
    await page.getByTestId('mail-messages').waitFor();
    await page.getByTestId('mail-status-filter').click();
    await page.getByRole('option', { name: 'Sent', exact: true }).click();
    await page
      .locator('[data-testid="mail-messages-table"], [data-testid="mail-messages-empty"]')
      .first()
      .waitFor();
    const states = await page
      .getByTestId('mail-message')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
    assert.ok(
      states.every((state) => state === 'sent'),
      `only sent messages: ${states.join(', ')}`,
    );

    // The outbox tab lists what the catcher holds (or says it is empty).
    await page.getByTestId('mail-tab-outbox').click();
    await page.waitForURL(/\/settings\/mail\/outbox$/);
    await page.locator('[data-testid="outbox-table"], [data-testid="outbox-empty"]').first().waitFor();

    // Sender and DKIM: the key is sent once and never shown again.
    await page.getByTestId('mail-tab-sender').click();
    await page.getByTestId('mail-sender-form').waitFor();
    await page.getByTestId('mail-fromName').fill('E2E GmbH');
    await page.getByTestId('mail-fromAddress').fill('hello@e2e-kontor.example.com');
    await page.getByTestId('mail-dkim-domain').fill('e2e-kontor.example.com');
    await page.getByTestId('mail-dkim-selector').fill('kontor');
    await page.getByTestId('mail-dkim-privateKey').fill(pem);
    await page.getByTestId('mail-sender-save').click();
    await page.getByTestId('mail-sender-saved').waitFor();
    await page.locator('[data-testid="mail-dkim-configured"][data-configured="true"]').waitFor();
    assert.equal(await page.getByTestId('mail-dkim-privateKey').inputValue(), '');

    await page.reload();
    await page.locator('[data-testid="mail-dkim-configured"][data-configured="true"]').waitFor();
    assert.equal(await page.getByTestId('mail-fromName').inputValue(), 'E2E GmbH');
    assert.equal(await page.getByTestId('mail-dkim-privateKey').inputValue(), '');
    assert.ok(!(await page.content()).includes('PRIVATE KEY-----\n'), 'the key is not in the page');

    // A wrong key is refused at its field; removing the key turns signing off.
    await page.getByTestId('mail-dkim-privateKey').fill('not a key');
    await page.getByTestId('mail-sender-save').click();
    await page.locator('[data-testid="mail-dkim-privateKey"][aria-invalid="true"]').waitFor();
    await page.getByTestId('mail-dkim-privateKey').fill('');
    await page.getByTestId('mail-dkim-removeKey').check();
    await page.getByTestId('mail-sender-save').click();
    await page.locator('[data-testid="mail-dkim-configured"][data-configured="false"]').waitFor();
    assert.equal(await page.getByTestId('mail-dkim-domain').inputValue(), '');

    assert.deepEqual(
      errors.filter((e) => !e.includes('status of 400')),
      [],
    );
  } finally {
    await close(opened);
  }
});

test('without the right to read settings, Settings → Mail says which right is missing', async () => {
  const user = await createUser(browser(), { roles: ['marketing'] });
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await signInViaApi(page.context().request, user);
    await page.goto('/settings/mail/outbox');
    await page.locator('[data-testid="forbidden"][data-right="settings:read"]').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
