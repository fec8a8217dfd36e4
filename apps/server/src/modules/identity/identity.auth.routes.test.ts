import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generate } from 'otplib';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createTenant } from '../tenants/index.ts';

let ctx: TestContext;
let n = 0;
const PASSWORD = 'correct horse battery staple';

before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

async function tenantWithPassword(email = `login${++n}@example.com`) {
  const created = await createTenant(ctx.database.db, {
    name: `Login ${n}`,
    adminEmail: email,
    adminPassword: PASSWORD,
  });
  return { ...created, email };
}

type Session = { cookie: string; csrf: string };

async function signIn(
  email: string,
  password = PASSWORD,
  extra: Record<string, string> = {},
): Promise<Session> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password, ...extra },
  });
  assert.equal(response.statusCode, 200, response.body);
  const session = response.cookies.find((c) => c.name === 'kontor_session');
  const csrf = response.cookies.find((c) => c.name === 'kontor_csrf');
  assert.ok(session && csrf);
  return { cookie: `kontor_session=${session.value}; kontor_csrf=${csrf.value}`, csrf: csrf.value };
}

function as(session: Session, write = false) {
  return { cookie: session.cookie, ...(write ? { 'x-csrf-token': session.csrf } : {}) };
}

test('signing in sets an HttpOnly session cookie and a readable CSRF cookie', async () => {
  const { email, tenantId } = await tenantWithPassword();
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: email.toUpperCase(), password: PASSWORD },
  });
  assert.equal(response.statusCode, 200, response.body);
  const session = response.cookies.find((c) => c.name === 'kontor_session');
  const csrf = response.cookies.find((c) => c.name === 'kontor_csrf');
  assert.equal(session?.httpOnly, true);
  assert.equal(session?.sameSite, 'Lax');
  assert.equal(csrf?.httpOnly, undefined);
  const body = response.json();
  assert.equal(body.tenantId, tenantId);
  assert.equal(body.csrfToken, csrf?.value);
  assert.deepEqual(body.roles, ['Owner']);
  const me = await ctx.app.inject({
    url: '/api/v1/auth/me',
    headers: { cookie: `kontor_session=${session?.value}` },
  });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().email, email);
});

test('a wrong password and an unknown account get the same 401', async () => {
  const { email } = await tenantWithPassword();
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'not the password' },
  });
  const unknown = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'nobody-here@example.com', password: 'not the password' },
  });
  assert.equal(wrong.statusCode, 401);
  assert.equal(unknown.statusCode, 401);
  assert.equal(wrong.body, unknown.body);
  assert.equal(wrong.json().code, 'AUTH_INVALID_CREDENTIALS');
});

test('after 10 failed tries the account answers 429 with Retry-After, even to the right password', async () => {
  const { email } = await tenantWithPassword();
  for (let i = 1; i <= 10; i++) {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: `wrong ${i}` },
    });
    assert.equal(response.statusCode, 401, `try ${i}`);
  }
  const locked = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  assert.equal(locked.statusCode, 429);
  const retryAfter = Number(locked.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
  assert.equal(locked.json().code, 'AUTH_TOO_MANY_ATTEMPTS');
});

test('an unknown account locks the same way: a lockout does not reveal whether it exists', async () => {
  for (let i = 0; i < 10; i++) {
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ghost@example.com', password: 'x' },
    });
  }
  const locked = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'ghost@example.com', password: 'x' },
  });
  assert.equal(locked.statusCode, 429);
});

test('cookie-authenticated writes need the CSRF token; reads do not', async () => {
  const { email } = await tenantWithPassword();
  const session = await signIn(email);
  assert.equal((await ctx.app.inject({ url: '/api/v1/api-tokens', headers: as(session) })).statusCode, 200);
  const without = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-tokens',
    headers: as(session),
    payload: { name: 'x' },
  });
  assert.equal(without.statusCode, 403);
  assert.equal(without.json().code, 'CSRF_TOKEN_INVALID');
  const forged = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-tokens',
    headers: { ...as(session), 'x-csrf-token': 'forged' },
    payload: { name: 'x' },
  });
  assert.equal(forged.statusCode, 403);
  const withToken = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-tokens',
    headers: as(session, true),
    payload: { name: 'x' },
  });
  assert.equal(withToken.statusCode, 201);
});

