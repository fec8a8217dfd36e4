import assert from 'node:assert/strict';
import { test } from 'node:test';
import { close, createUser, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

test('the admin opens the access log, keeps it 90 days and limits a user to a tag', async () => {
  const user = await createUser(browser(), { roles: ['sales'] });
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const { csrfToken } = await signInViaApi(page.context().request);
    // Start from another retention, so that saving 90 days is a change even on a reused server.
    const reset = await page.context().request.patch('/api/v1/settings/privacy', {
      data: { accessLogRetentionDays: 365 },
      headers: { 'x-csrf-token': csrfToken },
    });
    assert.equal(reset.status(), 200, await reset.text());

    // The access log renders, with entries or without.
    await page.goto('/settings/access-log');
    await page.getByTestId('access-log-page').waitFor();
    await page
      .locator('[data-testid="access-log-entries"], [data-testid="access-log-empty"]')
      .first()
      .waitFor();
    assert.match((await page.getByTestId('access-log-page').textContent()) ?? '', /never IP addresses/);

    // Retention: 90 days, saved, and still there after a reload.
    await page.goto('/settings/privacy');
    const retention = page.getByTestId('privacy-retention');
    await retention.waitFor();
    await retention.fill('90');
    await page.getByTestId('privacy-settings-save').click();
    await page.getByTestId('privacy-settings-saved').waitFor();
    const saved = await page.context().request.get('/api/v1/settings/privacy');
    assert.equal((await saved.json()).accessLogRetentionDays, 90);
    await page.reload();
    await retention.waitFor();
    assert.match(await retention.inputValue(), /^90\b/);

    // Contact scope: the user sees every contact until limited to the tag "vip".
    await page.goto('/settings/users');
    const row = page.getByTestId('user-row').filter({ hasText: user.email });
    await row.waitFor();
    assert.equal(await row.getByTestId('user-scope').textContent(), 'All contacts');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('user-contact-scope').waitFor();
    await dialog.getByRole('switch', { name: 'All contacts' }).click({ force: true });
    const tags = dialog.getByTestId('user-scope-tags');
    await tags.fill('vip');
    await tags.press('Enter');
    await tags.press('Tab'); // closes the suggestions, which may cover the buttons
    await dialog.getByTestId('user-save').click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByTestId('user-scope-tag').first().waitFor();
    assert.deepEqual(await row.getByTestId('user-scope-tag').allTextContents(), ['vip']);

    const users = (await (await page.context().request.get('/api/v1/users?limit=200')).json()) as {
      items: { id: string; contactScope: string[] | null }[];
    };
    assert.deepEqual(users.items.find((candidate) => candidate.id === user.id)?.contactScope, ['vip']);

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
