import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { TEST_DB_KIND } from '../../../test/support/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import './consent.selections.ts';
import { sendDigest } from './consent.jobs.ts';
import { recordConsentAnswers, recordSubscriptionChange } from './consent.service.ts';

/**
 * The consent core over real HTTP and a real database: questions and their versions, answers
 * and their evidence, the GDPR tab, the privacy officer's queue, the log and reports, the
 * selection leaves and the marketing suppression, the digest.
 */

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function call(token: string, method: Method, url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function ok<T = Json>(
  token: string,
  method: Method,
  url: string,
  payload?: Json,
  status = 200,
): Promise<T> {
  const response = await call(token, method, url, payload);
  assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`);
  return response.json() as T;
}

async function newContact(token: string, body: Json): Promise<string> {
  return (await ok<{ id: string }>(token, 'POST', '/api/v1/contacts', body, 201)).id;
}

const yesNo = {
  purpose: 'dpv:DirectMarketing',
  channel: 'email',
  texts: {
    de: { label: 'Dürfen wir Ihnen Angebote per E-Mail senden?' },
    en: { label: 'May we send you offers by email?', help: 'You can withdraw at any time.' },
  },
  options: [
    { key: 'yes', label: { de: 'Ja', en: 'Yes' }, polarity: 'grant' },
    { key: 'no', label: { de: 'Nein', en: 'No' }, polarity: 'neutral' },
  ],
};

const doNotContact = {
  purpose: 'x-crm:ContactProhibition',
  channel: 'any',
  texts: { de: { label: 'Kontaktieren Sie mich nicht' }, en: { label: 'Contact' } },
  options: [
    { key: 'ok', label: { de: 'Kontakt erlaubt', en: 'You may contact me' }, polarity: 'neutral' },
    {
      key: 'never',
      label: { de: 'Nie kontaktieren', en: 'Do not contact me at all' },
      polarity: 'prohibition',
    },
  ],
};

async function newQuestion(token: string, key: string, body: Json = yesNo): Promise<Json & { id: string }> {
  return ok(token, 'POST', '/api/v1/consent-questions', { key, ...body }, 201);
}

type Answer = { questionId: string; optionKey: string; version?: number };

async function answer(
  tenantId: string,
  contactId: string,
  answers: Answer[],
  options: {
    byContact?: boolean;
    source?: 'form' | 'preferences' | 'staff' | 'import';
    occurredAt?: Date;
  } = {},
) {
  return withTenant(ctx.database.db, tenantId, (tx) =>
    recordConsentAnswers(tx, ctx.queue, {
      contactId,
      answers,
      source: options.source ?? 'preferences',
      sourceRef: 'test',
      byContact: options.byContact ?? true,
      language: 'de',
      ...(options.occurredAt ? { occurredAt: options.occurredAt } : {}),
    }),
  );
}

async function rows<T>(tenantId: string, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return withTenant(ctx.database.db, tenantId, async (tx) => (await query.execute(tx)).rows);
}

async function newNewsletter(tenantId: string, name: string): Promise<string> {
  const [row] = await rows<{ id: string }>(
    tenantId,
    sql`insert into newsletter (tenant_id, name, list_id, texts, languages)
      values (${tenantId}::uuid, ${name}, ${name.toLowerCase()}, '{"de":{"title":"News"}}', '{de}') returning id`,
  );
  return (row as { id: string }).id;
}

async function subscribe(
  tenantId: string,
  contactId: string,
  newsletterId: string,
  status: 'pending' | 'subscribed' | 'unsubscribed',
) {
  await rows(
    tenantId,
    sql`insert into subscription (tenant_id, contact_id, newsletter_id, status, legal_basis, language, source,
        confirmed_at, unsubscribed_at, expires_at)
      values (${tenantId}::uuid, ${contactId}::uuid, ${newsletterId}::uuid, ${status}, 'consent-doi', 'de', 'form',
        ${status === 'pending' ? null : new Date()}, ${status === 'unsubscribed' ? new Date() : null},
        ${status === 'pending' ? new Date(Date.now() + 86_400_000) : null})`,
  );
}

async function names(token: string, filter: Json, purpose: 'general' | 'marketing' = 'general') {
  const page = await ok<{ items: { lastName: string }[] }>(token, 'POST', '/api/v1/contacts/query', {
    filter,
    purpose,
    limit: 200,
  });
  return page.items.map((c) => c.lastName).sort();
}

async function auditOf(tenantId: string, entityId: string) {
  return rows<{ action: string; actorUserId: string | null; changes: Json }>(
    tenantId,
    sql`select action, actor_user_id, changes from audit_log where entity_id = ${entityId} order by seq`,
  );
}

test(`editing a question's wording keeps the old version attached to earlier consents (${TEST_DB_KIND})`, async () => {
  const { tenantId, apiToken: admin } = await ctx.newTenant();
  const question = await newQuestion(admin, 'email-offers');
  assert.equal(question.version, 1);
  assert.match(String(question.textHash), /^[0-9a-f]{64}$/);
  const early = await newContact(admin, { firstName: 'Anna', lastName: 'Early', email: 'anna@example.com' });
  const late = await newContact(admin, { firstName: 'Bert', lastName: 'Late', email: 'bert@example.com' });
  await answer(tenantId, early, [{ questionId: question.id, optionKey: 'yes' }], { source: 'form' });

  const edited = await ok<Json>(admin, 'PATCH', `/api/v1/consent-questions/${question.id}`, {
    texts: {
      de: { label: 'Möchten Sie unseren Angebots-Newsletter per E-Mail?' },
      en: { label: 'Would you like our offers by email?' },
    },
  });
  assert.equal(edited.version, 2);
  assert.notEqual(edited.textHash, question.textHash);
  // The same wording again makes no version.
  const same = await ok<Json>(admin, 'PATCH', `/api/v1/consent-questions/${question.id}`, {
    texts: edited.texts as Json,
  });
  assert.equal(same.version, 2);
  await answer(tenantId, late, [{ questionId: question.id, optionKey: 'yes' }], { source: 'form' });

  const versions = await ok<{ items: Json[] }>(
    admin,
    'GET',
    `/api/v1/consent-questions/${question.id}/versions`,
  );
  assert.deepEqual(
    versions.items.map((v) => [v.version, v.textHash]),
    [
      [2, edited.textHash],
      [1, question.textHash],
    ],
  );

  const tab = async (id: string) =>
    (await ok<{ consents: Json[] }>(admin, 'GET', `/api/v1/contacts/${id}/gdpr?lang=de`)).consents.find(
      (c) => c.questionId === question.id,
    );
  const earlyTab = await tab(early);
  assert.equal(earlyTab?.question, 'Dürfen wir Ihnen Angebote per E-Mail senden?');
  assert.equal(earlyTab?.version, 1);
  assert.equal(earlyTab?.currentVersion, 2);
  const lateTab = await tab(late);
  assert.equal(lateTab?.question, 'Möchten Sie unseren Angebots-Newsletter per E-Mail?');
  assert.equal(lateTab?.version, 2);

  const log = await ok<{ items: Json[] }>(
    admin,
    'GET',
    `/api/v1/consent-log?questionId=${question.id}&lang=en`,
  );
  const consents = log.items.filter((e) => e.type === 'consent');
  assert.deepEqual(
    consents.map((e) => [e.contactId, e.version, e.question, e.answer, e.textHash]),
    [
      [late, 2, 'Would you like our offers by email?', 'Yes', edited.textHash],
      [early, 1, 'May we send you offers by email?', 'Yes', question.textHash],
    ],
  );

  // What an answer means cannot change once someone answered; the wording can (above).
  const refused = await call(admin, 'PATCH', `/api/v1/consent-questions/${question.id}`, { channel: 'any' });
  assert.equal(refused.statusCode, 409, refused.body);
  assert.equal(refused.json().code, 'CONSENT_QUESTION_IN_USE');
  assert.deepEqual(
    refused.json().errors.map((e: { path: string }) => e.path),
    ['channel'],
  );

  // The stored evidence cannot be rewritten by the application.
  await assert.rejects(
    rows(tenantId, sql`update consent_question_version set texts = '{}' where question_id = ${question.id}`),
    /permission denied/,
  );
  await assert.rejects(rows(tenantId, sql`update consent_event set option_key = 'no'`), /permission denied/);
  await assert.rejects(rows(tenantId, sql`delete from consent_event`), /permission denied/);

  const audit = await auditOf(tenantId, question.id);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['consent_question.created', 'consent_question.updated'],
  );
  assert.deepEqual((audit[1]?.changes.after as Json | undefined)?.version, 2);

  // Deleting a question with answers archives it; the GDPR tab keeps the answered one.
  const deleted = await ok<Json>(admin, 'DELETE', `/api/v1/consent-questions/${question.id}`);
  assert.equal(deleted.outcome, 'archived');
  assert.equal((await tab(early))?.archived, true);
  const unused = await newQuestion(admin, 'unused');
  assert.equal(
    (await ok<Json>(admin, 'DELETE', `/api/v1/consent-questions/${unused.id}`)).outcome,
    'deleted',
  );
  assert.equal((await call(admin, 'GET', `/api/v1/consent-questions/${unused.id}`)).statusCode, 404);
});

