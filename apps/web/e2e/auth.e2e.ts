import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import {
  admin,
  baseUrl,
  close,
  createUser,
  newPage,
  signInViaApi,
  signInViaForm,
  startBrowser,
} from './support.ts';

const browser = startBrowser();

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? '';
}

async function me(page: Page): Promise<{ email: string; totpEnabled: boolean } | null> {
  const response = await page.context().request.get('/api/v1/auth/me');
  if (response.status() === 401) return null;
  return (await response.json()) as { email: string; totpEnabled: boolean };
}

async function openUserMenu(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
}

test('signed out, a page leads to the login page, and signing in goes back to it', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await page.goto('/settings/roles');
    await page.getByTestId('login-page').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/settings/roles');

    await signInViaForm(page, { email: admin.email, password: 'not the password' });
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /The email address or the password is wrong/);

    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('roles-page').waitFor();
    assert.equal(new URL(page.url()).pathname, '/settings/roles');
    await page.getByTestId('role-row').nth(6).waitFor();
    assert.ok((await page.getByTestId('role-row').count()) >= 7, 'the built-in roles are listed');

    // The one failed sign-in is an expected 401 as well; nothing else may have gone wrong.
    assert.deepEqual(
      errors.filter((error) => !/status of 401 .*\/api\/v1\/auth\/login\)$/.test(error)),
      [],
    );
  } finally {
    await close(opened);
  }
});

test('log in, enable 2FA, log out, log in with a TOTP code', async () => {
  const user = await createUser(browser(), { roles: ['read_only'] });
  const opened = await newPage(browser());
  const { page } = opened;
  try {
    // Log in.
    await page.goto('/');
    await page.getByTestId('login-page').waitFor();
    await signInViaForm(page, user);
    await page.getByTestId('app-shell').waitFor();
    assert.equal(new URL(page.url()).pathname, '/');

    // Enable 2FA from the profile: read the key, confirm a code, get the recovery codes once.
    await openUserMenu(page);
    await page.getByTestId('user-menu-profile').click();
    await page.getByTestId('profile-page').waitFor();
    assert.equal(await page.getByTestId('totp-status').getAttribute('data-enabled'), 'false');
    await page.getByTestId('totp-start').click();
    const secret = (await text(page, 'totp-secret')).replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'a base32 key, shown grouped in fours');
    assert.match(await text(page, 'totp-url'), /^otpauth:\/\/totp\//);
    assert.equal(await page.getByTestId('totp-qr').isVisible(), true, 'a QR code to scan');

    await page.getByTestId('totp-enable-code').fill(await generate({ secret }));
    await page.getByTestId('totp-enable-submit').click();
    const codes = page.getByTestId('totp-recovery-codes');
    await codes.waitFor();
    const recoveryCodes = (await codes.locator('code').allTextContents()).filter(Boolean);
    assert.ok(recoveryCodes.length >= 8, `recovery codes shown: ${recoveryCodes.join(', ')}`);
    await page.getByTestId('totp-recovery-done').click();
    await page.locator('[data-testid="totp-status"][data-enabled="true"]').waitFor();
    assert.equal((await me(page))?.totpEnabled, true);

    // Log out.
    await openUserMenu(page);
    await page.getByTestId('logout').click();
    await page.getByTestId('login-page').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await me(page), null, 'the session is gone on the server too');

    // Log in again: the password alone is not enough now.
    await signInViaForm(page, user);
    const codeField = page.getByTestId('login-totp');
    await codeField.waitFor();
    assert.equal(await page.getByTestId('error-alert').count(), 0, 'asking for the code is not an error');

    await codeField.fill('000000');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('error-alert').filter({ hasText: 'That code is not right' }).waitFor();

    // The code that enabled 2FA cannot be replayed, so use the next time step's code (within the
    // server's ±30 s tolerance) rather than waiting up to 30 s for a fresh one.
    const nextStep = Math.floor(Date.now() / 1000) + 30;
    await codeField.fill(await generate({ secret, epoch: nextStep }));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
    assert.equal((await me(page))?.email, user.email);
  } finally {
    await close(opened);
  }
});

