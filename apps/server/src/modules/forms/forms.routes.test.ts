import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { buildApp } from '../../app.ts';
import { createSecretBox } from '../../kernel/crypto/secret-box.ts';
import {
  createFormGuard,
  DEFAULT_GUARD_SETTINGS,
  type FormGuard,
  formGuardKey,
  type GuardSettings,
  solveForPost,
} from './index.ts';

/**
 * The forms module over real HTTP and a real database: the builder's API, the public
 * definition, and submissions with their spam defence, contact dedupe, timeline entries and
 * the automatic reply in the built-in mail catcher. The app is built with a secret box of the
 * test's own, so the test can mint tokens of any age (a person who took 10 s) with the same key.
 */

let ctx: TestContext;
let app: FastifyInstance;
let guard: FormGuard;
let tenant: { tenantId: string; apiToken: string };
let other: { tenantId: string; apiToken: string };

const SETTINGS: GuardSettings = { ...DEFAULT_GUARD_SETTINGS, powDifficulty: 40, submitsPerMinute: 20 };

before(async () => {
  ctx = await testContext({ work: true });
  const secrets = createSecretBox(randomBytes(32));
  app = await buildApp({
    config: {
      baseUrl: 'http://localhost:3000',
      rateLimit: 0,
      session: { idleMinutes: 30, maxHours: 12 },
      forms: {
        powDifficulty: SETTINGS.powDifficulty,
        minFillSeconds: SETTINGS.minFillSeconds,
        noJsMinFillSeconds: SETTINGS.noJsMinFillSeconds,
        submitsPerMinute: SETTINGS.submitsPerMinute,
      },
    },
    database: ctx.database,
    queue: ctx.queue,
    blobs: ctx.blobs,
    secrets,
    logger: silentLogger(),
    webDist: false,
  });
  guard = createFormGuard(formGuardKey(secrets), SETTINGS);
  tenant = await ctx.newTenant();
  other = await ctx.newTenant();
});

after(async () => {
  await app.close();
  await ctx.close();
});

function definition(overrides: Record<string, unknown> = {}) {
  return {
    languages: ['de', 'en', 'fr'],
    title: { de: 'Kontakt', en: 'Contact', fr: 'Contact' },
    fields: [
      {
        name: 'first_name',
        target: 'contact.firstName',
        type: 'text',
        label: { de: 'Vorname', en: 'First name' },
        required: false,
      },
      {
        name: 'last_name',
        target: 'contact.lastName',
        type: 'text',
        label: { de: 'Nachname', en: 'Last name' },
        required: true,
      },
      {
        name: 'email',
        target: 'contact.email',
        type: 'email',
        label: { de: 'E-Mail', en: 'Email' },
        required: true,
      },
      { name: 'phone', target: 'contact.phone', type: 'tel', label: { de: 'Telefon' }, required: false },
      {
        name: 'message',
        target: 'none',
        type: 'textarea',
        label: { de: 'Nachricht', en: 'Message' },
        required: false,
      },
    ],
    tags: ['website', 'anfrage'],
    overwrite: ['contact.phone'],
    successMessage: { de: 'Danke!', en: 'Thanks!' },
    autoReply: {
      enabled: true,
      subject: { de: 'Danke, {{ contact.firstName }}', en: 'Thank you', fr: 'Merci' },
      body: {
        de: 'Hallo {{ contact.firstName }},\nwir melden uns. <{{ form.name }}>',
        en: 'Hello {{ contact.firstName }}, we will be in touch.',
        fr: 'Bonjour {{ contact.firstName }}.',
      },
    },
    ...overrides,
  };
}

async function createForm(token = tenant.apiToken, def = definition(), status = 'published') {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(token),
    payload: { name: 'Kontaktformular', status, definition: def },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; version: number };
}

/** A post as a person's browser makes it: a token of 10 s ago and the solved challenge. */
async function humanFields(formId: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'GET', url: `/public/forms/${formId}/challenge` });
  assert.equal(res.statusCode, 200, res.body);
  return {
    _token: guard.issueToken(formId, Date.now() - 10_000),
    _hp: '',
    altcha: await solveForPost(res.json()),
  };
}

function post(formId: string, payload: Record<string, unknown>, remoteAddress = '203.0.113.1') {
  return app.inject({ method: 'POST', url: `/public/forms/${formId}`, payload, remoteAddress });
}

