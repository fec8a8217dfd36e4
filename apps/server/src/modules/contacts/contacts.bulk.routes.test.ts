import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Json = Record<string, unknown>;
const BULK = '/api/v1/contacts/bulk/tags';

async function call(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function newContact(token: string, body: Json): Promise<string> {
  const response = await call(token, 'POST', '/api/v1/contacts', body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}

async function tagsOf(token: string, id: string): Promise<string[]> {
  return (await call(token, 'GET', `/api/v1/contacts/${id}`)).json().tags;
}

async function auditActions(tenantId: string, entityId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ action: string; changes: { fields: string[] } }>`
      select action, changes from audit_log where entity_id = ${entityId} order by seq`.execute(tx);
    return rows.map((r) => [r.action, r.changes.fields]);
  });
}

test('bulk tags: adds and removes on each contact, creates missing tags, one outcome per id, audited per contact', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const a = await newContact(token, { lastName: 'A', tags: ['Lead', 'Berlin'] });
  const b = await newContact(token, { lastName: 'B', tags: ['lead'] });
  const c = await newContact(token, { lastName: 'C', tags: ['VIP'] });
  const before = (await call(token, 'GET', `/api/v1/contacts/${c}`)).json().updatedAt;
  const missing = randomUUID();
  const other = await ctx.newTenant();
  const theirs = await newContact(other.apiToken, { lastName: 'Fremd' });

  const response = await call(token, 'POST', BULK, {
    ids: [a, missing, b, c, theirs, a],
    add: ['Kunde', 'vip'],
    remove: ['LEAD'],
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(response.json().items, [
    { id: a, ok: true },
    { id: missing, ok: false, code: 'CONTACTS_NOT_FOUND' },
    { id: b, ok: true },
    { id: c, ok: true },
    { id: theirs, ok: false, code: 'CONTACTS_NOT_FOUND' },
  ]);
  assert.deepEqual(await tagsOf(token, a), ['Berlin', 'Kunde', 'VIP']);
  assert.deepEqual(await tagsOf(token, b), ['Kunde', 'VIP']);
  assert.deepEqual(await tagsOf(token, c), ['Kunde', 'VIP'], 'VIP and vip are one tag');
  assert.ok((await call(token, 'GET', `/api/v1/contacts/${c}`)).json().updatedAt > before, 'updatedAt moves');
  assert.deepEqual(await tagsOf(other.apiToken, theirs), [], "another tenant's contact is untouched");

  const tags = (await call(token, 'GET', '/api/v1/tags')).json().items as {
    name: string;
    contactCount: number;
  }[];
  assert.deepEqual(
    tags.map((t) => [t.name, t.contactCount]),
    [
      ['Berlin', 1],
      ['Kunde', 3],
      ['Lead', 0],
      ['VIP', 3],
    ],
    'Kunde was created once; Lead stays as a tag',
  );
  assert.deepEqual(await auditActions(tenant.tenantId, a), [
    ['contact.created', ['lastName', 'tags']],
    ['contact.updated', ['tags']],
  ]);

  const again = await call(token, 'POST', BULK, { ids: [a], add: ['Kunde'] });
  assert.deepEqual(again.json().items, [{ id: a, ok: true }]);
  assert.equal((await auditActions(tenant.tenantId, a)).length, 2, 'no change, no audit entry');
});

test('bulk tags: bad requests name the field; more than 1,000 ids are refused whole', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const paths = async (body: Json) => {
    const response = await call(token, 'POST', BULK, body);
    assert.equal(response.statusCode, 400, response.body);
    return (response.json().errors as { path: string }[]).map((e) => e.path);
  };
  assert.deepEqual(await paths({ ids: [randomUUID()] }), ['add']);
  assert.deepEqual(await paths({ ids: [], add: ['x'] }), ['ids']);
  assert.deepEqual(await paths({ ids: ['nope'], add: ['x'] }), ['ids.0']);
  assert.deepEqual(await paths({ ids: [randomUUID()], add: ['VIP'], remove: ['vip'] }), ['remove.0']);
  assert.deepEqual(await paths({ ids: [randomUUID()], add: [' '] }), ['add.0']);
  const tooMany = Array.from({ length: 1001 }, () => randomUUID());
  assert.deepEqual(await paths({ ids: tooMany, add: ['x'] }), ['ids']);
});

test('bulk tags: 1,000 contacts in one request', async (t) => {
  const tenant = await ctx.newTenant();
  const ids = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ id: string }>`
      insert into contact (tenant_id, last_name)
      select ${tenant.tenantId}::uuid, 'Massen ' || n from generate_series(1, 1000) n
      returning id`.execute(tx);
    return rows.map((r) => r.id);
  });
  const started = performance.now();
  const response = await call(tenant.apiToken, 'POST', BULK, { ids, add: ['Messe 2026', 'Lead'] });
  const ms = performance.now() - started;
  assert.equal(response.statusCode, 200, response.body);
  assert.equal((response.json().items as { ok: boolean }[]).filter((i) => i.ok).length, 1000);
  const tags = (await call(tenant.apiToken, 'GET', '/api/v1/tags')).json().items as {
    name: string;
    contactCount: number;
  }[];
  assert.deepEqual(
    tags.map((t) => [t.name, t.contactCount]),
    [
      ['Lead', 1000],
      ['Messe 2026', 1000],
    ],
  );
  const audited = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit_log where action = 'contact.updated'`.execute(tx);
    return rows[0]?.n;
  });
  assert.equal(audited, 1000);
  t.diagnostic(`1,000 contacts × 2 tags in ${Math.round(ms)} ms`);
});

test('bulk tags as a user limited to a group: other contacts are not found, none leaves the group', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const north = await newContact(admin, { lastName: 'Nord', tags: ['Nord'] });
  const both = await newContact(admin, { lastName: 'Beide', tags: ['Nord', 'Süd'] });
  const south = await newContact(admin, { lastName: 'Süd', tags: ['Süd'] });
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  await call(admin, 'PATCH', `/api/v1/users/${sales.userId}`, { contactScope: ['Nord'] });

  const response = await call(sales.token, 'POST', BULK, { ids: [north, both, south], remove: ['nord'] });
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(response.json().items, [
    { id: north, ok: false, code: 'CONTACTS_OUT_OF_SCOPE' },
    { id: both, ok: false, code: 'CONTACTS_OUT_OF_SCOPE' },
    { id: south, ok: false, code: 'CONTACTS_NOT_FOUND' },
  ]);
  assert.deepEqual(await tagsOf(admin, north), ['Nord'], 'unchanged');
  const added = await call(sales.token, 'POST', BULK, { ids: [north, south], add: ['VIP'] });
  assert.deepEqual(added.json().items, [
    { id: north, ok: true },
    { id: south, ok: false, code: 'CONTACTS_NOT_FOUND' },
  ]);
  assert.deepEqual(await tagsOf(admin, south), ['Süd']);

  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']);
  const refused = await call(readOnly.token, 'POST', BULK, { ids: [north], add: ['x'] });
  assert.equal(refused.statusCode, 403, 'needs contacts:update');
});