test('signing out ends the session; signing in again replaces the old session', async () => {
  const { email } = await tenantWithPassword();
  const first = await signIn(email);
  const second = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { cookie: first.cookie },
    payload: { email, password: PASSWORD },
  });
  assert.equal(second.statusCode, 200);
  assert.equal(
    (await ctx.app.inject({ url: '/api/v1/auth/me', headers: as(first) })).statusCode,
    401,
    'rotated on sign-in',
  );
  const cookie = second.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = second.cookies.find((c) => c.name === 'kontor_csrf')?.value ?? '';
  const out = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/logout',
    headers: { cookie, 'x-csrf-token': csrf },
  });
  assert.equal(out.statusCode, 204);
  assert.equal((await ctx.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401);
});

test('a session ends after 30 idle minutes and after 12 hours whatever happens', async () => {
  const { email } = await tenantWithPassword();
  const idle = await signIn(email);
  const absolute = await signIn(email);
  await ctx.database.asOwner(async (s) => {
    await s.query(
      `UPDATE app_session SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [idle.cookie.split(';')[0]?.split('=')[1]],
    );
    await s.query(
      `UPDATE app_session SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [absolute.cookie.split(';')[0]?.split('=')[1]],
    );
  });
  assert.equal((await ctx.app.inject({ url: '/api/v1/auth/me', headers: as(idle) })).statusCode, 401);
  assert.equal((await ctx.app.inject({ url: '/api/v1/auth/me', headers: as(absolute) })).statusCode, 401);
});

test('two-factor sign-in: set up, confirm, then a code is required, used once; recovery codes work once', async () => {
  const { email } = await tenantWithPassword();
  const session = await signIn(email);
  const setup = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/totp/setup',
    headers: as(session, true),
  });
  assert.equal(setup.statusCode, 200, setup.body);
  const { secret, otpauthUrl } = setup.json() as { secret: string; otpauthUrl: string };
  assert.match(otpauthUrl, /^otpauth:\/\/totp\/Kontor:/);
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/totp/enable',
    headers: as(session, true),
    payload: { code: '000000' },
  });
  assert.equal(wrong.statusCode, 400);
  const enabled = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/totp/enable',
    headers: as(session, true),
    payload: { code: await generate({ secret }) },
  });
  assert.equal(enabled.statusCode, 200, enabled.body);
  const { recoveryCodes } = enabled.json() as { recoveryCodes: string[] };
  assert.equal(recoveryCodes.length, 10);
  assert.equal(
    (await ctx.app.inject({ url: '/api/v1/auth/me', headers: as(session) })).json().totpEnabled,
    true,
  );

  const noCode = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  assert.equal(noCode.statusCode, 401);
  assert.equal(noCode.json().code, 'AUTH_TOTP_REQUIRED');
  const badCode = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD, totp: '123456' },
  });
  assert.equal(badCode.json().code, 'AUTH_TOTP_INVALID');
  // The code used to enable 2FA was consumed; wait for the next time step rather than reuse it.
  const recovery = recoveryCodes[0] as string;
  await signIn(email, PASSWORD, { totp: recovery });
  const reused = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD, totp: recovery },
  });
  assert.equal(reused.statusCode, 401, 'a recovery code works once');
});

