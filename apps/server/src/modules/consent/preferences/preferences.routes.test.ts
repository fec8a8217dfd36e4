import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer } from '../../../../test/support/app.ts';
import { type MailTestContext, mailTestContext } from '../../mail/testing/context.ts';
import { createTenant } from '../../tenants/index.ts';
import { preferencesUrl, signPreferencesToken } from '../consent.links.ts';

/**
 * The preference centre over real HTTP and a real database: the page in the contact's
 * language, answers saved as the contact's own change (the consent core's queue),
 * subscriptions ended and started, "unsubscribe from all", and links asked for by email.
 */

let ctx: MailTestContext;
let n = 0;

before(async () => {
  ctx = await mailTestContext();
});
after(async () => {
  await ctx.close();
});

type OutboxItem = { to: string; subject: string; text: string };

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token = ctx.token) =>
  ctx.app.inject({
    method,
    url,
    headers: bearer(token),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

async function mailsTo(
  email: string,
  count = 1,
  filter: (m: OutboxItem) => boolean = () => true,
): Promise<OutboxItem[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await api('GET', '/api/v1/outbox?limit=200');
    const items = (response.json() as { items: OutboxItem[] }).items.filter(
      (m) => m.to.includes(email) && filter(m),
    );
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function contact(language = 'de') {
  n += 1;
  const email = `pref${n}@example.net`;
  const response = await api('POST', '/api/v1/contacts', {
    firstName: 'Bea',
    lastName: `Beispiel${n}`,
    email,
    language,
  });
  assert.equal(response.statusCode, 201, response.body);
  return { id: (response.json() as { id: string }).id, email };
}

async function newsletter(overrides: Record<string, unknown> = {}) {
  n += 1;
  const response = await api('POST', '/api/v1/newsletters', {
    name: `Brief ${n}`,
    languages: ['de', 'fr'],
    texts: {
      de: { title: `Brief ${n}`, description: 'Neues aus dem Laden', optOutText: `Keinen Brief ${n} mehr` },
      fr: { title: `Lettre ${n}`, description: 'Les nouveautés' },
    },
    welcomeEnabled: false,
    ...overrides,
  });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json() as { id: string }).id;
}

async function question() {
  n += 1;
  const response = await api('POST', '/api/v1/consent-questions', {
    key: `werbung-${n}`,
    purpose: 'dpv:DirectMarketing',
    channel: 'email',
    texts: {
      de: { label: 'Dürfen wir Ihnen Angebote per E-Mail senden?' },
      fr: { label: 'Offres par e-mail ?' },
    },
    options: [
      { key: 'yes', label: { de: 'Ja, gerne', fr: 'Oui' }, polarity: 'grant' },
      { key: 'no', label: { de: 'Nein', fr: 'Non' }, polarity: 'neutral' },
    ],
  });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json() as { id: string }).id;
}

const pageOf = (contactId: string) =>
  new URL(preferencesUrl('http://x', ctx.secrets, ctx.tenantId, contactId)).pathname;

const post = (url: string, body: string) =>
  ctx.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: body,
  });

async function statuses(contactId: string): Promise<Record<string, string>> {
  const rows = await ctx.database.asOwner((s) =>
    s.query<{ newsletter_id: string; status: string }>(
      'SELECT newsletter_id, status FROM subscription WHERE contact_id = $1',
      [contactId],
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.newsletter_id, r.status]));
}

function assertPublicPage(response: { headers: Record<string, unknown>; body: string }, lang: string) {
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
  assert.equal(response.headers['set-cookie'], undefined);
  assert.match(response.body, new RegExp(`<html lang="${lang}">`));
  assert.ok(!/<script/i.test(response.body));
}