test('a recovery code signs in once instead of the authenticator code', async () => {
  const user = await createUser(browser());
  const opened = await newPage(browser());
  const { page } = opened;
  try {
    await signInViaApi(page.context().request, user);
    await page.goto('/profile');
    await page.getByTestId('totp-start').click();
    const secret = (await text(page, 'totp-secret')).replace(/\s+/g, '');
    await page.getByTestId('totp-enable-code').fill(await generate({ secret }));
    await page.getByTestId('totp-enable-submit').click();
    const codes = page.getByTestId('totp-recovery-codes');
    await codes.waitFor();
    const [recoveryCode] = await codes.locator('code').allTextContents();
    assert.ok(recoveryCode);
    await page.getByTestId('totp-recovery-done').click();

    await openUserMenu(page);
    await page.getByTestId('logout').click();
    await signInViaForm(page, user);
    await page.getByTestId('login-use-recovery').click();
    await page.getByTestId('login-totp').fill(recoveryCode);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
    assert.equal((await me(page))?.email, user.email);

    // Used once, it is spent.
    await openUserMenu(page);
    await page.getByTestId('logout').click();
    await signInViaForm(page, user);
    await page.getByTestId('login-use-recovery').click();
    await page.getByTestId('login-totp').fill(recoveryCode);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('error-alert').filter({ hasText: 'recovery code is not right' }).waitFor();
    assert.equal(await me(page), null);
  } finally {
    await close(opened);
  }
});

test('the navigation shows settings sections only with their rights; the server refuses the rest', async () => {
  const user = await createUser(browser(), { roles: ['read_only'] });
  const opened = await newPage(browser());
  const { page } = opened;
  try {
    await signInViaApi(page.context().request, user);
    await page.goto('/');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-overview').waitFor();
    for (const section of ['users', 'roles', 'auditLog']) {
      assert.equal(await page.getByTestId(`nav-${section}`).count(), 0, `nav-${section} is hidden`);
    }
    await page.goto('/settings/users');
    const forbidden = page.getByTestId('forbidden');
    await forbidden.waitFor();
    assert.match((await forbidden.textContent()) ?? '', /You lack the right “Users & roles: Read”/);
    const response = await page.context().request.get('/api/v1/users');
    assert.equal(response.status(), 403);
  } finally {
    await close(opened);
  }
});

