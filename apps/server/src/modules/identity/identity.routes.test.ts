import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createUser, issueApiToken } from './index.ts';

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

test('a Sales user gets 403 on /api/v1/users, an Owner 200', async () => {
  const tenant = await ctx.newTenant();
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const forbidden = await ctx.app.inject({ url: '/api/v1/users', headers: bearer(sales.token) });
  assert.equal(forbidden.statusCode, 403);
  assert.equal(forbidden.json().code, 'FORBIDDEN');
  assert.match(forbidden.json().detail, /users:read/);
  assert.equal(
    (await ctx.app.inject({ url: '/api/v1/users', headers: bearer(tenant.apiToken) })).statusCode,
    200,
  );
});

test('GET /api/v1/auth/me tells who I am, my roles and my rights', async () => {
  const tenant = await ctx.newTenant({ adminEmail: 'me@example.com' });
  const me = (await ctx.app.inject({ url: '/api/v1/auth/me', headers: bearer(tenant.apiToken) })).json();
  assert.equal(me.userId, tenant.adminUserId);
  assert.equal(me.tenantId, tenant.tenantId);
  assert.equal(me.email, 'me@example.com');
  assert.deepEqual(me.roles, ['Owner']);
  assert.ok(me.rights.includes('privacy:approve'));
  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']);
  const ro = (await ctx.app.inject({ url: '/api/v1/auth/me', headers: bearer(readOnly.token) })).json();
  assert.deepEqual(ro.roles, ['Read-only']);
  assert.ok(ro.rights.every((r: string) => r.endsWith(':read')));
});

test('an admin adds a user with roles; the new user has exactly those rights', async () => {
  const tenant = await ctx.newTenant();
  const roles = (await ctx.app.inject({ url: '/api/v1/roles', headers: bearer(tenant.apiToken) })).json()
    .items as {
    id: string;
    builtinKey: string;
  }[];
  assert.deepEqual(roles.map((r) => r.builtinKey).sort(), [
    'accounting',
    'admin',
    'marketing',
    'owner',
    'privacy_officer',
    'read_only',
    'sales',
  ]);
  const accounting = roles.find((r) => r.builtinKey === 'accounting')?.id;
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(tenant.apiToken),
    payload: { email: 'Buchhaltung@Example.com', displayName: 'Buchhaltung', roleIds: [accounting] },
  });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().email, 'buchhaltung@example.com');
  assert.deepEqual(
    created.json().roles.map((r: { name: string }) => r.name),
    ['Accounting'],
  );
  const again = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(tenant.apiToken),
    payload: { email: 'buchhaltung@example.com' },
  });
  assert.equal(again.statusCode, 409);
  const unknownRole = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(tenant.apiToken),
    payload: { email: 'x@example.com', roleIds: ['00000000-0000-4000-8000-000000000000'] },
  });
  assert.equal(unknownRole.statusCode, 400);
  assert.equal(unknownRole.json().errors[0].path, 'roleIds.0');
});

test("another tenant's user or role ids are 404, never revealed", async () => {
  const a = await ctx.newTenant();
  const b = await ctx.newTenant();
  const user = await ctx.app.inject({ url: `/api/v1/users/${b.adminUserId}`, headers: bearer(a.apiToken) });
  assert.equal(user.statusCode, 404);
  const bRoles = (await ctx.app.inject({ url: '/api/v1/roles', headers: bearer(b.apiToken) })).json()
    .items as { id: string }[];
  const patch = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/roles/${bRoles[1]?.id}`,
    headers: bearer(a.apiToken),
    payload: { name: 'Hijacked' },
  });
  assert.equal(patch.statusCode, 404);
});

test('the last Owner keeps the Owner role, and the Owner role cannot be changed or deleted', async () => {
  const tenant = await ctx.newTenant();
  const roles = (await ctx.app.inject({ url: '/api/v1/roles', headers: bearer(tenant.apiToken) })).json()
    .items as {
    id: string;
    builtinKey: string;
  }[];
  const owner = roles.find((r) => r.builtinKey === 'owner')?.id;
  const demote = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${tenant.adminUserId}`,
    headers: bearer(tenant.apiToken),
    payload: { roleIds: [] },
  });
  assert.equal(demote.statusCode, 409);
  assert.equal(demote.json().code, 'IDENTITY_LAST_OWNER');
  for (const request of [
    { method: 'PATCH' as const, payload: { rights: ['contacts:read'] } },
    { method: 'DELETE' as const, payload: undefined },
  ]) {
    const response = await ctx.app.inject({
      ...request,
      url: `/api/v1/roles/${owner}`,
      headers: bearer(tenant.apiToken),
    });
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().code, 'IDENTITY_OWNER_ROLE_FIXED');
  }
});

test('a tenant defines a role, changes its rights, and deletes it once nobody holds it', async () => {
  const tenant = await ctx.newTenant();
  const headers = bearer(tenant.apiToken);
  const bad = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/roles',
    headers,
    payload: { name: 'Werkstatt', rights: ['contacts:fly'] },
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].path, 'rights.0');
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/roles',
    headers,
    payload: { name: 'Werkstatt', rights: ['contacts:read'] },
  });
  assert.equal(created.statusCode, 201);
  const roleId = created.json().id as string;
  const changed = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/roles/${roleId}`,
    headers,
    payload: { rights: ['contacts:read', 'calendar:read', 'calendar:create'] },
  });
  assert.deepEqual(changed.json().rights, ['calendar:create', 'calendar:read', 'contacts:read']);
  const user = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers,
    payload: { email: 'w@example.com', roleIds: [roleId] },
  });
  assert.equal(user.statusCode, 201);
  const inUse = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/roles/${roleId}`, headers });
  assert.equal(inUse.statusCode, 409);
  await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${user.json().id}`,
    headers,
    payload: { roleIds: [] },
  });
  assert.equal(
    (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/roles/${roleId}`, headers })).statusCode,
    204,
  );
});