test('a contact with the "do not contact me at all" prohibition is absent from every marketing selection even when tagged and subscribed', async () => {
  const { tenantId, apiToken: admin } = await ctx.newTenant();
  const prohibition = await newQuestion(admin, 'no-contact', doNotContact);
  const tracking = await newQuestion(admin, 'tracking', {
    ...doNotContact,
    purpose: 'dpv:ServiceUsageAnalytics',
    channel: 'email',
  });
  const newsletter = await newNewsletter(tenantId, 'Offers');
  const forbidden = await newContact(admin, { lastName: 'Forbidden', tags: ['VIP'] });
  const welcome = await newContact(admin, { lastName: 'Welcome', tags: ['VIP'] });
  const untracked = await newContact(admin, { lastName: 'Untracked', tags: ['VIP'] });
  for (const id of [forbidden, welcome, untracked]) await subscribe(tenantId, id, newsletter, 'subscribed');
  await answer(tenantId, forbidden, [{ questionId: prohibition.id, optionKey: 'never' }]);
  await answer(tenantId, welcome, [{ questionId: prohibition.id, optionKey: 'ok' }]);
  // A prohibition of open tracking by email is no prohibition of marketing.
  await answer(tenantId, untracked, [{ questionId: tracking.id, optionKey: 'never' }]);

  const filter = { all: [{ tag: { hasAll: ['VIP'] } }, { newsletter, status: 'subscribed' }] };
  assert.deepEqual(await names(admin, filter), ['Forbidden', 'Untracked', 'Welcome']);
  assert.deepEqual(await names(admin, filter, 'marketing'), ['Untracked', 'Welcome']);
  assert.deepEqual(await names(admin, { all: [] }, 'marketing'), ['Untracked', 'Welcome']);
  assert.deepEqual(await names(admin, { not: { all: [] } }, 'marketing'), []);
  const live = await ok<Json>(admin, 'POST', '/api/v1/selections/count', { filter, purpose: 'marketing' });
  assert.equal(live.count, 2);

  const marketing = await ok<Json & { id: string }>(
    admin,
    'POST',
    '/api/v1/selections',
    { name: 'VIP offers', purpose: 'marketing', filter },
    201,
  );
  assert.equal(marketing.purpose, 'marketing');
  const general = await ok<Json & { id: string }>(
    admin,
    'POST',
    '/api/v1/selections',
    { name: 'VIP all', filter },
    201,
  );
  assert.equal(general.purpose, 'general');
  const members = async (id: string) =>
    (await ok<{ items: { lastName: string }[] }>(admin, 'GET', `/api/v1/selections/${id}/contacts`)).items
      .map((c) => c.lastName)
      .sort();
  assert.deepEqual(await members(marketing.id), ['Untracked', 'Welcome']);
  assert.equal((await ok<Json>(admin, 'GET', `/api/v1/selections/${marketing.id}/count`)).count, 2);
  assert.deepEqual(await members(general.id), ['Forbidden', 'Untracked', 'Welcome']);

  // A general selection turned marketing suppresses too; the prohibition lifted, the contact is back.
  await ok(admin, 'PATCH', `/api/v1/selections/${general.id}`, { purpose: 'marketing' });
  assert.deepEqual(await members(general.id), ['Untracked', 'Welcome']);
  await answer(tenantId, forbidden, [{ questionId: prohibition.id, optionKey: 'ok' }]);
  assert.deepEqual(await members(marketing.id), ['Forbidden', 'Untracked', 'Welcome']);
  // A prohibition of direct marketing by post excludes too (a selection names no channel yet).
  const brochures = await newQuestion(admin, 'brochures', {
    ...doNotContact,
    purpose: 'dpv:DirectMarketing',
    channel: 'postal',
  });
  await answer(tenantId, welcome, [{ questionId: brochures.id, optionKey: 'never' }]);
  assert.deepEqual(await members(marketing.id), ['Forbidden', 'Untracked']);
});