async function submissions(formId: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/forms/${formId}/submissions`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as {
    id: string;
    contactId: string;
    formVersion: number;
    data: Record<string, unknown>;
    autoReplyMessageId: string | null;
    status: 'received' | 'processed' | 'failed';
    failure: string | null;
  }[];
}

/** The answer comes before processing: waits (15 s at most) until the form's `count` submissions are processed. */
async function processed(formId: string, count: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const items = await submissions(formId);
    if (items.length >= count && items.every((s) => s.status !== 'received')) {
      assert.equal(items.length, count);
      assert.deepEqual(
        items.filter((s) => s.status === 'failed').map((s) => s.failure),
        [],
        'none failed',
      );
      return items;
    }
    assert.ok(Date.now() < deadline, `${count} submissions processed within 15 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function spam(formId: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/forms/${formId}/spam`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(res.statusCode, 200, res.body);
  return Object.fromEntries(
    (res.json().items as { reason: string; count: number }[]).map((i) => [i.reason, i.count]),
  );
}

async function contactsWithEmail(token: string, email: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/contacts?q=${encodeURIComponent(email)}`,
    headers: bearer(token),
  });
  assert.equal(res.statusCode, 200, res.body);
  return (
    res.json().items as {
      id: string;
      email: string;
      firstName: string | null;
      phone: string | null;
      tags: string[];
      updatedAt: string;
    }[]
  ).filter((c) => c.email.toLowerCase() === email.toLowerCase());
}

test('a definition without exactly one contact.email field, with an unknown target or a broken template is refused, naming each problem', async () => {
  const fields = definition().fields as { name: string; target: string }[];
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: {
      name: 'Kaputt',
      definition: definition({
        fields: [
          ...fields.filter((f) => f.name !== 'email'),
          { name: 'x', target: 'contact.nope', type: 'text', label: {}, required: false },
        ],
        autoReply: { enabled: true, subject: { de: 'Hi {{ contact.firstName ' }, body: { de: '{% if %}' } },
      }),
    },
  });
  assert.equal(res.statusCode, 400, res.body);
  const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
  assert.ok(paths.includes('definition.fields'), paths.join());
  assert.ok(paths.includes('definition.fields.4.target'), paths.join());
  assert.ok(paths.includes('definition.autoReply.subject.de'), paths.join());
  assert.ok(paths.includes('definition.autoReply.body.de'), paths.join());
  assert.ok(
    paths.includes('definition.autoReply.subject.en'),
    'an enabled reply needs every language of the form',
  );
});

test('a PATCH that changes the definition makes a new version; the list counts submissions; changes are audited', async () => {
  const form = await createForm();
  assert.equal(form.version, 1);
  const renamed = await app.inject({
    method: 'PATCH',
    url: `/api/v1/forms/${form.id}`,
    headers: bearer(tenant.apiToken),
    payload: { name: 'Neu' },
  });
  assert.equal(renamed.json().version, 1, 'a rename keeps the version');
  const changed = await app.inject({
    method: 'PATCH',
    url: `/api/v1/forms/${form.id}`,
    headers: bearer(tenant.apiToken),
    payload: { definition: definition({ tags: ['neu'] }) },
  });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().version, 2);
  assert.deepEqual(changed.json().definition.tags, ['neu']);
  const list = await app.inject({ method: 'GET', url: '/api/v1/forms', headers: bearer(tenant.apiToken) });
  const item = list.json().items.find((f: { id: string }) => f.id === form.id);
  assert.equal(item.submissionCount, 0);
  assert.equal(item.version, 2);
  const audit = await app.inject({
    method: 'GET',
    url: `/api/v1/audit-log?entityType=form`,
    headers: bearer(tenant.apiToken),
  });
  const actions = (audit.json().items as { action: string; entityId: string }[])
    .filter((e) => e.entityId === form.id)
    .map((e) => e.action);
  assert.deepEqual(actions.sort(), ['form.created', 'form.updated', 'form.updated']);
  const other = await app.inject({
    method: 'GET',
    url: `/api/v1/forms/${form.id}`,
    headers: bearer(otherToken()),
  });
  assert.equal(other.statusCode, 404, "another tenant's form is not there");
});

function otherToken() {
  return other.apiToken;
}

test('the public definition is in the asked language, with a token and a challenge, CORS * and no cookie', async () => {
  const form = await createForm();
  const res = await app.inject({ method: 'GET', url: `/public/forms/${form.id}/definition?lang=en` });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.language, 'en');
  assert.equal(body.fields[0].label, 'First name');
  assert.equal(body.fields[3].label, 'Telefon', 'a missing label falls back to the default language');
  assert.match(body.token, /^[0-9a-z]+\.[A-Za-z0-9_-]{24}$/);
  assert.equal(body.challenge.parameters.algorithm, 'SHA-256');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['set-cookie'], undefined);
  const draft = await createForm(tenant.apiToken, definition(), 'draft');
  const hidden = await app.inject({ method: 'GET', url: `/public/forms/${draft.id}/definition` });
  assert.equal(hidden.statusCode, 404, 'a draft is not public');
  const preflight = await app.inject({ method: 'OPTIONS', url: `/public/forms/${form.id}` });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], '*');
});