test("changing an answer in the preference centre records it as the contact's change", async () => {
  const questionId = await question();
  const person = await contact('fr-CH');
  const staff = await api('PUT', `/api/v1/contacts/${person.id}/consents`, {
    answers: [{ questionId, optionKey: 'yes' }],
  });
  assert.equal(staff.statusCode, 200, staff.body);

  const url = pageOf(person.id);
  const page = await ctx.app.inject({ url });
  assert.equal(page.statusCode, 200, page.body);
  assertPublicPage(page, 'fr');
  assert.match(page.body, /Vos préférences/);
  assert.match(page.body, /<legend>Offres par e-mail \?<\/legend>/);
  const yes = new RegExp(
    `<input type="radio" id="q-${questionId}-0" name="q\\.${questionId}" value="yes" checked>`,
  );
  assert.match(page.body, yes, 'the current answer is chosen');
  assert.match(page.body, new RegExp(`<label for="q-${questionId}-1">Non</label>`));
  assert.match(page.body, new RegExp(`name="v\\.${questionId}" value="1"`));

  // Saving the page as it is changes nothing.
  const same = await post(`${url}?lang=fr`, `action=save&q.${questionId}=yes&v.${questionId}=1`);
  assert.equal(same.statusCode, 303, same.body);
  const none = await ctx.database.asOwner((s) =>
    s.query('SELECT 1 FROM consent_change WHERE contact_id = $1', [person.id]),
  );
  assert.equal(none.length, 0);

  const saved = await post(`${url}?lang=fr`, `action=save&q.${questionId}=no&v.${questionId}=1`);
  assert.equal(saved.statusCode, 303, saved.body);
  assert.match(String(saved.headers.location), /^\/public\/preferences\/[A-Za-z0-9_-]+\?lang=fr&done=saved$/);
  const after = await ctx.app.inject({ url: String(saved.headers.location) });
  assert.equal(after.statusCode, 200);
  assert.match(after.body, /Vos préférences sont enregistrées/);
  assert.match(after.body, /value="no" checked>/);

  // The contact's own change: unprocessed, in the privacy officer's queue.
  const changes = await api('GET', '/api/v1/consent-changes?status=open');
  assert.equal(changes.statusCode, 200, changes.body);
  const mine = (
    changes.json().items as { contactId: string; kind: string; processedAt: string | null }[]
  ).filter((c) => c.contactId === person.id);
  assert.equal(mine.length, 1, changes.body);
  assert.equal(mine[0]?.kind, 'consent');
  const events = await ctx.database.asOwner((s) =>
    s.query<{ source: string; by_contact: boolean; option_key: string; language: string }>(
      'SELECT source, by_contact, option_key, language FROM consent_event WHERE contact_id = $1 ORDER BY occurred_at',
      [person.id],
    ),
  );
  assert.deepEqual(events.at(-1), {
    source: 'preferences',
    by_contact: true,
    option_key: 'no',
    language: 'fr',
  });

  // A tampered answer: 400, the page again, nothing saved.
  const bad = await post(url, `action=save&q.${questionId}=maybe`);
  assert.equal(bad.statusCode, 400, bad.body);
  assertPublicPage(bad, 'fr');
  assert.match(bad.body, /role="alert"/);
});

test('preference centre: newsletters ticked and unticked, then unsubscribe from all', async () => {
  const confirmedOnce = await newsletter();
  const direct = await newsletter({ doubleOptIn: false });
  const fresh = await newsletter();
  const person = await contact('de');
  // Subscribed to `direct` (no DOI); `confirmedOnce` subscribed via DOI, then left.
  assert.equal(
    (await api('POST', '/api/v1/subscriptions', { contactId: person.id, newsletterId: direct })).statusCode,
    201,
  );
  assert.equal(
    (await api('POST', '/api/v1/subscriptions', { contactId: person.id, newsletterId: confirmedOnce }))
      .statusCode,
    201,
  );
  const [doi] = await mailsTo(person.email, 1, (m) => /bestätigen/.test(m.subject));
  assert.ok(doi);
  const link = /\/public\/newsletters\/confirm\/[A-Za-z0-9_-]+/.exec(doi.text)?.[0] ?? '';
  assert.equal((await ctx.app.inject({ method: 'POST', url: link, payload: {} })).statusCode, 200);

  const url = pageOf(person.id);
  const page = await ctx.app.inject({ url });
  assert.equal(page.statusCode, 200);
  assertPublicPage(page, 'de');
  for (const id of [confirmedOnce, direct]) {
    assert.match(
      page.body,
      new RegExp(`<input type="checkbox" id="nl-${id}" name="newsletter" value="${id}" checked`),
    );
  }
  assert.match(
    page.body,
    new RegExp(`<input type="checkbox" id="nl-${fresh}" name="newsletter" value="${fresh}" aria-describedby`),
  );
  assert.match(page.body, /Haken entfernen: Keinen Brief \d+ mehr/, 'the tenant’s opt-out text');
  assert.match(page.body, /<fieldset aria-describedby="nl-hint">\n<legend>Newsletter<\/legend>/);
  assert.match(page.body, /Von allen Newslettern abmelden/);

  // Untick `confirmedOnce`, tick `fresh` (never confirmed: double opt-in starts), keep `direct`.
  const shown = [confirmedOnce, direct, fresh].map((id) => `shown=${id}`).join('&');
  const saved = await post(url, `action=save&${shown}&newsletter=${direct}&newsletter=${fresh}`);
  assert.equal(saved.statusCode, 303, saved.body);
  assert.match(String(saved.headers.location), /done=confirm/);
  assert.deepEqual(await statuses(person.id), {
    [confirmedOnce]: 'unsubscribed',
    [direct]: 'subscribed',
    [fresh]: 'pending',
  });
  assert.equal(
    (await mailsTo(person.email, 2, (m) => /bestätigen/.test(m.subject))).length,
    2,
    'a DOI mail for `fresh`',
  );
  // Ticking `confirmedOnce` again: confirmed before, so subscribed at once (no new mail).
  const back = await post(
    url,
    `action=save&${shown}&newsletter=${direct}&newsletter=${fresh}&newsletter=${confirmedOnce}`,
  );
  assert.equal(back.statusCode, 303);
  assert.equal((await statuses(person.id))[confirmedOnce], 'subscribed');

  const all = await post(url, 'action=unsubscribe-all');
  assert.equal(all.statusCode, 303, all.body);
  assert.match(String(all.headers.location), /done=all/);
  assert.deepEqual(await statuses(person.id), {
    [confirmedOnce]: 'unsubscribed',
    [direct]: 'unsubscribed',
    [fresh]: 'unsubscribed',
  });
  const shownAfter = await ctx.app.inject({ url: String(all.headers.location) });
  assert.match(shownAfter.body, /Sie sind von allen Newslettern abgemeldet/);
  assert.ok(!shownAfter.body.includes('unsubscribe-all'), 'nothing left to leave');
  const changes = await ctx.database.asOwner((s) =>
    s.query<{ summary: { newsletterId: string; to: string } }>(
      `SELECT summary FROM consent_change WHERE contact_id = $1 AND kind = 'subscription' AND summary->>'to' = 'unsubscribed'`,
      [person.id],
    ),
  );
  assert.equal(changes.length, 4, 'each unsubscribe by the contact is queued for the privacy officer');
});

