import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createTenant } from '../tenants/index.ts';

let ctx: TestContext;
let n = 0;
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a completely new passphrase';

before(async () => {
  ctx = await testContext({ work: true });
});
after(() => ctx.close());

async function account() {
  n += 1;
  const email = `reset${n}@example.com`;
  const created = await createTenant(ctx.database.db, {
    name: `Reset ${n}`,
    adminEmail: email,
    adminPassword: PASSWORD,
  });
  return { ...created, email };
}

type OutboxItem = { id: string; to: string; subject: string; text: string; headers: Record<string, string> };

/** The tenant's caught mails to `email`, waiting until `count` have been delivered. */
async function mailsTo(apiToken: string, email: string, count = 1): Promise<OutboxItem[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await ctx.app.inject({ url: '/api/v1/outbox', headers: bearer(apiToken) });
    assert.equal(response.statusCode, 200, response.body);
    const items = (response.json() as { items: OutboxItem[] }).items.filter((m) => m.to.includes(email));
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const tokenOf = (mail: OutboxItem) => {
  const match = /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.text);
  assert.ok(match, `no link in: ${mail.text}`);
  return match[1] as string;
};

const ask = (email: string, language?: string) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset',
    payload: language ? { email, language } : { email },
    remoteAddress: `10.0.${n}.${Math.floor(Math.random() * 250)}`,
  });

const confirm = (token: string, newPassword = NEW_PASSWORD) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    payload: { token, newPassword },
  });

const signIn = (email: string, password: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

test('asking for a reset link answers 202 alike for a known and an unknown email; only the known one gets a mail', async () => {
  const { email, apiToken } = await account();
  const known = await ask(email.toUpperCase(), 'de');
  const unknown = await ask(`nobody-${n}@example.com`);
  assert.equal(known.statusCode, 202, known.body);
  assert.equal(unknown.statusCode, 202, unknown.body);
  assert.equal(known.body, unknown.body);
  const [mail] = await mailsTo(apiToken, email);
  assert.ok(mail, 'the reset mail is in the outbox');
  assert.match(mail.subject, /Passwort zurücksetzen/);
  assert.match(mail.text, /^http:\/\/localhost:3000\/reset-password#token=/m);
  // Only the hash of the token is stored.
  const token = tokenOf(mail);
  const stored = await sql<{
    n: number;
  }>`select count(*)::int as n from password_reset where token_hash = ${token}`.execute(ctx.database.db);
  assert.equal(stored.rows[0]?.n, 0);
});

test('the link sets a new password once: the old one stops working, sessions end, a second use is refused', async () => {
  const { email, apiToken } = await account();
  const before = await signIn(email, PASSWORD);
  assert.equal(before.statusCode, 200);
  const session = before.cookies.find((c) => c.name === 'kontor_session')?.value;
  assert.equal((await ask(email)).statusCode, 202);
  const [mail] = await mailsTo(apiToken, email);
  assert.ok(mail);
  const token = tokenOf(mail);

  const short = await confirm(token, 'short');
  assert.equal(short.statusCode, 400);
  assert.equal(short.json().errors[0].path, 'newPassword');

  assert.equal((await confirm(token)).statusCode, 204);
  assert.equal((await signIn(email, PASSWORD)).statusCode, 401);
  assert.equal((await signIn(email, NEW_PASSWORD)).statusCode, 200);
  const me = await ctx.app.inject({
    url: '/api/v1/auth/me',
    headers: { cookie: `kontor_session=${session}` },
  });
  assert.equal(me.statusCode, 401, 'the session from before the reset has ended');

  const again = await confirm(token, 'yet another passphrase here');
  assert.equal(again.statusCode, 400);
  assert.equal(again.json().code, 'RESET_LINK_INVALID');
});

test('an expired or unknown link is refused, and the reset is in the audit log', async () => {
  const { email, apiToken, tenantId, adminUserId } = await account();
  assert.equal((await ask(email)).statusCode, 202);
  assert.equal((await ask(email)).statusCode, 202);
  const mails = await mailsTo(apiToken, email, 2);
  assert.equal(mails.length, 2);
  const [first, second] = mails.map(tokenOf) as [string, string];

  assert.equal((await confirm('not-a-token-at-all')).statusCode, 400);
  // Expire the first link.
  const firstHash = createHash('sha256').update(first).digest('hex');
  await withTenant(ctx.database.db, tenantId, (tx) =>
    tx
      .updateTable('passwordReset')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('tokenHash', '=', firstHash)
      .execute(),
  );
  assert.equal((await confirm(first)).statusCode, 400, 'expired');
  assert.equal((await confirm(second)).statusCode, 204);

  const audit = await ctx.app.inject({ url: '/api/v1/audit-log?entityType=user', headers: bearer(apiToken) });
  assert.equal(audit.statusCode, 200, audit.body);
  const actions = (audit.json().items as { action: string; entityId: string }[])
    .filter((e) => e.entityId === adminUserId)
    .map((e) => e.action);
  assert.ok(actions.includes('user.password-reset'), actions.join(','));
  assert.ok(actions.includes('user.password-reset-requested'), actions.join(','));
});

test('more than 3 requests for one email within 15 minutes → 429 with Retry-After, whether or not it exists', async () => {
  for (const email of [(await account()).email, `ghost-${n}@example.com`]) {
    const statuses = [];
    let last: Awaited<ReturnType<typeof ask>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await ask(email);
      statuses.push(last.statusCode);
    }
    assert.deepEqual(statuses, [202, 202, 202, 429], email);
    assert.ok(Number(last?.headers['retry-after']) > 0);
  }
});