test('an answer changed by the contact becomes an unprocessed change; processing it records who and when', async () => {
  const { tenantId, apiToken: admin, adminUserId } = await ctx.newTenant();
  const officer = await ctx.newUser(tenantId, ['privacy_officer']);
  const question = await newQuestion(admin, 'email-offers');
  const hook = await ok<{ id: string }>(
    admin,
    'POST',
    '/api/v1/webhooks',
    { url: 'http://127.0.0.1:9/hook', eventTypes: ['consent.changed'] },
    201,
  );
  assert.ok(hook.id);
  const contact = await newContact(admin, {
    firstName: 'Clara',
    lastName: 'Change',
    email: 'clara@example.com',
  });
  const zero = await ok<Json>(officer.token, 'GET', '/api/v1/consent-changes/count');
  assert.deepEqual(zero, { open: 0, oldestOpenAt: null });

  // Staff recording an answer is no change to process.
  const staff = await ok<{ changed: number; consents: Json[] }>(
    admin,
    'PUT',
    `/api/v1/contacts/${contact}/consents`,
    {
      answers: [{ questionId: question.id, optionKey: 'yes' }],
      note: 'phone call',
    },
  );
  assert.equal(staff.changed, 1);
  assert.equal(staff.consents.find((c) => c.questionId === question.id)?.source, 'staff');
  assert.equal((await ok<Json>(officer.token, 'GET', '/api/v1/consent-changes/count')).open, 0);
  assert.equal((await auditOf(tenantId, contact)).at(-1)?.action, 'contact.consents_recorded');

  // The contact withdraws in the preference centre.
  const result = await answer(tenantId, contact, [{ questionId: question.id, optionKey: 'no' }]);
  assert.deepEqual(result, { changed: 1 });
  // The same answer again changes nothing (but is kept as evidence).
  assert.deepEqual(await answer(tenantId, contact, [{ questionId: question.id, optionKey: 'no' }]), {
    changed: 0,
  });
  const count = await ok<Json>(officer.token, 'GET', '/api/v1/consent-changes/count');
  assert.equal(count.open, 1);
  assert.ok(count.oldestOpenAt);

  const open = await ok<{ items: Json[] }>(
    officer.token,
    'GET',
    '/api/v1/consent-changes?status=open&lang=en',
  );
  assert.equal(open.items.length, 1);
  const change = open.items[0] as Json & { id: string };
  assert.equal(change.kind, 'consent');
  assert.equal(change.contactId, contact);
  assert.equal(change.contactName, 'Clara Change');
  assert.deepEqual(change.summary, { questionId: question.id, from: 'yes', to: 'no' });
  assert.equal(change.question, 'May we send you offers by email?');
  assert.deepEqual([change.from, change.to], ['Yes', 'No']);
  assert.equal(change.processedAt, null);

  const before = (await ok<{ consents: Json[] }>(admin, 'GET', `/api/v1/contacts/${contact}/gdpr`))
    .consents[0];
  assert.equal(before?.state, 'dpv:ConsentWithdrawn');
  assert.equal(before?.granted, false);
  assert.equal(before?.processedAt, null);

  const processed = await ok<Json>(officer.token, 'POST', `/api/v1/consent-changes/${change.id}/process`, {
    actionTaken: 'removed from the offers mailing list',
  });
  assert.equal(processed.processedBy, officer.userId);
  assert.ok(processed.processedAt);
  assert.equal(processed.actionTaken, 'removed from the offers mailing list');
  const again = await call(officer.token, 'POST', `/api/v1/consent-changes/${change.id}/process`, {
    actionTaken: 'again',
  });
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(again.json().code, 'CONSENT_CHANGE_PROCESSED');
  assert.equal(again.json().processedBy, officer.userId);
  assert.deepEqual(await ok<Json>(officer.token, 'GET', '/api/v1/consent-changes/count'), {
    open: 0,
    oldestOpenAt: null,
  });
  const done = await ok<{ items: Json[] }>(officer.token, 'GET', '/api/v1/consent-changes?status=done');
  assert.deepEqual(
    done.items.map((c) => c.id),
    [change.id],
  );
  const after = (await ok<{ consents: Json[] }>(admin, 'GET', `/api/v1/contacts/${contact}/gdpr`))
    .consents[0];
  assert.equal(after?.processedAt, processed.processedAt);

  const audit = await auditOf(tenantId, change.id);
  assert.deepEqual(
    audit.map((a) => [a.action, a.actorUserId]),
    [['consent_change.processed', officer.userId]],
  );
  const log = await ok<{ items: Json[] }>(officer.token, 'GET', `/api/v1/consent-log?contactId=${contact}`);
  assert.deepEqual(
    log.items.map((e) => [e.type, e.byContact, e.actorUserId, e.optionKey]),
    [
      ['processing', false, officer.userId, 'no'],
      ['consent', true, null, 'no'],
      ['consent', true, null, 'no'],
      ['consent', false, adminUserId, 'yes'],
    ],
  );
  assert.equal(log.items[0]?.actionTaken, 'removed from the offers mailing list');
  const staffOnly = await ok<{ items: Json[] }>(
    officer.token,
    'GET',
    `/api/v1/consent-log?contactId=${contact}&source=staff`,
  );
  assert.deepEqual(
    staffOnly.items.map((e) => e.source),
    ['staff'],
  );

  // A subscription change by the contact queues too (once per subscription event).
  const newsletter = await newNewsletter(tenantId, 'Offers');
  const subscriptionEventId = '4f6b7c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b';
  for (let i = 0; i < 2; i += 1) {
    await withTenant(ctx.database.db, tenantId, (tx) =>
      recordSubscriptionChange(tx, {
        contactId: contact,
        subscriptionEventId,
        newsletterId: newsletter,
        from: 'subscribed',
        to: 'unsubscribed',
      }),
    );
  }
  const subscriptionChanges = await ok<{ items: Json[] }>(officer.token, 'GET', '/api/v1/consent-changes');
  assert.deepEqual(
    subscriptionChanges.items.map((c) => [c.kind, c.summary]),
    [['subscription', { newsletterId: newsletter, from: 'subscribed', to: 'unsubscribed' }]],
  );

  // The webhook: one consent.changed per change (staff's and the contact's), none for the repeat.
  const events = await rows<{ payload: { data: Json } }>(
    tenantId,
    sql`select payload from webhook_event where type = 'consent.changed' order by created_at`,
  );
  assert.deepEqual(
    events.map((e) => [e.payload.data.from, e.payload.data.to, e.payload.data.source, e.payload.data.state]),
    [
      [null, 'yes', 'staff', 'dpv:ConsentGiven'],
      ['yes', 'no', 'preferences', 'dpv:ConsentWithdrawn'],
    ],
  );
  assert.equal(events[0]?.payload.data.questionKey, 'email-offers');
});

