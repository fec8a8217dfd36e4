import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { close, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

/** A receiver on 127.0.0.1 (the e2e server is not in production: private targets are allowed). */
async function receiver() {
  const requests: { headers: Record<string, string>; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kontor-hooks`, requests };
}

test('Settings → Webhooks: add an endpoint, copy its secret once, press test, and see the delivery succeed', async () => {
  const hook = await receiver();
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await signInViaApi(page.context().request);

    await page.goto('/settings');
    await page.getByTestId('settings-card-webhooks').click();
    await page.waitForURL(/\/settings\/webhooks$/);
    await page.getByTestId('webhooks-page').waitFor();

    // Add an endpoint for form submissions and new contacts.
    await page.getByTestId('webhook-new').click();
    const form = page.getByTestId('webhook-form');
    await form.waitFor();
    await page.getByTestId('webhook-url').fill(hook.url);
    await page.getByTestId('webhook-description').fill('E2E receiver');
    await page.getByTestId('webhook-event-contact.created').check();
    await page.getByTestId('webhook-save').click();

    // The secret, shown once.
    const secretText = await page.getByTestId('webhook-secret').textContent();
    const secret = (secretText ?? '').trim();
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
    await page.getByTestId('webhook-secret-done').click();
    await page.getByTestId('webhook-detail').waitFor();
    assert.equal(await page.getByTestId('webhook-detail-url').textContent(), hook.url);
    assert.equal(await page.getByTestId('webhook-detail-state').textContent(), 'Active');
    // Never shown again.
    assert.ok(!(await page.content()).includes(secret));

    // Test: a webhook.test delivery appears and succeeds (the list refreshes while it is pending).
    await page.getByTestId('webhook-test').click();
    await page.getByTestId('webhook-test-sent').waitFor();
    const delivered = page.locator('[data-testid="webhook-delivery"][data-status="succeeded"]');
    await delivered.first().waitFor({ timeout: 20_000 });
    assert.match((await delivered.first().getByTestId('webhook-delivery-code').textContent()) ?? '', /^204/);
    assert.equal(await delivered.first().getByTestId('webhook-delivery-attempts').textContent(), '1');
    assert.equal(await delivered.first().getByTestId('webhook-delivery-status').textContent(), 'Succeeded');

    // What the receiver got verifies with the secret the page showed.
    assert.equal(hook.requests.length, 1);
    const [request] = hook.requests;
    const payload = new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {}) as {
      type: string;
    };
    assert.equal(payload.type, 'webhook.test');

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
