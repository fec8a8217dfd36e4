import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createUser } from './index.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

test("GET /api/v1/users pages through the tenant's users with a cursor, none twice, none skipped", async () => {
  const tenant = await ctx.newTenant();
  await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    for (let i = 0; i < 6; i++)
      await createUser(tx, { tenantId: tenant.tenantId, email: `user${i}@example.com` });
  });
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/v1/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await ctx.app.inject({ url, headers: bearer(tenant.apiToken) });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as {
      items: { email: string; createdAt: string }[];
      nextCursor: string | null;
    };
    assert.ok(body.items.length <= 3);
    for (const item of body.items) assert.match(item.createdAt, /Z$/);
    seen.push(...body.items.map((i) => i.email));
    cursor = body.nextCursor;
    pages += 1;
  } while (cursor && pages < 10);
  assert.equal(pages, 3);
  assert.equal(seen.length, 7);
  assert.equal(new Set(seen).size, 7);
});

test("one tenant's token never lists another tenant's users", async () => {
  const a = await ctx.newTenant({ adminEmail: 'only-a@example.com' });
  const b = await ctx.newTenant({ adminEmail: 'only-b@example.com' });
  const listA = (await ctx.app.inject({ url: '/api/v1/users', headers: bearer(a.apiToken) })).json() as {
    items: { email: string }[];
  };
  const listB = (await ctx.app.inject({ url: '/api/v1/users', headers: bearer(b.apiToken) })).json() as {
    items: { email: string }[];
  };
  assert.deepEqual(
    listA.items.map((i) => i.email),
    ['only-a@example.com'],
  );
  assert.deepEqual(
    listB.items.map((i) => i.email),
    ['only-b@example.com'],
  );
});

test('a cursor that was not handed out is a 400 problem', async () => {
  const { apiToken } = await ctx.newTenant();
  const response = await ctx.app.inject({ url: '/api/v1/users?cursor=bm9wZQ', headers: bearer(apiToken) });
  assert.equal(response.statusCode, 400);
  assert.equal(response.json().code, 'INVALID_CURSOR');
});

test('a revoked token stops working at once', async () => {
  const tenant = await ctx.newTenant();
  await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    tx.updateTable('apiToken').set({ revokedAt: new Date() }).execute(),
  );
  const response = await ctx.app.inject({ url: '/api/v1/users', headers: bearer(tenant.apiToken) });
  assert.equal(response.statusCode, 401);
});
