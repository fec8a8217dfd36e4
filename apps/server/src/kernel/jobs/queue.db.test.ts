import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { createProbeTable, probeJob, probeKeys, waitFor } from '../../../test/support/probe.ts';
import { withTenant } from '../db/tenancy.ts';
import { createJobQueue } from './queue.ts';

const probe = probeJob({ retryLimit: 2 });
let ctx: TestContext;

before(async () => {
  ctx = await testContext({ jobs: [probe], work: true });
  await createProbeTable(ctx.database);
});
after(() => ctx.close());

test('a sent job runs and its effect happens once', async () => {
  const { tenantId } = await ctx.newTenant();
  await ctx.queue.send(probe, { key: 'simple', failTimes: 0, workMs: 0 }, { tenantId });
  await waitFor('the effect', async () => (await probeKeys(ctx.database)).includes('simple'));
});

test('a failing job is retried with backoff and its effect happens once it succeeds', async () => {
  const { tenantId } = await ctx.newTenant();
  const started = Date.now();
  await ctx.queue.send(probe, { key: 'retried', failTimes: 2, workMs: 0 }, { tenantId });
  await waitFor('the retried effect', async () => (await probeKeys(ctx.database)).includes('retried'), 60);
  // two failures: waits of ≥1 s and ≥2 s (exponential backoff from retryDelaySeconds = 1)
  assert.ok(Date.now() - started >= 2500, `retried too fast: ${Date.now() - started} ms`);
  assert.equal((await probeKeys(ctx.database)).filter((k) => k === 'retried').length, 1);
});

test('the same idempotency key sent twice has one effect', async () => {
  const { tenantId } = await ctx.newTenant();
  await ctx.queue.send(
    probe,
    { key: 'dup', failTimes: 0, workMs: 0 },
    { tenantId, idempotencyKey: 'order-42' },
  );
  await ctx.queue.send(
    probe,
    { key: 'dup', failTimes: 0, workMs: 0 },
    { tenantId, idempotencyKey: 'order-42' },
  );
  await waitFor('the effect', async () => (await probeKeys(ctx.database)).includes('dup'));
  const effects = await withTenant(ctx.database.db, tenantId, (tx) =>
    tx.selectFrom('jobEffect').select('idempotencyKey').where('idempotencyKey', '=', 'order-42').execute(),
  );
  await new Promise((r) => setTimeout(r, 1500)); // give the second delivery time to (not) act
  assert.equal((await probeKeys(ctx.database)).filter((k) => k === 'dup').length, 1);
  assert.equal(effects.length, 1);
});

test('a job enqueued inside a transaction that rolls back never runs', async () => {
  const { tenantId } = await ctx.newTenant();
  await assert.rejects(
    withTenant(ctx.database.db, tenantId, async (tx) => {
      await ctx.queue.send(probe, { key: 'rolled-back', failTimes: 0, workMs: 0 }, { tenantId, tx });
      throw new Error('abort');
    }),
    /abort/,
  );
  await withTenant(ctx.database.db, tenantId, (tx) =>
    ctx.queue.send(probe, { key: 'committed', failTimes: 0, workMs: 0 }, { tenantId, tx }),
  );
  await waitFor('the committed effect', async () => (await probeKeys(ctx.database)).includes('committed'));
  assert.equal((await probeKeys(ctx.database)).includes('rolled-back'), false);
});

test('a job that fails every retry becomes a dead letter its tenant sees and can send back once', async () => {
  const tenant = await ctx.newTenant();
  const other = await ctx.newTenant();
  await ctx.queue.send(probe, { key: 'doomed', failTimes: 99, workMs: 0 }, { tenantId: tenant.tenantId });
  const letter = await waitFor(
    'the dead letter',
    async () => {
      const list = await ctx.app.inject({
        url: '/api/v1/jobs/dead-letters',
        headers: bearer(tenant.apiToken),
      });
      return (list.json() as { items: { id: string; queue: string; error: string; attempts: number }[] })
        .items[0];
    },
    60,
  );
  assert.equal(letter.queue, 'test.probe');
  assert.equal(letter.attempts, 3);
  assert.match(
    letter.error,
    /planned failure 3 for \[email\]/,
    'the stored error is scrubbed of personal data',
  );
  const othersView = await ctx.app.inject({
    url: '/api/v1/jobs/dead-letters',
    headers: bearer(other.apiToken),
  });
  assert.deepEqual(othersView.json().items, []);
  const othersRequeue = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/jobs/dead-letters/${letter.id}/requeue`,
    headers: bearer(other.apiToken),
  });
  assert.equal(othersRequeue.statusCode, 404);

  const first = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/jobs/dead-letters/${letter.id}/requeue`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(first.statusCode, 202, first.body);
  const second = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/jobs/dead-letters/${letter.id}/requeue`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(second.statusCode, 409);
  const open = await ctx.app.inject({
    url: '/api/v1/jobs/dead-letters?state=open',
    headers: bearer(tenant.apiToken),
  });
  assert.deepEqual(open.json().items, []);
});

test('a payload that does not fit the job schema is refused at send', async () => {
  const { tenantId } = await ctx.newTenant();
  await assert.rejects(ctx.queue.send(probe, { key: 42 } as never, { tenantId }), ZodError);
  await assert.rejects(ctx.queue.send(probe, { key: 'x', failTimes: 0, workMs: 0 }), /needs a tenantId/);
});

test('system jobs with a cron expression are scheduled', async () => {
  const rows = await sql<{ name: string; cron: string }>`select name, cron from pgboss.schedule`.execute(
    ctx.database.db,
  );
  assert.ok(
    rows.rows.some((r) => r.name === 'kernel.prune-job-records' && r.cron === '17 3 * * *'),
    JSON.stringify(rows.rows),
  );
});

test("a changed job definition updates its queue's retry settings at the next start", async () => {
  const read = async () =>
    (
      await sql<{ retryLimit: number; expireSeconds: number }>`
        select retry_limit, expire_seconds from pgboss.queue where name = 'test.probe'`.execute(
        ctx.database.db,
      )
    ).rows[0];
  assert.deepEqual(await read(), { retryLimit: 2, expireSeconds: 300 });
  const changed = createJobQueue({
    database: ctx.database,
    logger: silentLogger(),
    definitions: [probeJob({ retryLimit: 7, expireInSeconds: 60 })],
  });
  await changed.start({ work: false });
  await changed.stop();
  assert.deepEqual(await read(), { retryLimit: 7, expireSeconds: 60 });
});