test('API tokens: created with my rights, shown once, listed without secret, revoked for good', async () => {
  const tenant = await ctx.newTenant();
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-tokens',
    headers: bearer(sales.token),
    payload: { name: 'CRM sync', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id, token } = created.json() as { id: string; token: string };
  const withNew = await ctx.app.inject({ url: '/api/v1/users', headers: bearer(token) });
  assert.equal(withNew.statusCode, 403, "the token carries the user's rights, not more");
  const list = await ctx.app.inject({ url: '/api/v1/api-tokens', headers: bearer(sales.token) });
  assert.ok(list.json().items.some((t: { id: string }) => t.id === id));
  assert.doesNotMatch(list.body, /ktr_/);
  const past = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/api-tokens',
    headers: bearer(sales.token),
    payload: { name: 'old', expiresAt: '2020-01-01T00:00:00Z' },
  });
  assert.equal(past.statusCode, 400);
  const othersRevoke = await ctx.app.inject({
    method: 'DELETE',
    url: `/api/v1/api-tokens/${id}`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(othersRevoke.statusCode, 404, "one cannot revoke another user's token through this route");
  assert.equal(
    (
      await ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/api-tokens/${id}`,
        headers: bearer(sales.token),
      })
    ).statusCode,
    204,
  );
  assert.equal((await ctx.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 401);
});

test('an expired token is refused like an unknown one', async () => {
  const tenant = await ctx.newTenant();
  await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    tx
      .updateTable('apiToken')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .execute(),
  );
  assert.equal(
    (await ctx.app.inject({ url: '/api/v1/auth/me', headers: bearer(tenant.apiToken) })).statusCode,
    401,
  );
});

test('changes of users, roles and tokens land in the audit log, personal data by field name only', async () => {
  const tenant = await ctx.newTenant();
  const headers = bearer(tenant.apiToken);
  const role = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/roles',
    headers,
    payload: { name: 'Lager', rights: ['contacts:read'] },
  });
  await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/roles/${role.json().id}`,
    headers,
    payload: { rights: ['contacts:read', 'contacts:update'], fieldAccess: { billing: 'none' } },
  });
  const user = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers,
    payload: { email: 'lager@example.com', displayName: 'Lisa Lager', roleIds: [role.json().id] },
  });
  const log = await ctx.app.inject({ url: '/api/v1/audit-log?limit=50', headers });
  assert.equal(log.statusCode, 200, log.body);
  const items = log.json().items as { action: string; entityId: string; changes: Record<string, unknown> }[];
  const actions = items.map((i) => i.action);
  for (const a of ['tenant.created', 'user.created', 'role.created', 'role.updated', 'user.roles-changed']) {
    assert.ok(actions.includes(a), `${a} missing from ${actions.join(', ')}`);
  }
  const roleUpdate = items.find((i) => i.action === 'role.updated');
  assert.ok(roleUpdate);
  assert.deepEqual((roleUpdate.changes.after as { rights: string[] }).rights, [
    'contacts:read',
    'contacts:update',
  ]);
  const created = items.find((i) => i.action === 'user.created' && i.entityId === user.json().id);
  assert.deepEqual(created?.changes, { kind: 'personal-data', fields: ['email', 'displayName'] });
  assert.doesNotMatch(log.body, /Lisa Lager|lager@example\.com/, 'no personal values in the audit log');
});

test('field access of a role survives the round trip, category names with underscores included', async () => {
  const tenant = await ctx.newTenant();
  const headers = bearer(tenant.apiToken);
  const role = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/roles',
    headers,
    payload: {
      name: 'Empfang',
      rights: ['contacts:read'],
      fieldAccess: { contact_details: 'none', billing: 'masked' },
    },
  });
  assert.equal(role.statusCode, 201, role.body);
  assert.equal(role.json().fieldAccess.contact_details, 'none');
  const user = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers,
    payload: { email: 'empfang@example.com', roleIds: [role.json().id] },
  });
  const token = await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    issueApiToken(tx, { tenantId: tenant.tenantId, userId: user.json().id, name: 't' }),
  );
  const me = (await ctx.app.inject({ url: '/api/v1/auth/me', headers: bearer(token.token) })).json();
  assert.equal(me.fieldAccess.contact_details, 'none');
  assert.equal(me.fieldAccess.billing, 'masked');
  assert.equal(me.fieldAccess.address, 'full');
});

test('the user list shows each user with their roles', async () => {
  const tenant = await ctx.newTenant({ adminEmail: 'roles-list@example.com' });
  await ctx.newUser(tenant.tenantId, ['sales', 'marketing']);
  const list = (await ctx.app.inject({ url: '/api/v1/users', headers: bearer(tenant.apiToken) })).json() as {
    items: { email: string; roles: { name: string }[] }[];
  };
  assert.deepEqual(
    list.items.map((u) => u.roles.map((r) => r.name)),
    [['Owner'], ['Marketing', 'Sales']],
  );
});
