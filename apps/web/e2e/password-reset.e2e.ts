import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl, close, createUser, newPage, signInViaApi, signInViaForm, startBrowser } from './support.ts';

const browser = startBrowser();

/** The reset link mailed to `email`, read from the built-in outbox as the admin. */
async function resetLinkFor(email: string): Promise<string> {
  const context = await browser().newContext({ baseURL: baseUrl });
  try {
    await signInViaApi(context.request);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await context.request.get('/api/v1/outbox');
      assert.equal(response.status(), 200, await response.text());
      const { items } = (await response.json()) as { items: { to: string; text: string }[] };
      const mail = items.find((item) => item.to.includes(email));
      const link = mail && /https?:\/\/\S+\/reset-password#token=[\w-]+/.exec(mail.text)?.[0];
      if (link) return link;
      assert.ok(Date.now() < deadline, `no reset mail for ${email} in the outbox`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await context.close();
  }
}

test('a forgotten password: the link from the mail sets a new one, which then signs in', async () => {
  const user = await createUser(browser());
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await page.goto('/login');
    await page.getByTestId('login-forgot').click();
    await page.getByTestId('forgot-password-email').fill(user.email);
    await page.getByTestId('forgot-password-submit').click();
    await page.getByTestId('forgot-password-sent').waitFor();

    // The link names the configured base URL; the test server's may differ in host only.
    const link = new URL(await resetLinkFor(user.email));
    await page.goto(`/reset-password${link.hash}`);
    const newPassword = `new e2e password ${Date.now()}`;
    await page.getByTestId('reset-password-new').fill(newPassword);
    await page.getByTestId('reset-password-repeat').fill(`${newPassword}!`);
    await page.getByTestId('reset-password-submit').click();
    await page.getByText('The two passwords are not the same.').waitFor();
    await page.getByTestId('reset-password-repeat').fill(newPassword);
    await page.getByTestId('reset-password-submit').click();
    await page.getByTestId('reset-password-done').waitFor();

    await page.getByTestId('reset-password-login').click();
    await signInViaForm(page, { email: user.email, password: user.password });
    await page.getByText('The email address or the password is wrong.').waitFor();
    await signInViaForm(page, { email: user.email, password: newPassword });
    await page.locator('[data-testid="server-status"][data-status="ready"]').waitFor();

    // The same link a second time is refused.
    await page.context().clearCookies();
    await page.goto(`/reset-password${link.hash}`);
    await page.getByTestId('reset-password-new').fill(`${newPassword} again`);
    await page.getByTestId('reset-password-repeat').fill(`${newPassword} again`);
    await page.getByTestId('reset-password-submit').click();
    await page.getByText('This link is not valid any more').waitFor();
    assert.deepEqual(
      errors.filter((e) => !/status of 40[01]/.test(e)),
      [],
    );
  } finally {
    await close(opened);
  }
});
