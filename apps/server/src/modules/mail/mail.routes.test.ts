import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer } from '../../../test/support/app.ts';
import { type MailTestContext, mailTestContext, newDkimKey } from './testing/context.ts';

// The mail API without SMTP_URL: the built-in catcher, the message log, the sending state and
// the sender identity (DKIM key write-only, sealed, audited without the key).

let ctx: MailTestContext;
before(async () => {
  ctx = await mailTestContext();
});
after(async () => {
  await ctx.close();
});

test('without SMTP_URL a message lands in the catcher: GET /api/v1/outbox shows it as delivered, DKIM-Signature included', async () => {
  const key = newDkimKey();
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: {
      fromAddress: 'info@firma.example',
      dkim: { domain: 'firma.example', selector: 's1', privateKey: key.privateKey },
    },
  });
  assert.equal(put.statusCode, 200, put.body);
  const { id } = await ctx.queue1({
    key: 'catcher-1',
    kind: 'auto-reply',
    to: { address: 'anna@example.net', name: 'Anna' },
    subject: 'Danke für Ihre Anfrage',
    text: 'Wir melden uns.',
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  await ctx.waitFor(id, ['sent']);
  const outbox = await ctx.app.inject({ url: '/api/v1/outbox', headers: bearer(ctx.token) });
  assert.equal(outbox.statusCode, 200);
  const [item] = outbox.json().items;
  assert.equal(item.messageId, id);
  assert.equal(item.to, 'anna@example.net');
  assert.equal(item.subject, 'Danke für Ihre Anfrage');
  assert.equal(item.text.trim(), 'Wir melden uns.');
  assert.equal(item.headers['Auto-Submitted'], 'auto-generated');
  assert.equal(item.headers['Message-ID'], `<${id}@firma.example>`);
  assert.match(item.headers['DKIM-Signature'], /d=firma\.example; q=dns\/txt; s=s1;/);
  const messages = await ctx.app.inject({ url: '/api/v1/mail/messages', headers: bearer(ctx.token) });
  assert.equal(messages.json().items[0].status, 'sent');
  assert.equal(messages.json().items[0].attempts, 1);
  const status = await ctx.app.inject({ url: '/api/v1/mail/status', headers: bearer(ctx.token) });
  assert.deepEqual(status.json(), {
    transport: 'catcher',
    paused: false,
    pausedReason: null,
    pausedAt: null,
    counts: { queued: 0, sending: 0, sent: 1, deferred: 0, failed: 0, held: 0 },
  });
});

test('the DKIM key is write-only, sealed at rest, kept when omitted, removed with null; changes are audited without the key', async () => {
  const key = newDkimKey(1024);
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: {
      fromName: 'Firma',
      fromAddress: 'info@firma.example',
      replyTo: 'team@firma.example',
      dkim: { domain: 'Firma.Example', selector: 'k1', privateKey: key.privateKey },
    },
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual(put.json(), {
    fromName: 'Firma',
    fromAddress: 'info@firma.example',
    replyTo: 'team@firma.example',
    dkim: { domain: 'firma.example', selector: 'k1', configured: true },
    defaultFrom: 'Kontor Test <no-reply@kontor.test>',
  });
  assert.ok(!put.body.includes('PRIVATE KEY'));
  const [stored] = await ctx.database.asOwner((s) =>
    s.query<{ dkim_private_key: string }>('SELECT dkim_private_key FROM mail_sender'),
  );
  assert.match(stored?.dkim_private_key ?? '', /^kb1\./);
  // Omitted: kept.
  const keep = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: { fromAddress: 'info@firma.example', dkim: { domain: 'firma.example', selector: 'k2' } },
  });
  assert.equal(keep.json().dkim.configured, true);
  assert.equal(keep.json().fromName, null);
  // null: removed (and DKIM off).
  const off = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: { dkim: { domain: null, selector: null, privateKey: null } },
  });
  assert.deepEqual(off.json().dkim, { domain: null, selector: null, configured: false });
  const audit = await ctx.database.asOwner((s) =>
    s.query<{ changes: unknown }>(
      "SELECT changes FROM audit_log WHERE action = 'settings.mail-changed' ORDER BY seq",
    ),
  );
  assert.ok(audit.length >= 3);
  assert.ok(!JSON.stringify(audit).includes('PRIVATE KEY'));
  assert.ok(JSON.stringify(audit).includes('"dkimKeyChanged":true'));
});

