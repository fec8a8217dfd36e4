import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { TEST_DB_KIND } from '../../../test/support/database.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { buildApp } from '../../app.ts';
import { createSecretBox } from '../../kernel/crypto/secret-box.ts';
import { withPrincipal } from '../../kernel/db/tenancy.ts';
import { createNewsletter, createQuestion, updateQuestion } from '../consent/index.ts';
import { authenticateApiToken } from '../identity/index.ts';
import {
  createFormGuard,
  DEFAULT_GUARD_SETTINGS,
  type FormGuard,
  formGuardKey,
  type GuardSettings,
  solveForPost,
} from './index.ts';

/**
 * Forms × consent (issue 6) over real HTTP, a real database and the real worker: a form offers
 * consent questions and newsletters (checked on save), the hosted page and the definition show
 * them, a submission's answers are checked (a required question, an unknown option, a wording
 * changed since the page was shown), and processing records the answers with the version shown
 * and starts double opt-in. The app has a secret box of the test's own, so the test can mint
 * render tokens of any age (a person who took 10 s, the no-JavaScript rule).
 */

let ctx: TestContext;
let app: FastifyInstance;
let guard: FormGuard;

const SETTINGS: GuardSettings = { ...DEFAULT_GUARD_SETTINGS, powDifficulty: 40, submitsPerMinute: 50 };
const URLENCODED = { 'content-type': 'application/x-www-form-urlencoded' };

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
});

after(async () => {
  await app.close();
  await ctx.close();
});

type Tenant = { tenantId: string; apiToken: string };

/** Runs `work` as the tenant's admin (the consent module's own functions, as its routes call them). */
async function asAdmin<T>(
  tenant: Tenant,
  work: (
    tx: Parameters<Parameters<typeof withPrincipal>[2]>[0],
    principal: NonNullable<Awaited<ReturnType<typeof authenticateApiToken>>>,
  ) => Promise<T>,
): Promise<T> {
  const principal = await authenticateApiToken(ctx.database.db, tenant.apiToken);
  assert.ok(principal);
  return withPrincipal(ctx.database.db, principal, (tx) => work(tx, principal));
}

const EMAIL_QUESTION = {
  key: 'email-promotions',
  purpose: 'dpv:DirectMarketing',
  channel: 'email' as const,
  legalBasis: 'eu-gdpr:A6-1-a',
  texts: {
    de: { label: 'Dürfen wir Ihnen Angebote per E-Mail senden?', help: 'Jederzeit widerrufbar.' },
    en: { label: 'May we email you offers?', help: 'Withdraw at any time.' },
  },
  options: [
    { key: 'yes', label: { de: 'Ja', en: 'Yes' }, polarity: 'grant' as const },
    { key: 'no', label: { de: 'Nein', en: 'No' }, polarity: 'neutral' as const },
  ],
};

async function newQuestion(tenant: Tenant, key = 'email-promotions'): Promise<string> {
  return asAdmin(tenant, async (tx, principal) => {
    const question = await createQuestion(tx, principal, { ...EMAIL_QUESTION, key });
    return question.id;
  });
}

async function newNewsletter(tenant: Tenant, name = 'Monatsbrief'): Promise<string> {
  return asAdmin(tenant, async (tx, principal) => {
    const newsletter = await createNewsletter(
      tx,
      principal,
      {
        name,
        languages: ['de', 'en'],
        texts: {
          de: { title: 'Monatsbrief', description: 'Einmal im Monat Neuigkeiten.', optOutText: null },
          en: { title: 'Monthly letter', description: 'News once a month.', optOutText: null },
        },
        doubleOptIn: true,
        welcomeEnabled: true,
        welcome: { subject: { de: 'Willkommen', en: 'Welcome' }, body: { de: 'Hallo!', en: 'Hello!' } },
        senderName: null,
        senderAddress: null,
      },
      'http://localhost:3000',
    );
    return newsletter.id;
  });
}

