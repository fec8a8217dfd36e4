import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bearer } from '../../../test/support/app.ts';
import { freshDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { buildApp } from '../../app.ts';
import { createLocalBlobStore } from '../../kernel/blob/local.ts';
import { createSecretBox } from '../../kernel/crypto/secret-box.ts';
import { withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { createJobQueue, type JobQueue } from '../../kernel/jobs/queue.ts';
import { jobDefinitions } from '../../worker.ts';
import { createNewsletter, createQuestion } from '../consent/index.ts';
import { authenticateApiToken } from '../identity/index.ts';
import { createTenant } from '../tenants/index.ts';
import {
  createFormGuard,
  DEFAULT_GUARD_SETTINGS,
  type FormGuard,
  formGuardKey,
  type GuardSettings,
  processSubmissionJob,
  processSubmissions,
  solveForPost,
} from './index.ts';

/**
 * The durable intake: a public POST stores the submission as `received` with its job and
 * answers; the job forms.process-submission processes it with up to 99 other received
 * submissions of the tenant in one transaction. The real app, queue and worker on a fresh
 * database; the worker's processing job gets two test hooks: a gate that holds batches back and
 * a fault that throws in the middle of a batch (a crash: the transaction rolls back, the job
 * retries).
 */

let database: TestDatabase;
let queue: JobQueue;
let app: FastifyInstance;
let guard: FormGuard;
let blobDir: string;

const SETTINGS: GuardSettings = { ...DEFAULT_GUARD_SETTINGS, powDifficulty: 40, submitsPerMinute: 20 };

/** Batches wait while the gate is closed. */
let gate: { open: Promise<void>; release: () => void } | undefined;
function closeGate() {
  let release = () => {};
  const open = new Promise<void>((resolve) => {
    release = resolve;
  });
  gate = { open, release };
}
function openGate() {
  gate?.release();
  gate = undefined;
}
/** When set, the first attempt of a batch throws after this many submissions (once). */
let crashAfter: number | undefined;
let crashes = 0;

before(async () => {
  database = await freshDatabase();
  const logger = silentLogger();
  blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-forms-intake-'));
  const blobs = createLocalBlobStore(blobDir);
  const secrets = createSecretBox(randomBytes(32));
  const definitions = jobDefinitions({ db: database.db, logger, blobs, secrets, queue: () => queue }).map(
    (d) =>
      d.name === 'forms.process-submission'
        ? processSubmissionJob({
            logger,
            queue: () => queue,
            retryDelaySeconds: 1,
            beforeBatch: async () => {
              await gate?.open;
            },
            afterEach: (done, attempt) => {
              if (crashAfter !== undefined && attempt === 0 && done === crashAfter) {
                crashAfter = undefined;
                crashes += 1;
                throw new Error('the worker died in the middle of the batch');
              }
            },
          })
        : d,
  );
  queue = createJobQueue({
    database,
    logger,
    definitions,
    tuning: {
      superviseIntervalSeconds: 1,
      monitorIntervalSeconds: 1,
      pollingIntervalSeconds: 0.5,
      notifyPollingIntervalSeconds: 0.5,
    },
  });
  await queue.start({ work: true });
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
    database,
    queue,
    blobs,
    secrets,
    logger,
    webDist: false,
  });
  guard = createFormGuard(formGuardKey(secrets), SETTINGS);
});

after(async () => {
  openGate();
  await app.close();
  await queue.stop();
  await database.close();
  fs.rmSync(blobDir, { recursive: true, force: true });
});

let tenants = 0;
async function newTenant() {
  tenants += 1;
  return createTenant(database.db, {
    name: `Intake ${tenants} AG`,
    adminEmail: `admin${tenants}@intake.example`,
  });
}

async function createForm(token: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(token),
    payload: {
      name: 'Anfrage',
      status: 'published',
      definition: {
        languages: ['de'],
        title: { de: 'Anfrage' },
        fields: [
          { name: 'name', target: 'contact.lastName', type: 'text', label: { de: 'Name' }, required: true },
          { name: 'email', target: 'contact.email', type: 'email', label: { de: 'E-Mail' }, required: true },
          { name: 'message', target: 'none', type: 'textarea', label: { de: 'Nachricht' }, required: false },
        ],
        tags: ['website'],
        overwrite: [],
        autoReply: { enabled: true, subject: { de: 'Danke' }, body: { de: 'Wir melden uns.' } },
      },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string };
}