test('bots get the generic success but store nothing: honeypot filled, no challenge, a forged challenge, too fast, a replayed challenge — each counted', async () => {
  const form = await createForm();
  const email = 'bot@example.com';
  const values = { last_name: 'Bot', email, message: 'buy now' };
  const answers = [
    await post(form.id, { ...values, ...(await humanFields(form.id)), _hp: 'http://spam.example' }),
    await post(form.id, { ...values, ...(await humanFields(form.id)), altcha: undefined }),
    await post(form.id, {
      ...values,
      ...(await humanFields(form.id)),
      altcha: Buffer.from('{"challenge":{"parameters":{}},"solution":{}}').toString('base64'),
    }),
    await post(form.id, { ...values, ...(await humanFields(form.id)), _token: guard.issueToken(form.id) }),
    await post(form.id, {
      ...values,
      ...(await humanFields(form.id)),
      _token: guard.issueToken(form.id, Date.now() - 25 * 3600_000),
    }),
  ];
  for (const res of answers) {
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { ok: true, message: 'Danke!', redirectUrl: null });
  }
  assert.equal((await contactsWithEmail(tenant.apiToken, email)).length, 0, 'no contact');
  assert.equal((await submissions(form.id)).length, 0, 'no submission');
  // A solved challenge counts once.
  const fields = await humanFields(form.id);
  assert.equal((await post(form.id, { ...values, email: 'once@example.com', ...fields })).statusCode, 200);
  const replay = await post(form.id, { ...values, email: 'twice@example.com', ...fields });
  assert.deepEqual(replay.json(), { ok: true, message: 'Danke!', redirectUrl: null });
  assert.equal((await contactsWithEmail(tenant.apiToken, 'twice@example.com')).length, 0);
  assert.equal((await submissions(form.id)).length, 1);
  assert.deepEqual(await spam(form.id), { challenge: 2, honeypot: 1, replay: 1, too_fast: 1, token: 1 });
});