test('preference links: expired → 410 with a form for a new one, forged → 404; another tenant cannot be reached', async () => {
  const person = await contact('en');
  const old = signPreferencesToken(ctx.secrets, {
    tenantId: ctx.tenantId,
    contactId: person.id,
    issuedAt: new Date(Date.now() - 61 * 86_400_000),
  });
  const expired = await ctx.app.inject({ url: `/public/preferences/${old}` });
  assert.equal(expired.statusCode, 410);
  assertPublicPage(expired, 'en');
  assert.match(expired.body, /<form method="post" action="\/public\/preferences"/);
  assert.match(expired.body, new RegExp(`name="tenant" value="${ctx.tenantId}"`));
  assert.equal((await post(`/public/preferences/${old}`, 'action=unsubscribe-all')).statusCode, 410);
  const url = pageOf(person.id);
  const forged = `${url.slice(0, -2)}${url.endsWith('AA') ? 'BB' : 'AA'}`;
  assert.equal((await ctx.app.inject({ url: forged })).statusCode, 404);
  assert.equal((await post(forged, 'action=unsubscribe-all')).statusCode, 404);
  // A token for a contact id of another tenant, signed for ours: no such contact here.
  const other = await createTenant(ctx.database.db, { name: 'Fremd AG', adminEmail: 'admin@fremd.example' });
  const theirs = await api(
    'POST',
    '/api/v1/contacts',
    { firstName: 'Xaver', email: 'xaver@example.net' },
    other.apiToken,
  );
  const crossed = pageOf(theirs.json().id);
  assert.equal((await ctx.app.inject({ url: crossed })).statusCode, 404);
});

test('asking for a link: the same answer for known and unknown emails, at most 3 per email per 15 minutes, a fresh 60-day link', async () => {
  const person = await contact('de');
  const form = await ctx.app.inject({ url: `/public/preferences?tenant=${ctx.tenantId}&lang=de` });
  assert.equal(form.statusCode, 200);
  assertPublicPage(form, 'de');
  assert.match(form.body, /<label for="email">E-Mail-Adresse<\/label>/);
  assert.match(form.body, /autocomplete="email"/);

  const known = await post(
    '/public/preferences',
    `email=${encodeURIComponent(person.email.toUpperCase())}&lang=de`,
  );
  const unknown = await post('/public/preferences', `email=nobody-${n}%40example.net&lang=de`);
  assert.equal(known.statusCode, 200, known.body);
  assert.equal(unknown.statusCode, 200);
  assert.equal(known.body, unknown.body);
  const [mail] = await mailsTo(person.email, 1, (m) => /Einstellungen/.test(m.subject));
  assert.ok(mail, 'the link is in the outbox');
  const link = /http:\/\/localhost:3000(\/public\/preferences\/[A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';
  assert.match(mail.text, /gilt 60 Tage/);
  const page = await ctx.app.inject({ url: link });
  assert.equal(page.statusCode, 200, page.body);
  assert.match(page.body, /Ihre Einstellungen/);

  // Within one tenant only, when it is named.
  const scoped = await post(
    '/public/preferences',
    `email=${encodeURIComponent(person.email)}&tenant=${crypto.randomUUID()}`,
  );
  assert.equal(scoped.statusCode, 200);

  for (const email of [person.email, `ghost-${n}@example.net`]) {
    const statusesSeen: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await post('/public/preferences', `email=${encodeURIComponent(email)}`);
      statusesSeen.push(last.statusCode);
    }
    // The known address asked 2 times above (once in upper case, once scoped).
    const expected = email === person.email ? [200, 429, 429, 429] : [200, 200, 200, 429];
    assert.deepEqual(statusesSeen, expected, email);
    assert.ok(Number(last?.headers['retry-after']) > 0);
    assert.match(last?.body ?? '', /Zu viele Anfragen|Too many requests|Trop de demandes/);
  }
  const queued = await ctx.database.asOwner((s) =>
    s.query(`SELECT 1 FROM mail_message WHERE to_address = $1 AND subject LIKE '%Einstellungen%'`, [
      person.email,
    ]),
  );
  assert.equal(
    queued.length,
    2,
    'the first request and the first of the loop; none past the limit or for another tenant',
  );

  const invalid = await post('/public/preferences', 'email=not-an-address&lang=fr');
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.body, /aria-invalid="true"/);
});
