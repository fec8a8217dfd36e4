import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { authenticateApiToken } from '../identity/index.ts';
import { createTenant } from '../tenants/index.ts';
import { FormIntake, type IntakeItem } from './forms.intake.ts';
import { intakeSweepJob, SWEEP_AFTER_SECONDS } from './forms.jobs.ts';
import { createFormBodySchema } from './forms.schema.ts';
import { createForm } from './forms.service.ts';
import { processSubmissionJobRef } from './forms.submit.ts';

/**
 * The intake's write on the real database: `kontor_form_intake_batch()` as one statement, and the
 * processing jobs sent after it (recorded here instead of queued: what is sent is the point).
 */

let database: TestDatabase;
type Sent = { submissionId: string; tenantId: string | undefined };
let sent: Sent[] = [];
let failSends = false;
const queue: Pick<JobQueue, 'send'> = {
  send: async (_definition, data, options) => {
    if (failSends) throw new Error('the queue is down');
    const { submissionId } = data as { submissionId: string };
    sent.push({ submissionId, tenantId: options?.tenantId });
    return randomUUID();
  },
};

before(async () => {
  database = await freshDatabase();
});

after(async () => {
  await database.close();
});

async function tenantWithForm(name: string, status: 'published' | 'draft' = 'published') {
  const tenant = await createTenant(database.db, { name, adminEmail: `admin@${name.toLowerCase()}.example` });
  const principal = await authenticateApiToken(database.db, tenant.apiToken);
  assert.ok(principal);
  const form = await withPrincipal(database.db, principal, (tx) =>
    createForm(
      tx,
      principal,
      createFormBodySchema.parse({
        name: 'Anfrage',
        status,
        definition: {
          languages: ['de'],
          title: { de: 'Anfrage' },
          fields: [
            {
              name: 'email',
              target: 'contact.email',
              type: 'email',
              label: { de: 'E-Mail' },
              required: true,
            },
          ],
          tags: [],
          overwrite: [],
        },
      }),
    ),
  );
  return { tenantId: tenant.tenantId, formId: form.id };
}

/** A solved challenge's signature hash (SHA-256 hex). */
function newHash(): string {
  return randomBytes(32).toString('hex');
}

function item(form: { tenantId: string; formId: string }, hash: string | null = newHash()): IntakeItem {
  return {
    id: randomUUID(),
    formId: form.formId,
    tenantId: form.tenantId,
    version: 1,
    language: 'de',
    data: JSON.stringify({ email: `v-${randomUUID()}@example.com` }),
    consent: '[]',
    newsletterIds: '[]',
    challenge: hash === null ? undefined : { signatureHash: hash, expiresAt: new Date(Date.now() + 600_000) },
  };
}

function intake(options: { maxInFlight?: number; errors?: unknown[] } = {}) {
  return new FormIntake({
    db: database.db,
    queue,
    job: processSubmissionJobRef,
    baseUrl: 'http://localhost:3000',
    perJob: 2,
    onJobError: (error) => options.errors?.push(error),
    ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
  });
}

async function received(tenantId: string): Promise<string[]> {
  const { rows } = await withTenant(database.db, tenantId, (tx) =>
    sql<{ id: string }>`select id from form_submission where status = 'received' order by id`.execute(tx),
  );
  return rows.map((r) => r.id);
}

