import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { pruneAccessLog, recordAccess } from './index.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

test('the access log answers "who looked at this person" and "what did this user see", without any IP', async () => {
  const tenant = await ctx.newTenant();
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const anna = randomUUID();
  const ben = randomUUID();
  await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    await recordAccess(tx, {
      tenantId: tenant.tenantId,
      userId: sales.userId,
      recordType: 'contact',
      recordIds: [anna],
      purpose: 'GET /api/v1/contacts/{id}',
    });
    await recordAccess(tx, {
      tenantId: tenant.tenantId,
      userId: tenant.adminUserId,
      recordType: 'contact',
      recordIds: [anna, ben],
      purpose: 'GET /api/v1/contacts',
      kind: 'search',
    });
  });
  const aboutAnna = await ctx.app.inject({
    url: `/api/v1/access-log?recordId=${anna}`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(aboutAnna.statusCode, 200, aboutAnna.body);
  assert.deepEqual(
    (aboutAnna.json().items as { userId: string }[]).map((e) => e.userId).sort(),
    [sales.userId, tenant.adminUserId].sort(),
  );
  const bySales = await ctx.app.inject({
    url: `/api/v1/access-log?userId=${sales.userId}`,
    headers: bearer(tenant.apiToken),
  });
  assert.deepEqual(
    (bySales.json().items as { purpose: string }[]).map((e) => e.purpose),
    ['GET /api/v1/contacts/{id}'],
  );
  const columns = await sql<{ name: string }>`
    select column_name as name from information_schema.columns where table_name = 'access_log'`.execute(
    ctx.database.db,
  );
  assert.deepEqual(
    columns.rows.filter((c) => /ip|addr|agent|host/i.test(c.name)),
    [],
    'no column could hold an address',
  );
  assert.equal(
    (await ctx.app.inject({ url: '/api/v1/access-log', headers: bearer(sales.token) })).statusCode,
    403,
  );
});

test('access records cannot be rewritten by the application', async () => {
  const tenant = await ctx.newTenant();
  await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    recordAccess(tx, {
      tenantId: tenant.tenantId,
      userId: tenant.adminUserId,
      recordType: 'contact',
      recordIds: [randomUUID()],
      purpose: 'x',
    }),
  );
  await assert.rejects(
    withTenant(ctx.database.db, tenant.tenantId, (tx) =>
      tx.updateTable('accessLog').set({ purpose: 'nothing to see' }).execute(),
    ),
    /permission denied/,
  );
});

test('records older than the retention are pruned; the retention is a tenant setting', async () => {
  const tenant = await ctx.newTenant();
  const headers = bearer(tenant.apiToken);
  assert.equal(
    (await ctx.app.inject({ url: '/api/v1/settings/privacy', headers })).json().accessLogRetentionDays,
    365,
  );
  const bad = await ctx.app.inject({
    method: 'PATCH',
    url: '/api/v1/settings/privacy',
    headers,
    payload: { accessLogRetentionDays: 5 },
  });
  assert.equal(bad.statusCode, 400);
  const set = await ctx.app.inject({
    method: 'PATCH',
    url: '/api/v1/settings/privacy',
    headers,
    payload: { accessLogRetentionDays: 30 },
  });
  assert.equal(set.json().accessLogRetentionDays, 30);
  await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    recordAccess(tx, {
      tenantId: tenant.tenantId,
      userId: tenant.adminUserId,
      recordType: 'contact',
      recordIds: [randomUUID()],
      purpose: 'x',
    }),
  );
  const in29Days = new Date(Date.now() + 29 * 86_400_000);
  const in31Days = new Date(Date.now() + 31 * 86_400_000);
  assert.equal(await withTenant(ctx.database.db, tenant.tenantId, (tx) => pruneAccessLog(tx, in29Days)), 0);
  assert.equal(await withTenant(ctx.database.db, tenant.tenantId, (tx) => pruneAccessLog(tx, in31Days)), 1);
});