async function submit(formId: string, values: Record<string, unknown>, remoteAddress: string) {
  const challenge = await app.inject({ method: 'GET', url: `/public/forms/${formId}/challenge` });
  assert.equal(challenge.statusCode, 200, challenge.body);
  const res = await app.inject({
    method: 'POST',
    url: `/public/forms/${formId}`,
    remoteAddress,
    payload: {
      ...values,
      _token: guard.issueToken(formId, Date.now() - 10_000),
      _hp: '',
      altcha: await solveForPost(challenge.json()),
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), {
    ok: true,
    message: 'Vielen Dank! Wir haben Ihre Nachricht erhalten.',
    redirectUrl: null,
  });
}

type Item = { id: string; contactId: string | null; status: string; failure: string | null };

async function submissions(token: string, formId: string): Promise<Item[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/forms/${formId}/submissions?limit=200`,
    headers: bearer(token),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Item[];
}

async function processed(token: string, formId: string, count: number): Promise<Item[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const items = await submissions(token, formId);
    if (items.length >= count && items.every((s) => s.status !== 'received')) return items;
    assert.ok(Date.now() < deadline, `${count} submissions processed within 15 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function counts(tenantId: string) {
  const [row] = await database.asOwner((s) =>
    s.query<{ contacts: string; activities: string; replies: string }>(
      `SELECT (SELECT count(*) FROM contact WHERE tenant_id = $1) AS contacts,
              (SELECT count(*) FROM activity WHERE tenant_id = $1 AND kind = 'form_submission') AS activities,
              (SELECT count(*) FROM mail_message WHERE tenant_id = $1 AND kind = 'auto-reply') AS replies`,
      [tenantId],
    ),
  );
  return {
    contacts: Number(row?.contacts),
    activities: Number(row?.activities),
    replies: Number(row?.replies),
  };
}

test('a submission is answered before it is processed, and a worker killed mid-batch loses none', async () => {
  const tenant = await newTenant();
  const form = await createForm(tenant.apiToken);
  closeGate();
  // Five people, two enquiries each.
  for (let i = 0; i < 10; i++) {
    await submit(form.id, { name: `Person ${i % 5}`, email: `person${i % 5}@example.com` }, '203.0.113.20');
  }
  const waiting = await submissions(tenant.apiToken, form.id);
  assert.equal(waiting.length, 10, 'every answered submission is stored');
  assert.deepEqual(
    waiting.map((s) => [s.status, s.contactId]),
    Array(10).fill(['received', null]),
    'answered, not yet processed',
  );
  assert.deepEqual(await counts(tenant.tenantId), { contacts: 0, activities: 0, replies: 0 });

  crashAfter = 4;
  openGate();
  const done = await processed(tenant.apiToken, form.id, 10);
  assert.equal(crashes, 1, 'the batch crashed once, after four submissions, and was retried');
  assert.deepEqual(
    done.map((s) => s.status),
    Array(10).fill('processed'),
  );
  assert.equal(new Set(done.map((s) => s.contactId)).size, 5, 'one contact per email');
  assert.deepEqual(await counts(tenant.tenantId), { contacts: 5, activities: 10, replies: 10 });
});

test('a batch of 100 received submissions of one email → one contact, 100 submissions, 100 timeline entries', async () => {
  const tenant = await newTenant();
  const form = await createForm(tenant.apiToken);
  closeGate();
  for (let i = 0; i < 100; i++) {
    await submit(
      form.id,
      { name: 'Muster', email: i % 2 ? 'same@example.com' : 'SAME@example.com', message: `Anfrage ${i}` },
      `198.51.100.${Math.floor(i / 10)}`,
    );
  }
  const [first] = await submissions(tenant.apiToken, form.id);
  assert.ok(first);
  // The first job's batch, run here: all 100 in one transaction.
  const result = await withTenant(database.db, tenant.tenantId, (tx) =>
    processSubmissions(tx, tenant.tenantId, first.id, { queue, baseUrl: 'http://localhost:3000' }),
  );
  assert.deepEqual(result, { processed: 100, failed: 0 });
  // The 100 jobs run now and find their submissions processed: nothing more happens.
  openGate();
  const items = await processed(tenant.apiToken, form.id, 100);
  assert.equal(items.length, 100);
  assert.deepEqual([...new Set(items.map((s) => s.status))], ['processed']);
  assert.equal(new Set(items.map((s) => s.contactId)).size, 1, 'one contact');
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(await counts(tenant.tenantId), {
    contacts: 1,
    activities: 100,
    replies: 5, // at most 5 automatic replies per contact and day, also within one batch
  });
});

test('a value the contacts module refuses at processing marks that submission failed with the reason; the rest of the batch is processed', async () => {
  const tenant = await newTenant();
  const definition = await app.inject({
    method: 'POST',
    url: '/api/v1/custom-fields',
    headers: bearer(tenant.apiToken),
    payload: {
      objectType: 'contact',
      key: 'member_no',
      label: 'Mitgliedsnummer',
      type: 'text',
      unique: true,
    },
  });
  assert.equal(definition.statusCode, 201, definition.body);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: {
      name: 'Mitglied',
      status: 'published',
      definition: {
        languages: ['de'],
        title: { de: 'Mitglied' },
        fields: [
          { name: 'name', target: 'contact.lastName', type: 'text', label: { de: 'Name' }, required: true },
          { name: 'email', target: 'contact.email', type: 'email', label: { de: 'E-Mail' }, required: true },
          { name: 'nr', target: 'custom.member_no', type: 'text', label: { de: 'Nr.' }, required: true },
        ],
        tags: [],
        overwrite: [],
        autoReply: { enabled: false, subject: {}, body: {} },
      },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const formId = (res.json() as { id: string }).id;
  closeGate();
  await submit(formId, { name: 'Eins', email: 'eins@example.com', nr: 'M-1' }, '192.0.2.1');
  await submit(formId, { name: 'Zwei', email: 'zwei@example.com', nr: 'M-1' }, '192.0.2.1');
  await submit(formId, { name: 'Drei', email: 'drei@example.com', nr: 'M-3' }, '192.0.2.1');
  openGate();
  const items = await processed(tenant.apiToken, formId, 3);
  const statuses = items.map((s) => s.status).sort();
  assert.deepEqual(statuses, ['failed', 'processed', 'processed']);
  const failed = items.find((s) => s.status === 'failed');
  assert.match(String(failed?.failure), /^nr: /, 'the reason names the form field');
  assert.equal(failed?.contactId, null);
});

test('consent answers and newsletter requests are written once per submission, also when a batch crashes and retries', async () => {
  const tenant = await newTenant();
  const principal = await authenticateApiToken(database.db, tenant.apiToken);
  assert.ok(principal);
  const { questionId, newsletterId } = await withPrincipal(database.db, principal, async (tx) => ({
    questionId: (
      await createQuestion(tx, principal, {
        key: 'email-promotions',
        purpose: 'dpv:DirectMarketing',
        channel: 'email',
        legalBasis: 'eu-gdpr:A6-1-a',
        texts: { de: { label: 'Angebote per E-Mail?' } },
        options: [
          { key: 'yes', label: { de: 'Ja' }, polarity: 'grant' },
          { key: 'no', label: { de: 'Nein' }, polarity: 'neutral' },
        ],
      })
    ).id,
    newsletterId: (
      await createNewsletter(
        tx,
        principal,
        {
          name: 'Monatsbrief',
          languages: ['de'],
          texts: { de: { title: 'Monatsbrief', description: null, optOutText: null } },
          doubleOptIn: true,
          welcomeEnabled: false,
          welcome: { subject: {}, body: {} },
          senderName: null,
          senderAddress: null,
        },
        'http://localhost:3000',
      )
    ).id,
  }));
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(tenant.apiToken),
    payload: {
      name: 'Anmeldung',
      status: 'published',
      definition: {
        languages: ['de'],
        fields: [
          { name: 'name', target: 'contact.lastName', type: 'text', label: { de: 'Name' }, required: true },
          { name: 'email', target: 'contact.email', type: 'email', label: { de: 'E-Mail' }, required: true },
        ],
        consentQuestionIds: [questionId],
        requiredConsentQuestionIds: [questionId],
        newsletterIds: [newsletterId],
      },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const formId = (res.json() as { id: string }).id;
  closeGate();
  for (let i = 0; i < 4; i++) {
    await submit(
      formId,
      {
        name: `Leser ${i}`,
        email: `leser${i}@example.com`,
        consent: { [questionId]: i % 2 ? 'no' : 'yes' },
        consentVersions: { [questionId]: 1 },
        newsletters: [newsletterId],
      },
      '203.0.113.77',
    );
  }
  crashAfter = 3;
  const crashesBefore = crashes;
  openGate();
  const items = await processed(tenant.apiToken, formId, 4);
  assert.equal(
    crashes,
    crashesBefore + 1,
    'the batch crashed once, after three submissions, and was retried',
  );
  assert.deepEqual(
    items.map((s) => s.status),
    Array(4).fill('processed'),
  );
  const [row] = await database.asOwner((s) =>
    s.query<{ events: string; yes: string; subscriptions: string; requested: string; mails: string }>(
      `SELECT (SELECT count(*) FROM consent_event WHERE tenant_id = $1) AS events,
              (SELECT count(*) FROM consent_event WHERE tenant_id = $1 AND option_key = 'yes') AS yes,
              (SELECT count(*) FROM subscription WHERE tenant_id = $1 AND status = 'pending') AS subscriptions,
              (SELECT count(*) FROM subscription_event WHERE tenant_id = $1 AND type = 'requested') AS requested,
              (SELECT count(*) FROM mail_message WHERE tenant_id = $1 AND kind = 'transactional') AS mails`,
      [tenant.tenantId],
    ),
  );
  assert.deepEqual(
    {
      events: Number(row?.events),
      yes: Number(row?.yes),
      subscriptions: Number(row?.subscriptions),
      requested: Number(row?.requested),
      mails: Number(row?.mails),
    },
    { events: 4, yes: 2, subscriptions: 4, requested: 4, mails: 4 },
    'one answer, one request and one confirmation mail per submission',
  );
});
