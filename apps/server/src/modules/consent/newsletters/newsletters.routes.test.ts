import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer } from '../../../../test/support/app.ts';
import { silentLogger } from '../../../../test/support/logger.ts';
import { type MailTestContext, mailTestContext, newDkimKey } from '../../mail/testing/context.ts';
import { createTenant } from '../../tenants/index.ts';
import { purgePendingSubscriptions } from './newsletters.jobs.ts';

/**
 * Newsletters over real HTTP and a real database, mail delivered to the built-in catcher: the
 * admin API, double opt-in (a GET never confirms, the button confirms once), the welcome mail
 * with its List-* headers under the DKIM signature, RFC 8058 one-click unsubscribe, and the
 * purge of unconfirmed requests. The app and the worker share one secret box (DKIM keys).
 */

let ctx: MailTestContext;
let other: { tenantId: string; apiToken: string };
let n = 0;

before(async () => {
  ctx = await mailTestContext();
  other = await createTenant(ctx.database.db, { name: 'Andere GmbH', adminEmail: 'admin@andere.example' });
});
after(async () => {
  await ctx.close();
});

type OutboxItem = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
};

const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  payload?: unknown,
  token = ctx.token,
) =>
  ctx.app.inject({
    method,
    url,
    headers: bearer(token),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

/** Mails to `email` in the catcher, waiting until `count` arrived (matching `filter`). */
async function mailsTo(
  email: string,
  count = 1,
  filter: (m: OutboxItem) => boolean = () => true,
): Promise<OutboxItem[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await api('GET', '/api/v1/outbox?limit=200');
    assert.equal(response.statusCode, 200, response.body);
    const items = (response.json() as { items: OutboxItem[] }).items.filter(
      (m) => m.to.includes(email) && filter(m),
    );
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Path and query of an absolute link (the app answers `app.inject` by path). */
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

function confirmLinkOf(mail: OutboxItem): string {
  const match = /http:\/\/localhost:3000(\/public\/newsletters\/confirm\/[A-Za-z0-9_-]+)/.exec(mail.text);
  assert.ok(match?.[1], `no confirmation link in: ${mail.text}`);
  return match[1];
}

function header(mail: OutboxItem, name: string): string | undefined {
  const key = Object.keys(mail.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? mail.headers[key]?.replace(/\s+/g, ' ').trim() : undefined;
}

async function newsletter(overrides: Record<string, unknown> = {}, token = ctx.token) {
  n += 1;
  const response = await api(
    'POST',
    '/api/v1/newsletters',
    {
      name: `Neuigkeiten ${n}`,
      languages: ['de', 'en'],
      texts: {
        de: {
          title: `Neuigkeiten ${n}`,
          description: 'Einmal im Monat',
          optOutText: 'Keine Neuigkeiten mehr',
        },
        en: { title: `News ${n}`, description: 'Once a month' },
      },
      welcome: {
        subject: { de: 'Willkommen, {{ contact.firstName }}!', en: 'Welcome, {{ contact.firstName }}!' },
        body: {
          de: 'Hallo {{ contact.firstName }} {{ contact.lastName }},\nschön, dass Sie „{{ newsletter.title }}“ lesen.',
          en: 'Hello {{ contact.firstName }},\nthanks for reading “{{ newsletter.title }}”.',
        },
      },
      ...overrides,
    },
    token,
  );
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { id: string; listIdHeader: string; name: string };
}

async function contact(language = 'de', token = ctx.token) {
  n += 1;
  const email = `person${n}@example.net`;
  const response = await api(
    'POST',
    '/api/v1/contacts',
    { firstName: 'Anna', lastName: `Muster${n}`, email, language },
    token,
  );
  assert.equal(response.statusCode, 201, response.body);
  return { id: (response.json() as { id: string }).id, email };
}

async function subscribe(contactId: string, newsletterId: string, token = ctx.token) {
  return api('POST', '/api/v1/subscriptions', { contactId, newsletterId }, token);
}

async function statusOf(newsletterId: string, contactId: string): Promise<string | undefined> {
  const response = await api('GET', `/api/v1/newsletters/${newsletterId}/subscriptions?limit=200`);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { items: { contactId: string; status: string }[] }).items.find(
    (s) => s.contactId === contactId,
  )?.status;
}

async function ownerQuery<R>(text: string, params: unknown[] = []): Promise<R[]> {
  return ctx.database.asOwner((s) => s.query<R>(text, params));
}

function assertPublicPage(response: { headers: Record<string, unknown>; body: string }, lang: string) {
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
  assert.match(String(response.headers['content-security-policy']), /form-action 'self'/);
  assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(response.headers['set-cookie'], undefined);
  assert.match(response.body, new RegExp(`<html lang="${lang}">`));
  assert.ok(!/<script/i.test(response.body), 'no script');
}

/** A contact subscribed and confirmed; returns the contact, the confirmation link and the welcome mail. */
async function confirmedSubscriber(newsletterId: string) {
  const person = await contact();
  const added = await subscribe(person.id, newsletterId);
  assert.equal(added.statusCode, 201, added.body);
  const [confirmation] = await mailsTo(person.email, 1, (m) => /bestätigen/i.test(m.subject));
  assert.ok(confirmation);
  const link = confirmLinkOf(confirmation);
  const confirmed = await ctx.app.inject({ method: 'POST', url: link, payload: {} });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  const [welcome] = await mailsTo(person.email, 1, (m) => /Willkommen/.test(m.subject));
  assert.ok(welcome, 'the welcome mail arrived');
  return { person, link, welcome };
}

test('newsletters: created, read, changed, listed; a used one is archived instead of deleted; audited', async () => {
  const created = await newsletter({ listId: 'kunden-news' });
  assert.match(created.listIdHeader, /^Neuigkeiten \d+ <kunden-news\.[0-9a-f]{8}\.localhost>$/);
  const got = await api('GET', `/api/v1/newsletters/${created.id}`);
  assert.equal(got.statusCode, 200);
  assert.equal(got.json().doubleOptIn, true);
  assert.equal(got.json().welcomeEnabled, true);

  const taken = await api('POST', '/api/v1/newsletters', {
    name: created.name,
    languages: ['de'],
    texts: { de: { title: 'X' } },
    welcomeEnabled: false,
  });
  assert.equal(taken.statusCode, 409, taken.body);
  assert.equal(taken.json().code, 'CONSENT_NEWSLETTER_NAME_TAKEN');

  const broken = await api('PATCH', `/api/v1/newsletters/${created.id}`, {
    welcome: { subject: { de: 'Hallo {{ contact.firstName ', en: 'x' }, body: { de: 'x', en: 'x' } },
  });
  assert.equal(broken.statusCode, 400, broken.body);
  assert.ok(
    (broken.json().errors as { path: string }[]).some((e) => e.path === 'welcome.subject.de'),
    broken.body,
  );
  const missing = await api('POST', '/api/v1/newsletters', {
    name: 'Ohne Texte',
    languages: ['de', 'fr'],
    texts: { de: { title: 'Ohne' } },
    welcomeEnabled: false,
  });
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(
    (missing.json().errors as { path: string }[]).map((e) => e.path),
    ['texts.fr.title'],
  );

  const patched = await api('PATCH', `/api/v1/newsletters/${created.id}`, {
    doubleOptIn: true,
    senderName: 'Team',
  });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().senderName, 'Team');
  const list = await api('GET', '/api/v1/newsletters?archived=false');
  assert.ok((list.json().items as { id: string }[]).some((i) => i.id === created.id));

  // Never used: deleted. Used: archived (the evidence keeps it).
  const unused = await newsletter({ welcomeEnabled: false });
  assert.equal((await api('DELETE', `/api/v1/newsletters/${unused.id}`)).statusCode, 204);
  assert.equal((await api('GET', `/api/v1/newsletters/${unused.id}`)).statusCode, 404);
  const person = await contact();
  assert.equal((await subscribe(person.id, created.id)).statusCode, 201);
  assert.equal((await api('DELETE', `/api/v1/newsletters/${created.id}`)).statusCode, 204);
  const archived = await api('GET', `/api/v1/newsletters/${created.id}`);
  assert.equal(archived.json().archived, true);
  assert.equal(archived.json().counts.pending, 1);
  const again = await subscribe(person.id, created.id);
  assert.equal(again.statusCode, 400);
  assert.equal(again.json().code, 'CONSENT_NEWSLETTER_ARCHIVED');

  const audit = await api('GET', '/api/v1/audit-log?entityType=newsletter&limit=200');
  const actions = (audit.json().items as { action: string; entityId: string }[])
    .filter((e) => e.entityId === created.id)
    .map((e) => e.action);
  for (const action of ['newsletter.created', 'newsletter.updated', 'newsletter.archived']) {
    assert.ok(actions.includes(action), `${action} in ${actions.join(',')}`);
  }
});

test("another tenant's newsletter id is 404/400: not readable, not subscribable, not offered", async () => {
  const mine = await newsletter({ welcomeEnabled: false });
  const theirs = await newsletter({ welcomeEnabled: false }, other.apiToken);
  const person = await contact();
  assert.equal((await api('GET', `/api/v1/newsletters/${theirs.id}`)).statusCode, 404);
  assert.equal((await api('PATCH', `/api/v1/newsletters/${theirs.id}`, { name: 'x' })).statusCode, 404);
  assert.equal((await api('DELETE', `/api/v1/newsletters/${theirs.id}`)).statusCode, 404);
  assert.equal((await api('GET', `/api/v1/newsletters/${theirs.id}/subscriptions`)).statusCode, 404);
  const cross = await subscribe(person.id, theirs.id);
  assert.equal(cross.statusCode, 404, cross.body);
  assert.equal(cross.json().code, 'CONSENT_NEWSLETTER_NOT_FOUND');
  // Their token cannot subscribe my contact to their newsletter either.
  const foreignContact = await subscribe(person.id, theirs.id, other.apiToken);
  assert.equal(foreignContact.statusCode, 404, foreignContact.body);
  assert.equal(foreignContact.json().code, 'CONSENT_CONTACT_NOT_FOUND');
  // The function forms use on save: 400 naming the id.
  const { assertNewsletters } = await import('./newsletters.service.ts');
  const { withTenant } = await import('../../../kernel/db/tenancy.ts');
  await assert.rejects(
    withTenant(ctx.database.db, ctx.tenantId, (tx) => assertNewsletters(tx, [mine.id, theirs.id])),
    (error: { code?: string; kind?: string; details?: { path: string }[] }) =>
      error.code === 'CONSENT_UNKNOWN_NEWSLETTER' &&
      error.kind === 'bad_request' &&
      error.details?.length === 1 &&
      error.details[0]?.path === theirs.id,
  );
  // Rights: reading marketing is not changing it.
  const sales = await ctx.newUser(['sales']);
  assert.equal((await api('GET', `/api/v1/newsletters/${mine.id}`, undefined, sales)).statusCode, 200);
  const denied = await api(
    'POST',
    '/api/v1/newsletters',
    { name: 'x', texts: { de: { title: 'x' } } },
    sales,
  );
  assert.equal(denied.statusCode, 403, denied.body);
  assert.equal((await subscribe(person.id, mine.id, sales)).statusCode, 403);
});

test('a confirmation link opened with GET changes nothing; the button confirms once; the link again or after expiry shows a clear page and changes nothing', async () => {
  const letter = await newsletter();
  const person = await contact();
  const added = await subscribe(person.id, letter.id);
  assert.equal(added.statusCode, 201, added.body);
  assert.equal(added.json().status, 'pending');

  const [mail] = await mailsTo(person.email, 1, (m) => /bestätigen/i.test(m.subject));
  assert.ok(mail, 'the confirmation mail is in the outbox');
  // Neutral: no advertising, no name anybody typed; the newsletter's title and the link.
  assert.match(mail.subject, /Bitte bestätigen Sie Ihre Anmeldung: Neuigkeiten/);
  assert.ok(!mail.text.includes('Anna') && !mail.text.includes('Muster'), mail.text);
  assert.equal(header(mail, 'List-Unsubscribe'), undefined, 'a transactional mail, not a newsletter mail');
  const link = confirmLinkOf(mail);
  const token = link.split('/').at(-1) as string;
  const stored = await ownerQuery<{ n: number }>(
    'SELECT count(*)::int AS n FROM subscription_confirmation WHERE token_hash = $1',
    [token],
  );
  assert.equal(stored[0]?.n, 0, 'only the hash of the token is stored');

  // A mail scanner's GET (and HEAD): a page with a button, nothing changes.
  for (const method of ['GET', 'HEAD', 'GET'] as const) {
    const scanned = await ctx.app.inject({ method, url: link });
    assert.equal(scanned.statusCode, 200, scanned.body);
  }
  const page = await ctx.app.inject({ url: link });
  assertPublicPage(page, 'de');
  assert.match(page.body, /<form method="post" action="\/public\/newsletters\/confirm\/[A-Za-z0-9_-]+"/);
  assert.match(page.body, /<button type="submit">Anmeldung bestätigen<\/button>/);
  assert.equal(await statusOf(letter.id, person.id), 'pending');

  // The button: confirmed, once.
  const confirmed = await ctx.app.inject({
    method: 'POST',
    url: link,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'confirm=yes',
  });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  assertPublicPage(confirmed, 'de');
  assert.match(confirmed.body, /Anmeldung bestätigt/);
  assert.equal(await statusOf(letter.id, person.id), 'subscribed');

  // The proof: request and confirmation times, the confirmation mail, the wording's hash.
  const events = await ownerQuery<{
    type: string;
    doi_message_id: string | null;
    doi_requested_at: Date | null;
    text_hash: string | null;
    source: string;
    by_contact: boolean;
  }>(
    `SELECT type, doi_message_id, doi_requested_at, text_hash, source, by_contact FROM subscription_event
     WHERE contact_id = $1 ORDER BY occurred_at, created_at`,
    [person.id],
  );
  assert.deepEqual(
    events.map((e) => e.type),
    ['requested', 'confirmed'],
  );
  const proof = events[1];
  assert.ok(proof?.doi_message_id && proof.doi_requested_at && proof.text_hash, JSON.stringify(proof));
  assert.equal(proof?.text_hash, events[0]?.text_hash);
  assert.equal(proof?.by_contact, true);
  const sent = await ownerQuery<{ id: string }>(
    'SELECT id FROM mail_message WHERE id = $1 AND to_address = $2',
    [proof?.doi_message_id, person.email],
  );
  assert.equal(sent.length, 1, 'doi_message_id is the confirmation mail');
  // The change reaches the privacy officer's queue (the consent core's table), unprocessed.
  const changes = await ownerQuery<{ kind: string; processed_at: Date | null; summary: { to: string } }>(
    'SELECT kind, processed_at, summary FROM consent_change WHERE contact_id = $1',
    [person.id],
  );
  assert.equal(changes.length, 1, JSON.stringify(changes));
  assert.equal(changes[0]?.kind, 'subscription');
  assert.equal(changes[0]?.processed_at, null);
  assert.equal(changes[0]?.summary.to, 'subscribed');

  // Again: a clear page, 410, nothing changes.
  const twice = await ctx.app.inject({ method: 'POST', url: link, payload: {} });
  assert.equal(twice.statusCode, 410, twice.body);
  assert.match(twice.body, /Bereits bestätigt/);
  const opened = await ctx.app.inject({ url: link });
  assert.equal(opened.statusCode, 410);
  const after = await ownerQuery<{ n: number }>(
    'SELECT count(*)::int AS n FROM subscription_event WHERE contact_id = $1',
    [person.id],
  );
  assert.equal(after[0]?.n, 2, 'no new event');

  // After expiry: 410, still pending.
  const late = await contact('en');
  assert.equal((await subscribe(late.id, letter.id)).statusCode, 201);
  const [lateMail] = await mailsTo(late.email, 1, (m) => /confirm/i.test(m.subject));
  assert.ok(lateMail);
  assert.match(lateMail.subject, /Please confirm your subscription: News/, 'in the contact’s language');
  const lateLink = confirmLinkOf(lateMail);
  await ownerQuery(
    `UPDATE subscription_confirmation SET expires_at = now() - interval '1 minute'
     WHERE subscription_id IN (SELECT id FROM subscription WHERE contact_id = $1)`,
    [late.id],
  );
  const expiredGet = await ctx.app.inject({ url: lateLink });
  assert.equal(expiredGet.statusCode, 410);
  assertPublicPage(expiredGet, 'en');
  assert.match(expiredGet.body, /Link expired/);
  const expiredPost = await ctx.app.inject({ method: 'POST', url: lateLink, payload: {} });
  assert.equal(expiredPost.statusCode, 410);
  assert.equal(await statusOf(letter.id, late.id), 'pending');

  // A forged or altered token: 404, nothing changes.
  const forged = `${lateLink.slice(0, -3)}${lateLink.endsWith('AAA') ? 'BBB' : 'AAA'}`;
  assert.equal((await ctx.app.inject({ method: 'POST', url: forged, payload: {} })).statusCode, 404);
  const garbage = await ctx.app.inject({ url: '/public/newsletters/confirm/not-a-token' });
  assert.equal(garbage.statusCode, 404);
  assert.match(garbage.body, /Link/);
});

test('the welcome mail carries List-Unsubscribe, List-Unsubscribe-Post and List-Id, and the DKIM signature covers them', async () => {
  const key = newDkimKey();
  const put = await api('PUT', '/api/v1/settings/mail', {
    fromName: 'Beispiel GmbH',
    fromAddress: 'news@beispiel.example',
    dkim: { domain: 'beispiel.example', selector: 'k1', privateKey: key.privateKey },
  });
  assert.equal(put.statusCode, 200, put.body);
  try {
    const letter = await newsletter();
    const { welcome, person } = await confirmedSubscriber(letter.id);
    assert.equal(welcome.subject, 'Willkommen, Anna!');
    assert.match(welcome.text, /Hallo Anna Muster\d+,/);
    const unsubscribe = header(welcome, 'List-Unsubscribe') ?? '';
    assert.match(
      unsubscribe,
      /^<http:\/\/localhost:3000\/public\/unsubscribe\/[A-Za-z0-9_-]+>$/,
      'exactly one URI',
    );
    assert.ok(
      !unsubscribe.includes('\n') && unsubscribe.split('<').length === 2,
      'one List-Unsubscribe, one URI',
    );
    assert.equal(header(welcome, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.equal(header(welcome, 'List-Id'), letter.listIdHeader);
    assert.equal(header(welcome, 'Precedence'), 'bulk');
    assert.equal(header(welcome, 'Auto-Submitted'), undefined);
    const signature = (header(welcome, 'DKIM-Signature') ?? '').replace(/\s+/g, '');
    assert.match(signature, /d=beispiel\.example/);
    const h = (/;h=([^;]+)/.exec(signature)?.[1] ?? '').toLowerCase().split(':');
    for (const name of [
      'list-unsubscribe',
      'list-unsubscribe-post',
      'list-id',
      'precedence',
      'from',
      'subject',
    ]) {
      assert.ok(h.includes(name), `h= covers ${name}: ${h.join(':')}`);
    }
    // The visible footer: the unsubscribe and preference links, in text and HTML.
    const url = unsubscribe.slice(1, -1);
    assert.ok(welcome.text.includes(`Abmelden: ${url}`), welcome.text);
    assert.match(
      welcome.text,
      /Ihre Einstellungen: http:\/\/localhost:3000\/public\/preferences\/[A-Za-z0-9_-]+/,
    );
    assert.ok(welcome.html?.includes(`href="${url}"`), welcome.html ?? '');
    assert.match(welcome.html ?? '', /href="http:\/\/localhost:3000\/public\/preferences\/[A-Za-z0-9_-]+"/);
    const kinds = await ownerQuery<{ kind: string }>(
      'SELECT kind FROM mail_message WHERE contact_id = $1 ORDER BY created_at',
      [person.id],
    );
    assert.deepEqual(
      kinds.map((k) => k.kind),
      ['transactional', 'newsletter'],
    );
  } finally {
    await api('PUT', '/api/v1/settings/mail', {});
  }
});

test('a POST of List-Unsubscribe=One-Click to the unsubscribe URL unsubscribes without a session or CSRF token', async () => {
  const hook = await api('POST', '/api/v1/webhooks', {
    url: 'https://hooks.example.invalid/kontor',
    eventTypes: ['subscription.changed'],
  });
  assert.equal(hook.statusCode, 201, hook.body);
  const letter = await newsletter();
  const { welcome, person } = await confirmedSubscriber(letter.id);
  const url = pathOf((header(welcome, 'List-Unsubscribe') ?? '').slice(1, -1));

  // GET: a page with the button and the preference link; nothing changes.
  const page = await ctx.app.inject({ url });
  assert.equal(page.statusCode, 200, page.body);
  assertPublicPage(page, 'de');
  assert.match(page.body, /<input type="hidden" name="List-Unsubscribe" value="One-Click">/);
  assert.match(page.body, /Keine Neuigkeiten mehr/, 'the tenant’s opt-out text');
  assert.match(page.body, /href="http:\/\/localhost:3000\/public\/preferences\/[A-Za-z0-9_-]+"/);
  assert.equal(await statusOf(letter.id, person.id), 'subscribed');

  // RFC 8058, urlencoded: no cookie, no CSRF header, no redirect.
  const oneClick = await ctx.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(oneClick.statusCode, 200, oneClick.body);
  assert.equal(oneClick.headers['set-cookie'], undefined);
  assert.equal(await statusOf(letter.id, person.id), 'unsubscribed');
  const again = await ctx.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(again.statusCode, 200, 'idempotent');
  const events = await ownerQuery<{ type: string; source: string; source_ref: string | null }>(
    `SELECT type, source, source_ref FROM subscription_event WHERE contact_id = $1 AND type = 'unsubscribed'`,
    [person.id],
  );
  assert.deepEqual(events, [
    { type: 'unsubscribed', source: 'newsletter', source_ref: 'list-unsubscribe-post' },
  ]);
  const changes = await ownerQuery<{ summary: { from: string; to: string } }>(
    `SELECT summary FROM consent_change WHERE contact_id = $1 AND kind = 'subscription' ORDER BY created_at`,
    [person.id],
  );
  assert.deepEqual(
    changes.map((c) => c.summary.to),
    ['subscribed', 'unsubscribed'],
  );
  // Integrations hear of every change (webhook subscription.changed).
  const hooks = await ownerQuery<{ payload: { data: Record<string, unknown> } }>(
    `SELECT payload FROM webhook_event WHERE type = 'subscription.changed' AND payload->'data'->>'contactId' = $1
     ORDER BY created_at`,
    [person.id],
  );
  assert.deepEqual(
    hooks.map((h) => [h.payload.data.from, h.payload.data.to, h.payload.data.source]),
    [
      [null, 'pending', 'staff'],
      ['pending', 'subscribed', 'staff'],
      ['subscribed', 'unsubscribed', 'newsletter'],
    ],
  );
  assert.equal(hooks[2]?.payload.data.newsletterId, letter.id);

  // RFC 8058, multipart/form-data.
  const second = await confirmedSubscriber(letter.id);
  const secondUrl = pathOf((header(second.welcome, 'List-Unsubscribe') ?? '').slice(1, -1));
  const boundary = '----kontor-test-boundary';
  const multipart = await ctx.app.inject({
    method: 'POST',
    url: secondUrl,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
  });
  assert.equal(multipart.statusCode, 200, multipart.body);
  assert.equal(await statusOf(letter.id, second.person.id), 'unsubscribed');

  // A signed session cookie does not matter, and no CSRF token is asked for.
  const third = await confirmedSubscriber(letter.id);
  const thirdUrl = pathOf((header(third.welcome, 'List-Unsubscribe') ?? '').slice(1, -1));
  const withCookie = await ctx.app.inject({
    method: 'POST',
    url: thirdUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'kontor_session=nonsense' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(withCookie.statusCode, 200, withCookie.body);
  assert.equal(await statusOf(letter.id, third.person.id), 'unsubscribed');

  // A forged token: 404, nothing changes.
  const forged = `${url.slice(0, -2)}${url.endsWith('AA') ? 'BB' : 'AA'}`;
  const refused = await ctx.app.inject({
    method: 'POST',
    url: forged,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(refused.statusCode, 404);
  assert.equal((await ctx.app.inject({ url: forged })).statusCode, 404);
});

test('staff adds and removes a subscription: double opt-in, audited, no entry in the privacy officer’s queue', async () => {
  const letter = await newsletter({ welcomeEnabled: false });
  const person = await contact();
  const added = await subscribe(person.id, letter.id);
  assert.equal(added.statusCode, 201);
  const id = added.json().subscription.id as string;
  assert.equal(added.json().subscription.source, 'staff');
  const twice = await subscribe(person.id, letter.id);
  assert.equal(twice.json().status, 'pending');
  assert.equal((await mailsTo(person.email, 1)).length, 1, 'the same request again sends no second mail');
  assert.equal((await api('DELETE', `/api/v1/subscriptions/${id}`)).statusCode, 204);
  assert.equal(await statusOf(letter.id, person.id), 'unsubscribed');
  assert.equal((await api('DELETE', `/api/v1/subscriptions/${id}`)).statusCode, 204, 'idempotent');
  const changes = await ownerQuery('SELECT 1 FROM consent_change WHERE contact_id = $1', [person.id]);
  assert.equal(changes.length, 0);
  // The confirmation link of the ended request no longer confirms.
  const [mail] = await mailsTo(person.email, 1);
  assert.ok(mail);
  const late = await ctx.app.inject({ method: 'POST', url: confirmLinkOf(mail), payload: {} });
  assert.equal(late.statusCode, 410);
  assert.equal(await statusOf(letter.id, person.id), 'unsubscribed');
  // Double opt-in off: subscribed at once.
  const direct = await newsletter({ doubleOptIn: false, welcomeEnabled: false });
  const now = await subscribe(person.id, direct.id);
  assert.equal(now.json().status, 'subscribed');
  assert.equal(now.json().subscription.legalBasis, 'consent');
  const audit = await api('GET', '/api/v1/audit-log?entityType=subscription&limit=200');
  const actions = (audit.json().items as { action: string; entityId: string }[])
    .filter((e) => e.entityId === id)
    .map((e) => e.action);
  assert.ok(
    actions.includes('subscription.requested') && actions.includes('subscription.unsubscribed'),
    actions.join(),
  );
  assert.equal((await api('DELETE', `/api/v1/subscriptions/${crypto.randomUUID()}`)).statusCode, 404);
});

test('unconfirmed requests expire and are purged', async () => {
  const letter = await newsletter({ welcomeEnabled: false });
  const person = await contact();
  assert.equal((await subscribe(person.id, letter.id)).statusCode, 201);
  const [mail] = await mailsTo(person.email, 1);
  assert.ok(mail);
  const link = confirmLinkOf(mail);
  const keep = await contact();
  assert.equal((await subscribe(keep.id, letter.id)).statusCode, 201);

  // Not due yet: nothing happens.
  await purgePendingSubscriptions({ db: ctx.database.db, logger: silentLogger() });
  assert.equal(await statusOf(letter.id, person.id), 'pending');

  await ownerQuery(`UPDATE subscription SET expires_at = now() - interval '1 minute' WHERE contact_id = $1`, [
    person.id,
  ]);
  await ownerQuery(
    `UPDATE subscription_confirmation SET expires_at = now() - interval '1 minute'
     WHERE subscription_id IN (SELECT id FROM subscription WHERE contact_id = $1)`,
    [person.id],
  );
  const result = await purgePendingSubscriptions({ db: ctx.database.db, logger: silentLogger() });
  assert.ok(result.expired >= 1, JSON.stringify(result));
  assert.equal(await statusOf(letter.id, person.id), undefined, 'the request is gone');
  assert.equal(await statusOf(letter.id, keep.id), 'pending', 'requests not yet due stay');
  const tokens = await ownerQuery(
    `SELECT 1 FROM subscription_confirmation c JOIN subscription s ON s.id = c.subscription_id WHERE s.contact_id = $1`,
    [person.id],
  );
  assert.equal(tokens.length, 0);
  const events = await ownerQuery<{ type: string; source: string }>(
    'SELECT type, source FROM subscription_event WHERE contact_id = $1 ORDER BY occurred_at, created_at',
    [person.id],
  );
  assert.deepEqual(
    events.map((e) => `${e.type}:${e.source}`),
    ['requested:staff', 'expired:system'],
  );
  assert.equal((await api('GET', `/api/v1/contacts/${person.id}`)).statusCode, 200, 'the contact stays');
  const gone = await ctx.app.inject({ method: 'POST', url: link, payload: {} });
  assert.equal(gone.statusCode, 404);
  // The history cannot be rewritten by the application.
  await assert.rejects(
    ctx.database.db.transaction().execute(async (tx) => {
      const { sql } = await import('kysely');
      await sql`select set_config('app.tenant_id', ${ctx.tenantId}, true)`.execute(tx);
      await sql`update subscription_event set type = 'confirmed' where contact_id = ${person.id}::uuid`.execute(
        tx,
      );
    }),
  );
  // Deleting the contact takes its subscriptions and their history.
  assert.equal((await api('DELETE', `/api/v1/contacts/${keep.id}`)).statusCode, 204);
  const left = await ownerQuery('SELECT 1 FROM subscription_event WHERE contact_id = $1', [keep.id]);
  assert.equal(left.length, 0);
});