test('posts written together: a challenge used twice stores the first post only, a post to an unpublished form is gone, each tenant keeps its own', async () => {
  sent = [];
  const a = await tenantWithForm('Alpha');
  const b = await tenantWithForm('Beta');
  const draft = await tenantWithForm('Gamma', 'draft');
  // One write in flight at a time: the posts made while the first is written go together.
  const writer = intake({ maxInFlight: 1 });
  const reused = newHash();
  const first = item(a);
  const posts = [item(a, reused), item(a, reused), item(b), item(b, null), item(draft), item(a), item(a)];
  const outcomes = await Promise.all([writer.write(first), ...posts.map((p) => writer.write(p))]);
  assert.deepEqual(outcomes, ['stored', 'stored', 'replay', 'stored', 'stored', 'gone', 'stored', 'stored']);
  await writer.settled();

  assert.deepEqual(
    await received(a.tenantId),
    [first, posts[0], posts[5], posts[6]].map((p) => p?.id).sort(),
  );
  assert.deepEqual(await received(b.tenantId), [posts[2], posts[3]].map((p) => p?.id).sort());
  assert.deepEqual(await received(draft.tenantId), []);
  // The replayed challenge is recorded once; the post with none records nothing.
  const uses = await sql<{ n: string }>`select count(*) as n from form_challenge_use
    where signature_hash = ${reused}`.execute(database.db);
  assert.equal(Number(uses.rows[0]?.n), 1);

  // Every stored submission is covered: a job per tenant and two stored (perJob 2) — the first
  // post's own, then the batch's: Alpha 1 + ceil(3 / 2), Beta 1.
  const byTenant = (id: string) => sent.filter((s) => s.tenantId === id).length;
  assert.equal(byTenant(a.tenantId), 3);
  assert.equal(byTenant(b.tenantId), 1);
  assert.equal(byTenant(draft.tenantId), 0);
  const coveredFirst = new Set(sent.map((s) => s.submissionId));
  assert.ok(coveredFirst.has(first.id));
});

test('a post whose challenge was used in an earlier batch is a replay and stores nothing', async () => {
  sent = [];
  const a = await tenantWithForm('Delta');
  const writer = intake();
  const hash = newHash();
  assert.equal(await writer.write(item(a, hash)), 'stored');
  const again = item(a, hash);
  assert.equal(await writer.write(again), 'replay');
  await writer.settled();
  assert.equal((await received(a.tenantId)).includes(again.id), false);
  assert.equal(sent.length, 1);
});

test('a post that cannot be written fails alone; the others of its batch are stored', async () => {
  sent = [];
  const a = await tenantWithForm('Epsilon');
  const writer = intake({ maxInFlight: 1 });
  const bad = { ...item(a), data: '"not an object"', version: 'x' as unknown as number };
  const good = [item(a), item(a), item(a)];
  const results = await Promise.allSettled([
    writer.write(item(a)),
    writer.write(good[0] as IntakeItem),
    writer.write(bad),
    writer.write(good[1] as IntakeItem),
    writer.write(good[2] as IntakeItem),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  await writer.settled();
  const stored = await received(a.tenantId);
  assert.equal(stored.length, 4);
  assert.equal(stored.includes(bad.id), false);
});

test('a processing job that cannot be sent is reported, the post is still answered stored, and the intake sweep sends its job once it is two minutes old', async () => {
  sent = [];
  const a = await tenantWithForm('Zeta');
  const errors: unknown[] = [];
  const writer = intake({ errors });
  failSends = true;
  const post = item(a);
  try {
    assert.equal(await writer.write(post), 'stored');
    await writer.settled();
  } finally {
    failSends = false;
  }
  assert.equal(errors.length, 1);
  assert.equal(sent.length, 0);

  const sweep = intakeSweepJob({
    db: database.db,
    logger: silentLogger(),
    queue: () => queue as JobQueue,
    config: { baseUrl: 'http://localhost:3000' },
  });
  const run = () => sweep.handler({ data: {} } as never, {} as never);
  // Younger than two minutes: the intake may still be sending its job.
  await run();
  assert.deepEqual(sent, []);
  await withTenant(database.db, a.tenantId, (tx) =>
    sql`update form_submission set created_at = now() - make_interval(secs => ${SWEEP_AFTER_SECONDS + 1})
      where id = ${post.id}`.execute(tx),
  );
  await run();
  assert.deepEqual(sent, [{ submissionId: post.id, tenantId: a.tenantId }]);
});