function definition(consent: { questions: string[]; required?: string[]; newsletters: string[] }) {
  return {
    languages: ['de', 'en'],
    title: { de: 'Anfrage', en: 'Enquiry' },
    fields: [
      {
        name: 'name',
        target: 'contact.lastName',
        type: 'text',
        label: { de: 'Name', en: 'Name' },
        required: true,
      },
      {
        name: 'email',
        target: 'contact.email',
        type: 'email',
        label: { de: 'E-Mail', en: 'Email' },
        required: true,
      },
    ],
    consentQuestionIds: consent.questions,
    requiredConsentQuestionIds: consent.required ?? [],
    newsletterIds: consent.newsletters,
    successMessage: { de: 'Danke!', en: 'Thanks!' },
  };
}

async function newForm(tenant: Tenant, def: ReturnType<typeof definition>): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: { name: 'Anfrage mit Einwilligung', status: 'published', definition: def },
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { id: string }).id;
}

/** A JSON post as the embed or an integration sends it (solved proof of work, a 10 s old token). */
async function postJson(formId: string, values: Record<string, unknown>) {
  const challenge = await app.inject({ method: 'GET', url: `/public/forms/${formId}/challenge` });
  return app.inject({
    method: 'POST',
    url: `/public/forms/${formId}`,
    payload: {
      ...values,
      _token: guard.issueToken(formId, Date.now() - 10_000),
      _hp: '',
      altcha: await solveForPost(challenge.json()),
    },
  });
}

/** A plain HTML form post without JavaScript (no proof of work: the token is 10 s old). */
async function postForm(formId: string, values: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: `/public/forms/${formId}`,
    headers: URLENCODED,
    payload: new URLSearchParams({
      _token: guard.issueToken(formId, Date.now() - 10_000),
      _lang: 'de',
      _hp: '',
      ...values,
    }).toString(),
  });
}

type Submission = {
  id: string;
  status: string;
  contactId: string | null;
  failure: string | null;
  consent: { questionId: string; version: number; optionKey: string }[];
  newsletterIds: string[];
};

async function processed(tenant: Tenant, formId: string, count: number): Promise<Submission[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/forms/${formId}/submissions`,
      headers: bearer(tenant.apiToken),
    });
    assert.equal(res.statusCode, 200, res.body);
    const items = (res.json() as { items: Submission[] }).items;
    if (items.length >= count && items.every((s) => s.status !== 'received')) return items;
    assert.ok(Date.now() < deadline, `${count} submission(s) processed within 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Problem = { status: number; code?: string; errors?: { path: string; message: string }[] };

test('definition save checks the consent questions and newsletters: another tenant’s question id, a required question not on the form, an id listed twice → 400 under definition.…', async () => {
  const tenant = await ctx.newTenant();
  const other = await ctx.newTenant();
  const mine = await newQuestion(tenant);
  const theirs = await newQuestion(other);
  const theirNewsletter = await newNewsletter(other);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: {
      name: 'Falsch',
      definition: definition({
        questions: [mine, theirs, mine],
        required: [theirs, '6b1f4a52-8d7e-4c8e-9a55-2f3c1d0e9b7a'],
        newsletters: [theirNewsletter],
      }),
    },
  });
  assert.equal(res.statusCode, 400, res.body);
  const problem = res.json() as Problem;
  assert.equal(problem.code, 'FORMS_INVALID_DEFINITION');
  assert.deepEqual((problem.errors ?? []).map((e) => e.path).sort(), [
    'definition.consentQuestionIds.1',
    'definition.consentQuestionIds.2',
    'definition.newsletterIds.0',
    'definition.requiredConsentQuestionIds.1',
  ]);
  assert.match(
    (problem.errors ?? []).find((e) => e.path === 'definition.consentQuestionIds.1')?.message ?? '',
    /no such consent question/,
  );

  // Its own question and newsletter: saved, and read back as saved.
  const newsletter = await newNewsletter(tenant);
  const formId = await newForm(
    tenant,
    definition({ questions: [mine], required: [mine], newsletters: [newsletter] }),
  );
  const form = await app.inject({
    method: 'GET',
    url: `/api/v1/forms/${formId}`,
    headers: bearer(tenant.apiToken),
  });
  const saved = (form.json() as { definition: Record<string, unknown> }).definition;
  assert.deepEqual(
    [saved.consentQuestionIds, saved.requiredConsentQuestionIds, saved.newsletterIds],
    [[mine], [mine], [newsletter]],
  );
});