test('the rights matrix: Owner is read-only, a new role is saved with the rights ticked', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await signInViaApi(page.context().request);
    await page.goto('/settings/roles');
    await page.locator('[data-testid="role-row"][data-builtin="owner"] a').click();
    await page.getByTestId('role-fixed').waitFor();
    assert.equal(await page.getByTestId('right-contacts-read').isDisabled(), true);
    assert.equal(await page.getByTestId('right-users-approve').isChecked(), true);
    assert.equal(await page.getByTestId('role-save').count(), 0);
    assert.equal(
      await page.getByTestId('field-access-billing').getByRole('radio', { name: 'Masked' }).isDisabled(),
      true,
    );

    await page.goto('/settings/roles');
    await page.getByTestId('role-new').click();
    const name = `E2E role ${Date.now().toString(36)}`;
    await page.getByTestId('role-name').fill(name);
    await page.getByRole('checkbox', { name: 'All rights for Contacts' }).check();
    await page.getByTestId('right-contacts-approve').uncheck();
    await page.getByTestId('right-invoicing-read').check();
    await page.getByTestId('field-access-billing').getByText('Masked').click();
    await page.locator('[data-testid="field-access-billing"][data-value="masked"]').waitFor();
    await page.getByTestId('role-save').click();
    await page.waitForURL(/\/settings\/roles\/[0-9a-f-]{36}$/);

    const roles = (await (await page.context().request.get('/api/v1/roles')).json()) as {
      items: { name: string; rights: string[]; fieldAccess: Record<string, string> }[];
    };
    const saved = roles.items.find((role) => role.name === name);
    assert.ok(saved, 'the role exists');
    assert.equal(saved.fieldAccess.billing, 'masked');
    assert.equal(saved.fieldAccess.identity, 'full');
    assert.deepEqual([...saved.rights].sort(), [
      'contacts:create',
      'contacts:delete',
      'contacts:export',
      'contacts:read',
      'contacts:update',
      'invoicing:read',
    ]);
    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('the audit log opens for someone with privacy:read', async () => {
  const opened = await newPage(browser());
  const { page } = opened;
  try {
    await signInViaApi(page.context().request);
    await page.goto('/settings');
    await page.getByTestId('nav-auditLog').click();
    await page
      .locator(
        '[data-testid="audit-entries"], [data-testid="audit-empty"], [data-testid="audit-unavailable"]',
      )
      .first()
      .waitFor();
    assert.equal(new URL(page.url()).pathname, '/settings/audit-log');
  } finally {
    await close(opened);
  }
});

test('an admin adds a user with a role, and cannot take Owner from the last owner', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    await signInViaApi(page.context().request);
    await page.goto('/settings/users');
    await page.getByTestId('users').waitFor();

    const email = `added-${Date.now().toString(36)}@example.com`;
    await page.getByTestId('user-new').click();
    const form = page.getByTestId('user-form');
    await page.getByTestId('user-email').fill(email);
    await page.getByTestId('user-display-name').fill('Added By Test');
    await form.getByRole('checkbox', { name: 'Sales' }).check();
    await page.getByTestId('user-save').click();
    const row = page.getByTestId('user-row').filter({ hasText: email });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Added By Test.*Sales/);

    const own = page.getByTestId('user-row').filter({ hasText: admin.email });
    await own.getByRole('button', { name: 'Edit' }).click();
    await form.getByRole('checkbox', { name: 'Owner' }).uncheck();
    await page.getByTestId('user-save').click();
    await form.getByTestId('error-alert').filter({ hasText: 'last Owner' }).waitFor();
    assert.deepEqual(
      errors.filter((error) => !/status of 409 .*\/api\/v1\/users\/[0-9a-f-]+\)$/.test(error)),
      [],
    );
  } finally {
    await close(opened);
  }
});

test('a user changes their password, and an API token works until it is revoked', async () => {
  const user = await createUser(browser());
  const opened = await newPage(browser());
  const { page } = opened;
  try {
    await signInViaApi(page.context().request, user);
    await page.goto('/profile');

    const newPassword = `${user.password} renewed`;
    await page.getByTestId('password-current').fill(user.password);
    await page.getByTestId('password-new').fill(newPassword);
    await page.getByTestId('password-confirm').fill(newPassword);
    await page.getByTestId('password-submit').click();
    await page.getByTestId('password-changed').waitFor();
    const fresh = await browser().newContext({ baseURL: baseUrl });
    try {
      await signInViaApi(fresh.request, { email: user.email, password: newPassword });
    } finally {
      await fresh.close();
    }

    await page.getByTestId('api-token-name').fill('E2E script');
    await page.getByTestId('api-token-create').click();
    const token = ((await page.getByTestId('api-token-secret').textContent()) ?? '').trim();
    assert.match(token, /^ktr_/);
    const withToken = () =>
      page.context().request.get('/api/v1/api-tokens', {
        headers: { authorization: `Bearer ${token}` },
      });
    assert.equal((await withToken()).status(), 200);

    await page.getByTestId('api-tokens').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('api-tokens-empty').waitFor();
    assert.equal((await withToken()).status(), 401);
  } finally {
    await close(opened);
  }
});

test('when the session ends, the next request leads to the login page, which says why', async () => {
  const opened = await newPage(browser());
  const { page } = opened;
  try {
    await signInViaApi(page.context().request);
    await page.goto('/settings/users');
    await page.getByTestId('users').waitFor();
    await page.context().clearCookies(); // as if the session had expired on the server
    await page.getByTestId('nav-auditLog').click();
    await page.getByTestId('session-expired').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('next'), '/settings/audit-log');
    await signInViaForm(page, admin);
    await page.getByTestId('audit-log-page').waitFor();
  } finally {
    await close(opened);
  }
});
