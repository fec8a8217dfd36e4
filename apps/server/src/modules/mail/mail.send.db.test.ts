import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { bearer } from '../../../test/support/app.ts';
import { TEST_DB_KIND } from '../../../test/support/database.ts';
import { type MailTestContext, mailTestContext, newDkimKey } from './testing/context.ts';
import { type Sink, startSink } from './testing/sink.ts';

// The outbound-mail backbone against a real SMTP peer (smtp-server in this process): each relay
// answer — 250, 4xx, 5xx, 5.7.x, 535, no answer — and what the message and the tenant become.

let sink: Sink;
let ctx: MailTestContext;
let n = 0;
const mail = (over: Record<string, unknown> = {}) => {
  n += 1;
  return {
    key: `test-${n}`,
    kind: 'auto-reply' as const,
    to: { address: `anna${n}@example.net`, name: 'Anna Müller' },
    subject: 'Ihre Anfrage – danke',
    text: 'Guten Tag\n\nwir melden uns.',
    html: '<p>Guten Tag</p>',
    headers: { 'Auto-Submitted': 'auto-generated' },
    ...over,
  };
};
const headerOf = (raw: Buffer, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.*(?:\\r\\n[ \\t].*)*)`, 'im').exec(
    raw.toString('latin1').split('\r\n\r\n')[0] ?? '',
  )?.[1];

before(async () => {
  sink = await startSink();
  ctx = await mailTestContext({ smtpUrl: sink.url, retryFast: true });
});
after(async () => {
  await ctx.close();
  await sink.close();
});

test(`250: queued in the caller's transaction, sent once with Message-ID on the sender's domain, Date and MIME (${TEST_DB_KIND})`, async () => {
  const before = sink.messages.length;
  const { id, created } = await ctx.queue1(mail());
  assert.equal(created, true);
  await ctx.waitFor(id, ['sent']);
  const row = await ctx.message(id);
  assert.equal(row.attempts, 1);
  assert.equal(row.message_id, `<${id}@kontor.test>`);
  assert.equal(sink.messages.length, before + 1);
  const raw = sink.messages.at(-1) as Buffer;
  assert.equal(headerOf(raw, 'Message-ID'), `<${id}@kontor.test>`);
  assert.match(headerOf(raw, 'Date') ?? '', /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.equal(headerOf(raw, 'MIME-Version'), '1.0');
  assert.match(headerOf(raw, 'Content-Type') ?? '', /^multipart\/alternative;/);
  assert.equal(headerOf(raw, 'Subject'), '=?UTF-8?Q?Ihre_Anfrage_=E2=80=93_danke?=');
  assert.equal(headerOf(raw, 'From'), 'Kontor Test <no-reply@kontor.test>');
  assert.equal(headerOf(raw, 'Auto-Submitted'), 'auto-generated');
  for (const line of raw.toString('latin1').split('\r\n')) assert.ok(line.length <= 998);
});

test('the same key queued twice is one message and one delivery', async () => {
  const m = mail();
  const before = sink.messages.length;
  const first = await ctx.queue1(m);
  const second = await ctx.queue1({ ...m, subject: 'anders' });
  assert.deepEqual(second, { id: first.id, created: false });
  await ctx.waitFor(first.id, ['sent']);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(sink.messages.length, before + 1);
  const [count] = await ctx.database.asOwner((s) =>
    s.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_message WHERE idempotency_key = $1', [m.key]),
  );
  assert.equal(count?.n, 1);
});

test('4xx is deferred — never sent, never failed — and retried with backoff until 250', async () => {
  let refusals = 2;
  sink.onRcpt = () => (refusals-- > 0 ? { code: 451, text: '4.7.1 Try again later' } : null);
  try {
    const before = sink.messages.length;
    const { id } = await ctx.queue1(mail());
    await ctx.waitFor(id, ['deferred']);
    const deferred = await ctx.message(id);
    assert.equal(deferred.last_error, '451 4.7.1 Try again later');
    const page = await ctx.app.inject({
      url: '/api/v1/mail/messages?status=deferred',
      headers: bearer(ctx.token),
    });
    const item = page.json().items.find((i: { id: string }) => i.id === id);
    assert.ok(item, 'listed as deferred');
    assert.ok(item.nextAttemptAt, 'with its next attempt');
    await ctx.waitFor(id, ['sent'], 60);
    const row = await ctx.message(id);
    assert.equal(row.attempts, 3);
    assert.equal(sink.messages.length, before + 1);
  } finally {
    sink.onRcpt = () => null;
  }
});

test('5xx fails for good after one attempt; the reply is kept without the address', async () => {
  sink.onRcpt = (rcpt) => ({ code: 550, text: `5.1.1 <${rcpt}>: Recipient address rejected` });
  try {
    const { id } = await ctx.queue1(mail());
    await ctx.waitFor(id, ['failed']);
    const row = await ctx.message(id);
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, '550 5.1.1 <[email]>: Recipient address rejected');
  } finally {
    sink.onRcpt = () => null;
  }
});

test('no answer (relay unreachable) is deferred, not failed', async () => {
  const other = await mailTestContext({ smtpUrl: 'smtp://127.0.0.1:1', retryFast: true });
  try {
    const { id } = await other.queue1(mail());
    await other.waitFor(id, ['deferred']);
    const row = await other.message(id);
    assert.match(row.last_error ?? '', /^E(CONNECTION|SOCKET): .*ECONNREFUSED/);
  } finally {
    await other.close();
  }
});

test('5.7.x from our own relay pauses the tenant: messages are held, not failed; resume sends them', async () => {
  sink.onRcpt = () => ({ code: 550, text: '5.7.1 Relaying denied for this sender' });
  const before = sink.messages.length;
  let ids: string[] = [];
  try {
    const first = await ctx.queue1(mail());
    await ctx.waitFor(first.id, ['held']);
    const second = await ctx.queue1(mail());
    await ctx.waitFor(second.id, ['held']);
    ids = [first.id, second.id];
    assert.equal((await ctx.message(second.id)).attempts, 0, 'a later message is held without an attempt');
    const status = await ctx.app.inject({ url: '/api/v1/mail/status', headers: bearer(ctx.token) });
    assert.equal(status.statusCode, 200);
    assert.equal(status.json().paused, true);
    assert.equal(status.json().pausedReason, '550 5.7.1 Relaying denied for this sender');
    assert.equal(status.json().counts.held, 2);
    assert.equal(status.json().counts.failed >= 0, true);
  } finally {
    sink.onRcpt = () => null;
  }
  const resumed = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/mail/resume',
    headers: bearer(ctx.token),
  });
  assert.equal(resumed.statusCode, 200);
  assert.deepEqual(resumed.json(), { resumed: 2 });
  for (const id of ids) await ctx.waitFor(id, ['sent']);
  assert.equal(sink.messages.length, before + 2);
  const status = await ctx.app.inject({ url: '/api/v1/mail/status', headers: bearer(ctx.token) });
  assert.equal(status.json().paused, false);
  const [audit] = await ctx.database.asOwner((s) =>
    s.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'mail.sending-resumed'"),
  );
  assert.equal(audit?.n, 1);
});

test('535 from our relay (authentication) pauses the tenant too', async () => {
  const authSink = await startSink({ auth: true });
  authSink.failAuth = true;
  const other = await mailTestContext({ smtpUrl: authSink.url, retryFast: true });
  try {
    const { id } = await other.queue1(mail());
    await other.waitFor(id, ['held']);
    const status = await other.app.inject({ url: '/api/v1/mail/status', headers: bearer(other.token) });
    assert.equal(status.json().paused, true);
    assert.match(status.json().pausedReason, /535/);
    authSink.failAuth = false;
    await other.app.inject({ method: 'POST', url: '/api/v1/mail/resume', headers: bearer(other.token) });
    await other.waitFor(id, ['sent']);
  } finally {
    await other.close();
    await authSink.close();
  }
});

test('DKIM: rsa-sha256 over every header we add verifies (mailauth); a tampered Auto-Submitted fails', async () => {
  const key = newDkimKey();
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: {
      fromName: 'Beispiel GmbH',
      fromAddress: 'hallo@beispiel.example',
      replyTo: 'team@beispiel.example',
      dkim: { domain: 'beispiel.example', selector: 'k2026', privateKey: key.privateKey },
    },
  });
  assert.equal(put.statusCode, 200, put.body);
  try {
    const { id } = await ctx.queue1(
      mail({ headers: { 'Auto-Submitted': 'auto-generated', 'X-Kontor-Form': 'f1' } }),
    );
    await ctx.waitFor(id, ['sent']);
    const raw = sink.messages.at(-1) as Buffer;
    const resolver = async (name: string, type: string) => {
      if (type === 'TXT' && name === 'k2026._domainkey.beispiel.example') return [[key.dnsTxt]];
      const error = new Error(`no ${type} ${name}`) as Error & { code: string };
      error.code = 'ENOTFOUND';
      throw error;
    };
    const good = await dkimVerify(raw, { resolver } as never);
    const sig = good.results[0] as
      | { status: { result: string }; signingHeaders: { keys: string } }
      | undefined;
    assert.equal(sig?.status.result, 'pass');
    const signed = (headerOf(raw, 'DKIM-Signature') ?? '').replace(/\s+/g, '');
    assert.match(signed, /a=rsa-sha256/);
    assert.match(signed, /d=beispiel\.example/);
    const h = (/;h=([^;]+)/.exec(signed)?.[1] ?? '').split(':');
    for (const name of [
      'from',
      'to',
      'subject',
      'date',
      'message-id',
      'reply-to',
      'mime-version',
      'content-type',
      'auto-submitted',
      'x-kontor-form',
    ]) {
      assert.ok(h.includes(name), `h= covers ${name}`);
    }
    assert.equal(new Set(h).size, h.length, 'no header is signed twice');
    // Each signed header appears once in the message.
    const head = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
    for (const name of h) {
      const count = head.split('\r\n').filter((l) => l.toLowerCase().startsWith(`${name}:`)).length;
      assert.ok(count <= 1, `${name} appears ${count} times`);
    }
    const tampered = Buffer.from(
      raw.toString('latin1').replace('Auto-Submitted: auto-generated', 'Auto-Submitted: no'),
      'latin1',
    );
    const bad = await dkimVerify(tampered, { resolver } as never);
    assert.notEqual((bad.results[0] as { status: { result: string } }).status.result, 'pass');
  } finally {
    await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/mail',
      headers: bearer(ctx.token),
      payload: {},
    });
  }
});

test('deleting the contact deletes their messages (erasure reaches the mail log)', async () => {
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/contacts',
    headers: bearer(ctx.token),
    payload: { firstName: 'Erika', lastName: 'Muster', email: 'erika@example.net' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const contactId = created.json().id as string;
  const { id } = await ctx.queue1(mail({ contactId, to: { address: 'erika@example.net' } }));
  await ctx.waitFor(id, ['sent']);
  const deleted = await ctx.app.inject({
    method: 'DELETE',
    url: `/api/v1/contacts/${contactId}`,
    headers: bearer(ctx.token),
  });
  assert.equal(deleted.statusCode, 204);
  const [left] = await ctx.database.asOwner((s) =>
    s.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_message WHERE id = $1', [id]),
  );
  assert.equal(left?.n, 0);
});