test('the hosted page renders the question and the newsletter checkbox unticked without JavaScript; the public definition lists them in the language asked for', async () => {
  const tenant = await ctx.newTenant();
  const question = await newQuestion(tenant);
  const newsletter = await newNewsletter(tenant);
  const formId = await newForm(
    tenant,
    definition({ questions: [question], required: [question], newsletters: [newsletter] }),
  );

  const json = await app.inject({ method: 'GET', url: `/public/forms/${formId}/definition?lang=en` });
  assert.equal(json.statusCode, 200, json.body);
  const body = json.json() as Record<string, unknown>;
  assert.deepEqual(body.consentQuestions, [
    {
      id: question,
      version: 1,
      label: 'May we email you offers?',
      help: 'Withdraw at any time.',
      required: true,
      options: [
        { key: 'yes', label: 'Yes', polarity: 'grant' },
        { key: 'no', label: 'No', polarity: 'neutral' },
      ],
    },
  ]);
  assert.deepEqual(body.newsletters, [
    { id: newsletter, title: 'Monthly letter', description: 'News once a month.' },
  ]);

  const page = await app.inject({ method: 'GET', url: `/public/forms/${formId}?lang=de` });
  assert.equal(page.statusCode, 200, page.body);
  const html = page.body;
  const has = (part: string) => assert.ok(html.includes(part), `the page has ${part}`);
  has(
    `<fieldset class="kf-field kf-consent" id="kf-consent-${question}" aria-describedby="kf-consent-${question}-help">`,
  );
  has(
    '<legend>Dürfen wir Ihnen Angebote per E-Mail senden? <span class="kf-required" aria-hidden="true">*</span>',
  );
  has(
    `<input type="radio" id="kf-consent-${question}-0" name="consent.${question}" value="yes" required><label for="kf-consent-${question}-0">Ja</label>`,
  );
  has(
    `<input type="radio" id="kf-consent-${question}-1" name="consent.${question}" value="no" required><label for="kf-consent-${question}-1">Nein</label>`,
  );
  has(`<input type="hidden" name="_cv.${question}" value="1">`);
  has(
    `<input type="checkbox" id="kf-newsletter-${newsletter}" name="newsletter.${newsletter}" value="on" aria-describedby="kf-newsletter-${newsletter}-help"><label for="kf-newsletter-${newsletter}">Monatsbrief</label>`,
  );
  has(`<p class="kf-help kf-indent" id="kf-newsletter-${newsletter}-help">Einmal im Monat Neuigkeiten.</p>`);
  assert.doesNotMatch(html, /\schecked/, 'nothing pre-selected, nothing pre-ticked');
  // The form is still a plain HTML form: it works without the page script.
  assert.match(html, new RegExp(`<form class="kf-form" method="post" action="/public/forms/${formId}"`));
});