test('the TOTP seed is stored encrypted; a seed stored in plain before that still works and is sealed on use', async () => {
  const { email, tenantId, adminUserId } = await tenantWithPassword();
  const session = await signIn(email);
  const setup = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/totp/setup',
    headers: as(session, true),
  });
  const { secret } = setup.json() as { secret: string };
  const stored = () =>
    withTenant(ctx.database.db, tenantId, (tx) =>
      tx
        .selectFrom('appUser')
        .select(['totpSecret', 'totpPendingSecret'])
        .where('id', '=', adminUserId)
        .executeTakeFirstOrThrow(),
    );
  const pending = await stored();
  assert.match(pending.totpPendingSecret ?? '', /^kb1\./);
  assert.ok(!pending.totpPendingSecret?.includes(secret));
  const enabled = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/totp/enable',
    headers: as(session, true),
    payload: { code: await generate({ secret }) },
  });
  assert.equal(enabled.statusCode, 200, enabled.body);
  const on = await stored();
  assert.match(on.totpSecret ?? '', /^kb1\./);
  assert.equal(on.totpPendingSecret, null);

  // A sealed seed copied onto another user does not open for them.
  const other = await tenantWithPassword();
  await withTenant(ctx.database.db, other.tenantId, (tx) =>
    tx
      .updateTable('appUser')
      .set({ totpSecret: on.totpSecret, totpEnabledAt: new Date() })
      .where('id', '=', other.adminUserId)
      .execute(),
  );
  const moved = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: other.email, password: PASSWORD, totp: await generate({ secret }) },
  });
  assert.equal(moved.statusCode, 500, 'a seed that does not open is an internal error, never a way in');

  // A seed written in plain (before encryption existed) signs in and is sealed from then on.
  const legacy = await tenantWithPassword();
  await withTenant(ctx.database.db, legacy.tenantId, (tx) =>
    tx
      .updateTable('appUser')
      .set({ totpSecret: secret, totpEnabledAt: new Date() })
      .where('id', '=', legacy.adminUserId)
      .execute(),
  );
  await signIn(legacy.email, PASSWORD, { totp: await generate({ secret }) });
  const sealed = await withTenant(ctx.database.db, legacy.tenantId, (tx) =>
    tx
      .selectFrom('appUser')
      .select('totpSecret')
      .where('id', '=', legacy.adminUserId)
      .executeTakeFirstOrThrow(),
  );
  assert.match(sealed.totpSecret ?? '', /^kb1\./);
});

test('changing the password needs the current one and ends the other sessions', async () => {
  const { email } = await tenantWithPassword();
  const here = await signIn(email);
  const elsewhere = await signIn(email);
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: as(here, true),
    payload: { currentPassword: 'nope', newPassword: 'a brand new passphrase' },
  });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().errors[0].path, 'currentPassword');
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: as(here, true),
    payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
  });
  assert.equal(ok.statusCode, 204);
  assert.equal((await ctx.app.inject({ url: '/api/v1/auth/me', headers: as(here) })).statusCode, 200);
  assert.equal((await ctx.app.inject({ url: '/api/v1/auth/me', headers: as(elsewhere) })).statusCode, 401);
  await signIn(email, 'a brand new passphrase');
});

test('an email that signs in to two businesses asks which one', async () => {
  const email = `twice${++n}@example.com`;
  const a = await createTenant(ctx.database.db, {
    name: 'Alpha AG',
    adminEmail: email,
    adminPassword: PASSWORD,
  });
  await createTenant(ctx.database.db, { name: 'Beta GmbH', adminEmail: email, adminPassword: PASSWORD });
  const ambiguous = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  assert.equal(ambiguous.statusCode, 409);
  assert.deepEqual(
    (ambiguous.json().tenants as { name: string }[]).map((t) => t.name),
    ['Alpha AG', 'Beta GmbH'],
  );
  const chosen = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD, tenantId: a.tenantId },
  });
  assert.equal(chosen.statusCode, 200);
  assert.equal(chosen.json().tenantId, a.tenantId);
});

test('API tokens keep working beside sessions and need no CSRF token', async () => {
  const { apiToken } = await tenantWithPassword();
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-tokens',
    headers: bearer(apiToken),
    payload: { name: 'cli' },
  });
  assert.equal(created.statusCode, 201);
});