test('a bad DKIM key, a domain without key, or DKIM half set is 400 with the field path', async () => {
  const cases = [
    [{ dkim: { domain: 'firma.example', selector: 'k1', privateKey: 'not a key' } }, 'dkim.privateKey'],
    [{ dkim: { domain: 'firma.example', selector: 'k1' } }, 'dkim.privateKey'],
    [{ dkim: { domain: 'firma.example', selector: null } }, 'dkim.selector'],
    [{ fromAddress: 'kein-at-zeichen' }, 'fromAddress'],
  ] as const;
  for (const [payload, path] of cases) {
    const res = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/mail',
      headers: bearer(ctx.token),
      payload,
    });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.ok(
      res.json().errors.some((e: { path: string }) => e.path.endsWith(path)),
      `${JSON.stringify(res.json().errors)} names ${path}`,
    );
  }
  const ec = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: {
      dkim: {
        domain: 'firma.example',
        selector: 'k1',
        privateKey: (await import('node:crypto'))
          .generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({ type: 'pkcs8', format: 'pem' }),
      },
    },
  });
  assert.equal(ec.statusCode, 400);
  assert.equal(ec.json().code, 'MAIL_DKIM_KEY_INVALID');
});

test('queueMail refuses headers the module writes itself, one header twice, and line breaks', async () => {
  const base = {
    key: 'bad',
    kind: 'notification' as const,
    to: { address: 'a@example.net' },
    subject: 'x',
    text: 'y',
  };
  const bad: Record<string, string>[] = [
    { From: 'evil@example.net' },
    { 'X-A': '1', 'x-a': '2' },
    { 'X-A': 'a\r\nBcc: b@example.net' },
  ];
  for (const headers of bad) {
    await assert.rejects(ctx.queue1({ ...base, headers }), { code: 'MAIL_INVALID_MESSAGE' });
  }
  await assert.rejects(ctx.queue1({ ...base, subject: 'a\nb' }), { code: 'MAIL_INVALID_MESSAGE' });
});

test('reading needs settings:read, changing settings:update', async () => {
  const sales = await ctx.newUser(['sales']);
  const reader = await ctx.newUser(['privacy_officer']);
  for (const url of [
    '/api/v1/outbox',
    '/api/v1/mail/messages',
    '/api/v1/mail/status',
    '/api/v1/settings/mail',
  ]) {
    assert.equal((await ctx.app.inject({ url, headers: bearer(sales) })).statusCode, 403, url);
    assert.equal((await ctx.app.inject({ url, headers: bearer(reader) })).statusCode, 200, url);
  }
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(reader),
    payload: {},
  });
  assert.equal(put.statusCode, 403);
  const resume = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/mail/resume',
    headers: bearer(reader),
  });
  assert.equal(resume.statusCode, 403);
});

test('the message list pages newest first and filters by status', async () => {
  for (let i = 0; i < 3; i++) {
    const { id } = await ctx.queue1({
      key: `page-${i}`,
      kind: 'notification',
      to: { address: `p${i}@example.net` },
      subject: `S${i}`,
      text: 't',
    });
    await ctx.waitFor(id, ['sent']);
  }
  const first = await ctx.app.inject({
    url: '/api/v1/mail/messages?limit=2&status=sent',
    headers: bearer(ctx.token),
  });
  assert.equal(first.json().items.length, 2);
  assert.equal(first.json().items[0].subject, 'S2');
  const second = await ctx.app.inject({
    url: `/api/v1/mail/messages?limit=2&status=sent&cursor=${first.json().nextCursor}`,
    headers: bearer(ctx.token),
  });
  assert.equal(second.json().items[0].subject, 'S0');
  const none = await ctx.app.inject({
    url: '/api/v1/mail/messages?status=failed',
    headers: bearer(ctx.token),
  });
  assert.deepEqual(none.json(), { items: [], nextCursor: null });
});

test('a stored DKIM key that no longer opens (KONTOR_SECRET changed) pauses sending instead of sending unsigned', async () => {
  const key = newDkimKey(1024);
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: { dkim: { domain: 'firma.example', selector: 'k9', privateKey: key.privateKey } },
  });
  // Sealed for another tenant: the context (dkim:<tenantId>) does not match, as with another key.
  const foreign = ctx.secrets.seal(key.privateKey, 'dkim:00000000-0000-0000-0000-000000000000');
  await ctx.database.asOwner((s) => s.query('UPDATE mail_sender SET dkim_private_key = $1', [foreign]));
  const { id } = await ctx.queue1({
    key: 'dkim-broken',
    kind: 'notification',
    to: { address: 'x@example.net' },
    subject: 'x',
    text: 'y',
  });
  await ctx.waitFor(id, ['held']);
  const status = await ctx.app.inject({ url: '/api/v1/mail/status', headers: bearer(ctx.token) });
  assert.equal(status.json().paused, true);
  assert.match(status.json().pausedReason, /^MAIL_DKIM_KEY_UNUSABLE/);
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: {},
  });
  const resumed = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/mail/resume',
    headers: bearer(ctx.token),
  });
  assert.equal(resumed.json().resumed, 1);
  await ctx.waitFor(id, ['sent']);
});