test('rejects a submission without consent for a required question', async () => {
  const tenant = await ctx.newTenant();
  const question = await newQuestion(tenant);
  const optional = await newQuestion(tenant, 'phone-calls');
  const formId = await newForm(
    tenant,
    definition({ questions: [question, optional], required: [question], newsletters: [] }),
  );

  const missing = await postJson(formId, { name: 'Muster', email: 'muster@example.com' });
  assert.equal(missing.statusCode, 400, missing.body);
  const problem = missing.json() as Problem;
  assert.equal(problem.code, 'FORMS_INVALID_SUBMISSION');
  assert.deepEqual(problem.errors, [{ path: `consent.${question}`, message: 'is required' }]);

  // An option the question does not have: 400 naming the question, with the field errors.
  const unknown = await postJson(formId, {
    name: '',
    email: 'muster@example.com',
    consent: { [question]: 'maybe' },
  });
  assert.equal(unknown.statusCode, 400, unknown.body);
  assert.deepEqual(
    (unknown.json() as Problem).errors?.map((e) => e.path).sort(),
    [`consent.${question}`, 'name'].sort(),
  );

  // A plain form post: the page again, the question marked, nothing chosen for the person.
  const page = await postForm(formId, { name: 'Muster', email: 'muster@example.com' });
  assert.equal(page.statusCode, 400);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.ok(
    page.body.includes(
      `<fieldset class="kf-field kf-consent kf-invalid" id="kf-consent-${question}" aria-invalid="true" aria-describedby="kf-consent-${question}-help kf-consent-${question}-error">`,
    ),
    page.body,
  );
  assert.ok(
    page.body.includes(
      `<p class="kf-error" id="kf-consent-${question}-error">Bitte wählen Sie eine Antwort.</p>`,
    ),
  );
  assert.ok(
    page.body.includes(`<a href="#kf-consent-${question}-0">`),
    'the error summary links to the question',
  );
  assert.doesNotMatch(page.body, /\schecked/);

  // Answered (the optional question left open): accepted.
  const ok = await postJson(formId, {
    name: 'Muster',
    email: 'muster@example.com',
    consent: { [question]: 'no' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const [stored] = await processed(tenant, formId, 1);
  assert.equal(stored?.status, 'processed', stored?.failure ?? '');
  assert.deepEqual(stored?.consent, [{ questionId: question, version: 1, optionKey: 'no' }]);
});

test(`a submission with a ticked newsletter and a consent answer records the consent with the form version shown and sends the confirmation mail (${TEST_DB_KIND})`, async () => {
  const tenant = await ctx.newTenant();
  const question = await newQuestion(tenant);
  const newsletter = await newNewsletter(tenant);
  const formId = await newForm(tenant, definition({ questions: [question], newsletters: [newsletter] }));

  // The page shows version 1; then the wording changes (version 2).
  const page = await app.inject({ method: 'GET', url: `/public/forms/${formId}?lang=de` });
  assert.ok(page.body.includes(`name="_cv.${question}" value="1"`));
  await asAdmin(tenant, (tx, principal) =>
    updateQuestion(tx, principal, question, {
      texts: {
        de: {
          label: 'Dürfen wir Ihnen Angebote und Einladungen per E-Mail senden?',
          help: 'Jederzeit widerrufbar.',
        },
        en: { label: 'May we email you offers and invitations?', help: 'Withdraw at any time.' },
      },
    }),
  );
  // An answer to the old wording is refused: the page shows the new wording, unanswered.
  const stale = await postForm(formId, {
    name: 'Muster',
    email: 'lea.muster@example.com',
    [`consent.${question}`]: 'yes',
    [`_cv.${question}`]: '1',
    [`newsletter.${newsletter}`]: 'on',
  });
  assert.equal(stale.statusCode, 400, stale.body);
  assert.ok(stale.body.includes('Dürfen wir Ihnen Angebote und Einladungen per E-Mail senden?'));
  assert.ok(stale.body.includes(`name="_cv.${question}" value="2"`));
  assert.ok(stale.body.includes('Diese Frage wurde inzwischen geändert.'));
  assert.doesNotMatch(stale.body, /type="radio"[^>]*checked/, 'the old answer is not carried over');
  assert.ok(
    stale.body.includes(`name="newsletter.${newsletter}" value="on" checked`),
    'the person’s own tick is kept',
  );

  // Answered again to the wording shown now: stored with version 2.
  const sent = await postForm(formId, {
    name: 'Muster',
    email: 'lea.muster@example.com',
    [`consent.${question}`]: 'yes',
    [`_cv.${question}`]: '2',
    [`newsletter.${newsletter}`]: 'on',
  });
  assert.equal(sent.statusCode, 303, sent.body);
  const [submission] = await processed(tenant, formId, 1);
  assert.ok(submission);
  assert.equal(submission.status, 'processed', submission.failure ?? '');
  assert.deepEqual(submission.consent, [{ questionId: question, version: 2, optionKey: 'yes' }]);
  assert.deepEqual(submission.newsletterIds, [newsletter]);
  const contactId = submission.contactId as string;

  // The consent event: the version shown, source form, the submission as reference, by the person.
  const events = await ctx.database.asOwner((s) =>
    s.query<{
      version: number;
      optionKey: string;
      source: string;
      sourceRef: string;
      byContact: boolean;
      language: string;
    }>(
      `SELECT version, option_key AS "optionKey", source, source_ref AS "sourceRef", by_contact AS "byContact", language
         FROM consent_event WHERE tenant_id = $1 AND contact_id = $2`,
      [tenant.tenantId, contactId],
    ),
  );
  assert.deepEqual(events, [
    {
      version: 2,
      optionKey: 'yes',
      source: 'form',
      sourceRef: submission.id,
      byContact: true,
      language: 'de',
    },
  ]);

  // The double opt-in: a pending subscription and the confirmation mail in the outbox.
  const subscriptions = await ctx.database.asOwner((s) =>
    s.query<{ status: string; source: string; sourceRef: string | null }>(
      `SELECT status, source, source_ref AS "sourceRef" FROM subscription WHERE tenant_id = $1 AND contact_id = $2`,
      [tenant.tenantId, contactId],
    ),
  );
  assert.deepEqual(subscriptions, [{ status: 'pending', source: 'form', sourceRef: submission.id }]);
  const deadline = Date.now() + 20_000;
  let confirmation: { to: string; subject: string; text: string } | undefined;
  while (!confirmation) {
    const outbox = await app.inject({
      method: 'GET',
      url: '/api/v1/outbox',
      headers: bearer(tenant.apiToken),
    });
    assert.equal(outbox.statusCode, 200, outbox.body);
    confirmation = (outbox.json() as { items: { to: string; subject: string; text: string }[] }).items.find(
      (m) => m.to.includes('lea.muster@example.com') && /\/public\/newsletters\/confirm/.test(m.text),
    );
    if (confirmation) break;
    assert.ok(Date.now() < deadline, 'the confirmation mail reaches the outbox within 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }

  const gdpr = await app.inject({
    method: 'GET',
    url: `/api/v1/contacts/${contactId}/gdpr`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(gdpr.statusCode, 200, gdpr.body);
  const tab = gdpr.json() as {
    consents: { questionId: string; granted: boolean; source: string }[];
    subscriptions: { newsletterId: string; status: string }[];
  };
  assert.deepEqual(
    tab.subscriptions.map((s) => [s.newsletterId, s.status]),
    [[newsletter, 'pending']],
  );
  const answer = tab.consents.find((c) => c.questionId === question);
  assert.equal(answer?.granted, true);
  assert.equal(answer?.source, 'form');

  // The link of that mail: a GET (a mail scanner) changes nothing; the page's button confirms,
  // once; the link again shows a clear page and changes nothing.
  const link = /https?:\/\/\S+\/public\/newsletters\/confirm\/[A-Za-z0-9_.~-]+/.exec(confirmation.text)?.[0];
  assert.ok(link, confirmation.text);
  const path = new URL(link).pathname;
  const statusNow = async () =>
    (
      await ctx.database.asOwner((s) =>
        s.query<{ status: string }>(
          'SELECT status FROM subscription WHERE tenant_id = $1 AND contact_id = $2',
          [tenant.tenantId, contactId],
        ),
      )
    )[0]?.status;
  const scanned = await app.inject({ method: 'GET', url: path });
  assert.equal(scanned.statusCode, 200, scanned.body);
  assert.match(scanned.body, /<form[^>]+method="post"/i);
  assert.equal(await statusNow(), 'pending', 'a GET of the link confirms nothing');
  const confirmed = await app.inject({ method: 'POST', url: path, payload: {} });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  assert.equal(await statusNow(), 'subscribed');
  const again = await app.inject({ method: 'POST', url: path, payload: {} });
  assert.ok([404, 410].includes(again.statusCode), `the link a second time: ${again.statusCode}`);
  assert.match(String(again.headers['content-type'] ?? ''), /text\/html/);
  assert.equal(await statusNow(), 'subscribed');
});