test('the GDPR tab shows every question with its current answer, granted/prohibition flags, source and times', async () => {
  const { tenantId, apiToken: admin, adminUserId } = await ctx.newTenant();
  const offers = await newQuestion(admin, 'email-offers');
  const never = await newQuestion(admin, 'no-contact', doNotContact);
  const phone = await newQuestion(admin, 'phone', { ...yesNo, channel: 'phone' });
  const retired = await newQuestion(admin, 'retired');
  await ok(admin, 'PATCH', `/api/v1/consent-questions/${retired.id}`, { archived: true });
  const contact = await newContact(admin, { lastName: 'Gdpr', email: 'gdpr@example.com' });
  const at = new Date('2026-11-20T10:00:00.000Z');
  await answer(tenantId, contact, [{ questionId: offers.id, optionKey: 'yes' }], {
    source: 'form',
    occurredAt: at,
  });
  await ok(admin, 'PUT', `/api/v1/contacts/${contact}/consents`, {
    answers: [{ questionId: never.id, optionKey: 'never' }],
    language: 'en',
  });
  const newsletter = await newNewsletter(tenantId, 'Weekly');
  await subscribe(tenantId, contact, newsletter, 'pending');

  const gdpr = await ok<{ consents: Json[]; subscriptions: Json[] }>(
    admin,
    'GET',
    `/api/v1/contacts/${contact}/gdpr?lang=en`,
  );
  assert.deepEqual(
    gdpr.consents.map((c) => c.questionId),
    [offers.id, never.id, phone.id],
    'every current question, in creation order; the archived unanswered one is left out',
  );
  const [granted, prohibited, open] = gdpr.consents as [Json, Json, Json];
  for (const field of [
    'questionId',
    'question',
    'answer',
    'granted',
    'prohibition',
    'changedAt',
    'source',
    'processedAt',
  ]) {
    assert.ok(field in granted, `consents[].${field}`);
  }
  assert.deepEqual(
    {
      question: granted.question,
      answer: granted.answer,
      granted: granted.granted,
      prohibition: granted.prohibition,
      changedAt: granted.changedAt,
      source: granted.source,
      processedAt: granted.processedAt,
      state: granted.state,
    },
    {
      question: 'May we send you offers by email?',
      answer: 'Yes',
      granted: true,
      prohibition: false,
      changedAt: at.toISOString(),
      source: 'form',
      processedAt: null,
      state: 'dpv:ConsentGiven',
    },
  );
  assert.equal(prohibited.answer, 'Do not contact me at all');
  assert.equal(prohibited.granted, false);
  assert.equal(prohibited.prohibition, true);
  assert.equal(prohibited.source, 'staff');
  assert.equal(prohibited.state, 'dpv:Prohibition');
  assert.ok(prohibited.changedAt);
  assert.equal(prohibited.processedAt, prohibited.changedAt, 'a staff answer needs no processing');
  assert.deepEqual(
    [open.answer, open.granted, open.prohibition, open.changedAt, open.source, open.processedAt, open.state],
    [null, false, false, null, null, null, null],
  );
  assert.deepEqual(gdpr.subscriptions, [
    {
      newsletterId: newsletter,
      status: 'pending',
      requestedAt: (gdpr.subscriptions[0] as Json).requestedAt,
      confirmedAt: null,
      unsubscribedAt: null,
      ...(Object.hasOwn(gdpr.subscriptions[0] as Json, 'newsletter') ? { newsletter: 'Weekly' } : {}),
      ...(Object.hasOwn(gdpr.subscriptions[0] as Json, 'legalBasis') ? { legalBasis: 'consent-doi' } : {}),
    },
  ]);
  const german = await ok<{ consents: Json[] }>(admin, 'GET', `/api/v1/contacts/${contact}/gdpr?lang=de`);
  assert.equal(german.consents[0]?.answer, 'Ja');

  // Reading the tab is a read of the contact's personal data.
  const reads = await rows<{ purpose: string; userId: string }>(
    tenantId,
    sql`select purpose, user_id from access_log where ${contact}::uuid = any(record_ids) order by occurred_at`,
  );
  assert.ok(
    reads.some((r) => r.purpose === 'GET /api/v1/contacts/{id}/gdpr' && r.userId === adminUserId),
    JSON.stringify(reads),
  );

  // Staff answers are checked: an unknown option names its place; an archived question is refused.
  const bad = await call(admin, 'PUT', `/api/v1/contacts/${contact}/consents`, {
    answers: [
      { questionId: offers.id, optionKey: 'yes' },
      { questionId: phone.id, optionKey: 'maybe' },
    ],
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.deepEqual(
    bad.json().errors.map((e: { path: string }) => e.path),
    ['answers.1.optionKey'],
  );
  const archived = await call(admin, 'PUT', `/api/v1/contacts/${contact}/consents`, {
    answers: [{ questionId: retired.id, optionKey: 'yes' }],
  });
  assert.equal(archived.statusCode, 400, archived.body);

  // Erasing the contact erases its consents, evidence and changes with it.
  const erased = await call(admin, 'DELETE', `/api/v1/contacts/${contact}`);
  assert.equal(erased.statusCode, 204, erased.body);
  const left = await rows<{ n: string }>(
    tenantId,
    sql`select (select count(*) from consent_event) + (select count(*) from consent_record)
      + (select count(*) from consent_change) as n`,
  );
  assert.equal(Number(left[0]?.n), 0);
});

test('rights: Sales gets 403 on consent-questions writes; another tenant’s contact and question are 404', async () => {
  const { tenantId, apiToken: admin } = await ctx.newTenant();
  const other = await ctx.newTenant();
  const sales = await ctx.newUser(tenantId, ['sales']);
  const question = await newQuestion(admin, 'email-offers');
  for (const [method, url, body] of [
    ['POST', '/api/v1/consent-questions', { key: 'x', ...yesNo }],
    ['PATCH', `/api/v1/consent-questions/${question.id}`, { texts: yesNo.texts }],
    ['DELETE', `/api/v1/consent-questions/${question.id}`, undefined],
    ['POST', `/api/v1/consent-changes/${question.id}/process`, { actionTaken: 'x' }],
    ['PUT', '/api/v1/settings/consent', { digestEnabled: true, digestRecipientUserIds: [] }],
  ] as const) {
    const response = await call(sales.token, method, url, body as Json | undefined);
    assert.equal(response.statusCode, 403, `${method} ${url}: ${response.body}`);
  }
  // Sales may read a contact's GDPR tab (contacts:read) and record what a contact told them.
  const contact = await newContact(admin, { lastName: 'Rights' });
  await ok(sales.token, 'GET', `/api/v1/contacts/${contact}/gdpr`);
  await ok(sales.token, 'PUT', `/api/v1/contacts/${contact}/consents`, {
    answers: [{ questionId: question.id, optionKey: 'yes' }],
  });

  const foreign = await newContact(other.apiToken, { lastName: 'Elsewhere' });
  const gdpr = await call(admin, 'GET', `/api/v1/contacts/${foreign}/gdpr`);
  assert.equal(gdpr.statusCode, 404, gdpr.body);
  const put = await call(admin, 'PUT', `/api/v1/contacts/${foreign}/consents`, {
    answers: [{ questionId: question.id, optionKey: 'yes' }],
  });
  assert.equal(put.statusCode, 404, put.body);
  assert.equal(
    (await call(other.apiToken, 'GET', `/api/v1/consent-questions/${question.id}`)).statusCode,
    404,
  );
  // Another tenant's question is unknown here: a form of that tenant cannot offer it.
  await assert.rejects(
    answer(other.tenantId, foreign, [{ questionId: question.id, optionKey: 'yes' }]),
    /CONSENT_UNKNOWN_QUESTION|unknown/,
  );
});

test('the selection leaves consent and newsletter filter correctly', async () => {
  const { tenantId, apiToken: admin } = await ctx.newTenant();
  const offers = await newQuestion(admin, 'email-offers');
  const never = await newQuestion(admin, 'no-contact', doNotContact);
  const news = await newNewsletter(tenantId, 'News');
  const granted = await newContact(admin, { lastName: 'Granted' });
  const refused = await newContact(admin, { lastName: 'Refused' });
  const withdrawn = await newContact(admin, { lastName: 'Withdrawn' });
  const prohibited = await newContact(admin, { lastName: 'Prohibited' });
  await newContact(admin, { lastName: 'Silent' });
  await answer(tenantId, granted, [{ questionId: offers.id, optionKey: 'yes' }]);
  await answer(tenantId, refused, [{ questionId: offers.id, optionKey: 'no' }]);
  await answer(tenantId, withdrawn, [{ questionId: offers.id, optionKey: 'yes' }]);
  await answer(tenantId, withdrawn, [{ questionId: offers.id, optionKey: 'no' }]);
  await answer(tenantId, prohibited, [{ questionId: never.id, optionKey: 'never' }]);
  await subscribe(tenantId, granted, news, 'subscribed');
  await subscribe(tenantId, refused, news, 'pending');
  await subscribe(tenantId, withdrawn, news, 'unsubscribed');

  assert.deepEqual(await names(admin, { consent: 'email-offers', state: 'granted' }), ['Granted']);
  assert.deepEqual(await names(admin, { consent: offers.id, state: 'granted' }), ['Granted']);
  assert.deepEqual(await names(admin, { consent: 'email-offers', state: 'refused' }), [
    'Refused',
    'Withdrawn',
  ]);
  assert.deepEqual(await names(admin, { consent: 'email-offers', state: 'none' }), ['Prohibited', 'Silent']);
  assert.deepEqual(await names(admin, { consent: 'no-contact', state: 'prohibited' }), ['Prohibited']);
  assert.deepEqual(await names(admin, { not: { consent: 'email-offers', state: 'granted' } }), [
    'Prohibited',
    'Refused',
    'Silent',
    'Withdrawn',
  ]);
  assert.deepEqual(await names(admin, { consent: 'no-such-question', state: 'granted' }), []);
  assert.equal((await names(admin, { consent: 'no-such-question', state: 'none' })).length, 5);

  assert.deepEqual(await names(admin, { newsletter: news, status: 'subscribed' }), ['Granted']);
  assert.deepEqual(await names(admin, { newsletter: news, status: 'pending' }), ['Refused']);
  assert.deepEqual(await names(admin, { newsletter: news, status: 'unsubscribed' }), ['Withdrawn']);
  assert.deepEqual(await names(admin, { newsletter: news, status: 'none' }), ['Prohibited', 'Silent']);
  assert.deepEqual(
    await names(admin, {
      any: [
        { newsletter: news, status: 'subscribed' },
        { consent: 'no-contact', state: 'prohibited' },
      ],
    }),
    ['Granted', 'Prohibited'],
  );

  const missing = await call(admin, 'POST', '/api/v1/selections/count', {
    filter: { consent: 'email-offers' },
  });
  assert.equal(missing.statusCode, 400, missing.body);
  assert.deepEqual(
    missing.json().errors.map((e: { path: string }) => e.path),
    ['filter.state'],
  );
  const wrong = await call(admin, 'POST', '/api/v1/selections/count', {
    filter: { newsletter: news, state: 'granted' },
  });
  assert.equal(wrong.statusCode, 400, wrong.body);
});

test('the reports count answers per question and option, and open changes by age', async () => {
  const { tenantId, apiToken: admin } = await ctx.newTenant();
  const officer = await ctx.newUser(tenantId, ['privacy_officer']);
  const offers = await newQuestion(admin, 'email-offers');
  const a = await newContact(admin, { lastName: 'A' });
  const b = await newContact(admin, { lastName: 'B' });
  await answer(tenantId, a, [{ questionId: offers.id, optionKey: 'yes' }], {
    occurredAt: new Date('2026-11-02T08:00:00Z'),
  });
  await answer(tenantId, b, [{ questionId: offers.id, optionKey: 'yes' }], {
    occurredAt: new Date('2026-11-02T20:00:00Z'),
  });
  await answer(tenantId, b, [{ questionId: offers.id, optionKey: 'no' }], {
    occurredAt: new Date('2026-11-09T08:00:00Z'),
  });
  const report = await ok<{ items: Json[] }>(
    officer.token,
    'GET',
    '/api/v1/consent-reports/answers?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&bucket=week',
  );
  assert.deepEqual(
    report.items.map((i) => [i.bucketStart, i.optionKey, i.count]),
    [
      ['2026-11-02T00:00:00Z', 'yes', 2],
      ['2026-11-09T00:00:00Z', 'no', 1],
    ],
  );
  const bad = await call(
    officer.token,
    'GET',
    '/api/v1/consent-reports/answers?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
  );
  assert.equal(bad.statusCode, 400);
  const open = await ok<Json>(officer.token, 'GET', '/api/v1/consent-reports/open-changes');
  assert.equal(open.open, 3);
  assert.equal(
    (open.ages as { count: number }[]).reduce((n, x) => n + x.count, 0),
    3,
  );
});

test('the digest mails the chosen privacy officers once a day while changes are open', async () => {
  const { tenantId, apiToken: admin } = await ctx.newTenant();
  const officer = await ctx.newUser(tenantId, ['privacy_officer']);
  const offers = await newQuestion(admin, 'email-offers');
  const contact = await newContact(admin, { lastName: 'Digest' });
  const digest = (now: Date) =>
    withTenant(ctx.database.db, tenantId, (tx) =>
      sendDigest(tx, ctx.queue, { now, baseUrl: 'https://crm.example.com' }),
    );
  assert.deepEqual(await ok(officer.token, 'GET', '/api/v1/settings/consent'), {
    digestEnabled: false,
    digestRecipientUserIds: [],
  });
  await answer(tenantId, contact, [{ questionId: offers.id, optionKey: 'yes' }]);
  assert.equal(await digest(new Date()), 0, 'off by default');

  const refused = await call(officer.token, 'PUT', '/api/v1/settings/consent', {
    digestEnabled: true,
    digestRecipientUserIds: ['00000000-0000-4000-8000-000000000000'],
  });
  assert.equal(refused.statusCode, 400, refused.body);
  assert.deepEqual(
    refused.json().errors.map((e: { path: string }) => e.path),
    ['digestRecipientUserIds.0'],
  );
  await ok(officer.token, 'PUT', '/api/v1/settings/consent', {
    digestEnabled: true,
    digestRecipientUserIds: [],
  });
  const day = new Date();
  assert.equal(await digest(day), 1, 'to the privacy officer role');
  assert.equal(await digest(day), 0, 'once a day');
  const mails = await rows<{ toAddress: string; subject: string; textBody: string; kind: string }>(
    tenantId,
    sql`select to_address, subject, text_body, kind from mail_message order by created_at`,
  );
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.subject, 'Datenschutz: 1 offene Einwilligungsänderung');
  assert.match(mails[0]?.textBody ?? '', /https:\/\/crm\.example\.com\/privacy\/consent-changes/);
  assert.equal(mails[0]?.kind, 'notification');

  await ok(officer.token, 'PUT', '/api/v1/settings/consent', {
    digestEnabled: true,
    digestRecipientUserIds: [officer.userId],
  });
  assert.equal(await digest(new Date(day.getTime() + 86_400_000)), 1, 'the next day again');
  const changeId = (await ok<{ items: { id: string }[] }>(officer.token, 'GET', '/api/v1/consent-changes'))
    .items[0]?.id;
  await ok(officer.token, 'POST', `/api/v1/consent-changes/${changeId}/process`, { actionTaken: 'noted' });
  assert.equal(await digest(new Date(day.getTime() + 2 * 86_400_000)), 0, 'nothing open, no mail');
  assert.deepEqual(
    (await auditOf(tenantId, tenantId)).map((a) => a.action).filter((a) => a.startsWith('consent_settings')),
    ['consent_settings.updated', 'consent_settings.updated'],
  );
});

test('an import must state its legal basis and source; its rows become evidence with the time the person answered, all or nothing', async () => {
  const { tenantId, apiToken: admin, adminUserId } = await ctx.newTenant();
  const sales = await ctx.newUser(tenantId, ['sales']);
  const question = await newQuestion(admin, 'promo-import');
  const anna = await newContact(admin, { lastName: 'Import', email: 'anna.import@example.com' });
  const ben = await newContact(admin, { lastName: 'Import', email: 'ben.import@example.com' });
  const rowsOf = (answeredAt: string) => [
    { email: 'ANNA.IMPORT@example.com', questionId: question.id, optionKey: 'yes', answeredAt },
    { contactId: ben, questionId: question.id, optionKey: 'no', answeredAt },
  ];
  const body = {
    legalBasis: 'eu-gdpr:A6-1-a',
    source: { description: 'paper forms, trade fair Basel 2026', method: 'paper' },
    rows: rowsOf('2026-05-03T10:00:00Z'),
  };

  // Without a legal basis or a source: refused by the schema, naming the field.
  for (const missing of ['legalBasis', 'source'] as const) {
    const { [missing]: _left, ...rest } = body;
    const refused = await call(admin, 'POST', '/api/v1/consent-imports', rest);
    assert.equal(refused.statusCode, 400);
    assert.ok(
      (refused.json() as { errors: { path: string }[] }).errors.some((e) => e.path.startsWith(missing)),
      refused.body,
    );
  }
  // Sales may not import consent evidence.
  assert.equal((await call(sales.token, 'POST', '/api/v1/consent-imports', body)).statusCode, 403);

  // One bad row (an unknown option, an unknown email): nothing is recorded, each row named.
  const bad = await call(admin, 'POST', '/api/v1/consent-imports', {
    ...body,
    rows: [
      ...body.rows,
      {
        email: 'nobody@example.com',
        questionId: question.id,
        optionKey: 'yes',
        answeredAt: '2026-05-03T10:00:00Z',
      },
    ].map((r, i) => (i === 1 ? { ...r, optionKey: 'maybe' } : r)),
  });
  assert.equal(bad.statusCode, 400, bad.body);
  const paths = (bad.json() as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
  assert.deepEqual(paths, ['rows.1.optionKey', 'rows.2.email']);
  const none = await rows<{ n: string }>(tenantId, sql`select count(*) as n from consent_event`);
  assert.equal(Number(none[0]?.n), 0);

  // The good import: two events, source import, the stated basis and collection, the importer.
  const done = await ok<{ recorded: number; changed: number }>(
    admin,
    'POST',
    '/api/v1/consent-imports',
    body,
  );
  assert.deepEqual(done, { recorded: 2, changed: 2 });
  const events = await rows<{
    source: string;
    sourceRef: string;
    legalBasis: string;
    actorUserId: string;
    byContact: boolean;
    occurredAt: Date;
  }>(
    tenantId,
    sql`select source, source_ref, legal_basis, actor_user_id, by_contact, occurred_at from consent_event order by occurred_at`,
  );
  assert.equal(events.length, 2);
  for (const e of events) {
    assert.equal(e.source, 'import');
    assert.equal(e.sourceRef, 'paper: paper forms, trade fair Basel 2026');
    assert.equal(e.legalBasis, 'eu-gdpr:A6-1-a');
    assert.equal(e.actorUserId, adminUserId);
    assert.equal(e.byContact, false);
    assert.equal(e.occurredAt.toISOString(), '2026-05-03T10:00:00.000Z');
  }
  // An import is no change by the contact: nothing waits in the queue.
  const count = await ok<{ open: number }>(admin, 'GET', '/api/v1/consent-changes/count');
  assert.equal(count.open, 0);
  const gdpr = await ok<{
    consents: { questionId: string; granted: boolean; source: string; changedAt: string }[];
  }>(admin, 'GET', `/api/v1/contacts/${anna}/gdpr`);
  const promo = gdpr.consents.find((c) => c.questionId === question.id);
  assert.equal(promo?.granted, true);
  assert.equal(promo?.source, 'import');
  assert.equal(promo?.changedAt, '2026-05-03T10:00:00.000Z');

  // An older answer never overturns what the person said since; a future one is refused.
  await answer(tenantId, ben, [{ questionId: question.id, optionKey: 'yes' }]);
  const older = await call(admin, 'POST', '/api/v1/consent-imports', {
    ...body,
    rows: [{ contactId: ben, questionId: question.id, optionKey: 'no', answeredAt: '2026-06-01T10:00:00Z' }],
  });
  assert.equal(older.statusCode, 400);
  assert.equal((older.json() as { errors: { path: string }[] }).errors[0]?.path, 'rows.0.answeredAt');
  const future = await call(admin, 'POST', '/api/v1/consent-imports', {
    ...body,
    rows: [{ contactId: anna, questionId: question.id, optionKey: 'no', answeredAt: '2099-01-01T00:00:00Z' }],
  });
  assert.equal(future.statusCode, 400);
});