test('the same email twice (any case) → one contact, two submissions, two timeline entries; an existing contact keeps its values unless the form may overwrite them', async () => {
  const form = await createForm();
  const first = await post(form.id, {
    first_name: 'Anna',
    last_name: 'Muster',
    email: 'Anna.Muster@Example.com',
    phone: '030 1234567',
    message: 'Bitte um Rückruf',
    ...(await humanFields(form.id)),
  });
  assert.equal(first.statusCode, 200, first.body);
  const second = await post(form.id, {
    first_name: 'Annabelle',
    last_name: 'Muster',
    email: 'anna.muster@example.com',
    phone: '+41 44 668 18 00',
    ...(await humanFields(form.id)),
    _lang: 'fr',
  });
  assert.equal(second.statusCode, 200, second.body);
  await processed(form.id, 2);
  const contacts = await contactsWithEmail(tenant.apiToken, 'anna.muster@example.com');
  assert.equal(contacts.length, 1, 'one contact');
  const [contact] = contacts as [(typeof contacts)[number]];
  assert.equal(contact.firstName, 'Anna', 'not in overwrite: the first value stays');
  assert.equal(contact.phone, '+41446681800', 'in overwrite: the new value wins');
  assert.deepEqual([...contact.tags].sort(), ['anfrage', 'website']);
  const subs = (await submissions(form.id)).filter((s) => s.contactId === contact.id);
  assert.equal(subs.length, 2, 'two submissions');
  assert.equal(subs.find((s) => s.data.first_name === 'Anna')?.data.message, 'Bitte um Rückruf');
  const activities = await app.inject({
    method: 'GET',
    url: `/api/v1/contacts/${contact.id}/activities?kind=form_submission`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(activities.statusCode, 200, activities.body);
  assert.equal(activities.json().items.length, 2, 'two timeline entries');
});

test('an invalid email or a missing required field → 400 naming the form field; nothing is stored', async () => {
  const form = await createForm();
  const res = await post(form.id, {
    email: 'not-an-email',
    first_name: 'X',
    ...(await humanFields(form.id)),
  });
  assert.equal(res.statusCode, 400, res.body);
  const paths = (res.json().errors as { path: string }[]).map((e) => e.path).sort();
  assert.deepEqual(paths, ['last_name']);
  const bad = await post(form.id, { email: 'not-an-email', last_name: 'X', ...(await humanFields(form.id)) });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.deepEqual(
    (bad.json().errors as { path: string }[]).map((e) => e.path),
    ['email'],
  );
  assert.equal((await submissions(form.id)).length, 0);
  const huge = await post(form.id, { last_name: 'X', email: 'big@example.com', message: 'x'.repeat(40_000) });
  assert.equal(huge.statusCode, 413, 'more than 32 KiB');
});

test('a plain form post (urlencoded) answers 303; without the proof of work it counts only after the no-JS delay', async () => {
  const form = await createForm();
  const form303 = (fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: `/public/forms/${form.id}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
      remoteAddress: '203.0.113.9',
    });
  const quick = await form303({
    last_name: 'Quick',
    email: 'quick@example.com',
    _hp: '',
    _token: guard.issueToken(form.id, Date.now() - 4_000),
    _lang: 'en',
  });
  assert.equal(quick.statusCode, 303, quick.body);
  assert.equal(quick.headers.location, `/public/forms/${form.id}/thanks?lang=en`);
  assert.equal(
    (await contactsWithEmail(tenant.apiToken, 'quick@example.com')).length,
    0,
    'no proof of work, too soon',
  );
  const patient = await form303({
    last_name: 'Patient',
    email: 'patient@example.com',
    _hp: '',
    _token: guard.issueToken(form.id, Date.now() - 9_000),
  });
  assert.equal(patient.statusCode, 303);
  assert.equal(patient.headers.location, `/public/forms/${form.id}/thanks?lang=de`);
  await processed(form.id, 1);
  assert.equal((await contactsWithEmail(tenant.apiToken, 'patient@example.com')).length, 1, 'the no-JS path');
  const json = await post(form.id, {
    last_name: 'Json',
    email: 'json@example.com',
    _hp: '',
    _token: guard.issueToken(form.id, Date.now() - 60_000),
  });
  assert.equal(json.statusCode, 200);
  assert.equal(
    (await contactsWithEmail(tenant.apiToken, 'json@example.com')).length,
    0,
    'JSON posts always need the proof of work',
  );
});

test('200 rapid submissions from one address: the first 20 are answered, then 429 with Retry-After; another address is not affected', async () => {
  const form = await createForm();
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  for (let i = 0; i < 200; i += 1) {
    const res = await post(
      form.id,
      { last_name: 'Flood', email: `flood${i}@example.com`, _hp: 'x' },
      '198.51.100.7',
    );
    statuses.push(res.statusCode);
    if (res.statusCode === 429) retryAfter ??= res.headers['retry-after'] as string;
  }
  assert.deepEqual(statuses.slice(0, 20), Array(20).fill(200));
  assert.deepEqual(statuses.slice(20), Array(180).fill(429));
  assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60, `Retry-After ${retryAfter}`);
  const elsewhere = await post(
    form.id,
    { last_name: 'Other', email: 'other@example.com', _hp: 'x' },
    '198.51.100.8',
  );
  assert.equal(elsewhere.statusCode, 200);
});

test('a contact of another tenant with the same email is never touched', async () => {
  const theirs = await app.inject({
    method: 'POST',
    url: '/api/v1/contacts',
    headers: bearer(other.apiToken),
    payload: { firstName: 'Bernd', lastName: 'Fremd', email: 'shared@example.com' },
  });
  assert.equal(theirs.statusCode, 201, theirs.body);
  const form = await createForm();
  const res = await post(form.id, {
    first_name: 'Eve',
    last_name: 'Eigen',
    email: 'shared@example.com',
    ...(await humanFields(form.id)),
  });
  assert.equal(res.statusCode, 200, res.body);
  await processed(form.id, 1);
  const [mine] = await contactsWithEmail(tenant.apiToken, 'shared@example.com');
  assert.equal(mine?.firstName, 'Eve', 'a new contact in the form’s tenant');
  const after = await app.inject({
    method: 'GET',
    url: `/api/v1/contacts/${theirs.json().id}`,
    headers: bearer(other.apiToken),
  });
  assert.equal(after.json().firstName, 'Bernd');
  assert.deepEqual(after.json().tags, []);
  assert.equal(after.json().updatedAt, theirs.json().updatedAt);
});

test('the automatic reply lands in the outbox in the contact’s language with Auto-Submitted: auto-generated, once per submission', async () => {
  const form = await createForm();
  const res = await post(form.id, {
    first_name: 'Zoé',
    last_name: 'Martin',
    email: 'zoe.martin@example.fr',
    message: 'Visit http://spam.example now',
    ...(await humanFields(form.id)),
    _lang: 'fr',
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().message, 'Danke!', 'no French success message: the default language');
  const [submission] = await processed(form.id, 1);
  assert.ok(submission?.autoReplyMessageId, 'the submission names its reply');
  type OutboxItem = {
    to: string;
    subject: string;
    text: string;
    html: string | null;
    headers: Record<string, string>;
  };
  let found: OutboxItem | undefined;
  for (let i = 0; i < 100 && !found; i += 1) {
    const outbox = await app.inject({
      method: 'GET',
      url: '/api/v1/outbox',
      headers: bearer(tenant.apiToken),
    });
    assert.equal(outbox.statusCode, 200, outbox.body);
    found = (outbox.json().items as OutboxItem[]).find((m) => m.to.includes('zoe.martin@example.fr'));
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(found, 'the auto-reply reached the outbox');
  const header = Object.entries(found.headers).find(([k]) => k.toLowerCase() === 'auto-submitted')?.[1];
  assert.equal(header, 'auto-generated');
  assert.equal(found.subject, 'Merci');
  assert.match(found.text, /Bonjour Zoé\./);
  assert.doesNotMatch(found.text, /spam\.example/, 'free text is never echoed');
});

test('liquid templates are sandboxed: no file includes, HTML output escaped', async () => {
  const include = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: {
      name: 'Include',
      definition: definition({
        languages: ['de'],
        autoReply: { enabled: true, subject: { de: 'Hi' }, body: { de: "{% include 'package.json' %}" } },
      }),
    },
  });
  assert.equal(include.statusCode, 400, include.body);
  assert.equal(include.json().errors[0].path, 'definition.autoReply.body.de');
  const heavy = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: {
      name: 'Heavy',
      definition: definition({
        languages: ['de'],
        autoReply: {
          enabled: true,
          subject: { de: 'Hi' },
          body: { de: '{% for a in (1..100000) %}{% for b in (1..100000) %}x{% endfor %}{% endfor %}' },
        },
      }),
    },
  });
  assert.equal(heavy.statusCode, 400, 'a template that does not finish within the limits is refused');
  assert.equal(heavy.json().errors[0].path, 'definition.autoReply.body.de');
  const { renderReply, replyVariables } = await import('./forms.templates.ts');
  const def = (await import('./forms.schema.ts')).formDefinitionSchema.parse(definition());
  const reply = await renderReply(
    def,
    'de',
    replyVariables(
      {
        salutation: null,
        firstName: '<b>Eve</b>',
        lastName: 'www.spam.example',
        email: 'e@example.com',
        language: 'de',
      },
      'F<1>',
    ),
  );
  assert.match(reply.html, /&lt;F&lt;1&gt;&gt;/, 'template text and output escaped in HTML');
  assert.doesNotMatch(reply.html, /<b>Eve/);
  assert.doesNotMatch(reply.text, /spam/);
});

test('staff named in notifyUserIds get a notice with the values and a link to the contact', async () => {
  const { userId } = await ctx.newUser(tenant.tenantId, ['marketing']);
  const form = await createForm(tenant.apiToken, definition({ notifyUserIds: [userId] }));
  const res = await post(form.id, {
    last_name: 'Notice',
    email: 'notice@example.com',
    message: 'Bitte um ein Angebot',
    ...(await humanFields(form.id)),
  });
  assert.equal(res.statusCode, 200, res.body);
  await processed(form.id, 1);
  const messages = await app.inject({
    method: 'GET',
    url: '/api/v1/mail/messages',
    headers: bearer(tenant.apiToken),
  });
  assert.equal(messages.statusCode, 200, messages.body);
  const notices = (messages.json().items as { kind: string; subject: string }[]).filter(
    (m) => m.kind === 'notification' && m.subject === 'Neue Anfrage: Kontaktformular',
  );
  assert.equal(notices.length, 1);
  const users = await app.inject({
    method: 'GET',
    url: '/api/v1/forms/00000000-0000-4000-8000-000000000000',
    headers: bearer(tenant.apiToken),
  });
  assert.equal(users.statusCode, 404);
  const unknownUser = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: {
      name: 'X',
      definition: definition({ notifyUserIds: ['00000000-0000-4000-8000-000000000000'] }),
    },
  });
  assert.equal(unknownUser.statusCode, 400);
  assert.equal(unknownUser.json().errors[0].path, 'definition.notifyUserIds.0');
});
