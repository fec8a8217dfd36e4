import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { issueApiToken } from '../identity/index.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Json = Record<string, unknown>;

async function call(token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function created(token: string, url: string, payload: Json): Promise<Json & { id: string }> {
  const response = await call(token, 'POST', url, payload);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

async function found(
  token: string,
  resource: 'contacts' | 'companies',
  q: string,
  extra = '',
): Promise<string[]> {
  const response = await call(token, 'GET', `/api/v1/${resource}?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json().items as { id: string }[]).map((r) => r.id);
}

/** A user whose role reads contacts and sees the given categories as stated (others in full). */
async function userWith(
  tenantId: string,
  admin: string,
  fieldAccess: Record<string, string>,
): Promise<string> {
  const role = await call(admin, 'POST', '/api/v1/roles', {
    name: `Role ${Object.keys(fieldAccess).join(' ')}`,
    rights: ['contacts:read', 'companies:read'],
    fieldAccess,
  });
  assert.equal(role.statusCode, 201, role.body);
  const user = await call(admin, 'POST', '/api/v1/users', {
    email: `u${Date.now()}${Math.random().toString(36).slice(2)}@example.com`,
    roleIds: [role.json().id],
  });
  assert.equal(user.statusCode, 201, user.body);
  return (
    await withTenant(ctx.database.db, tenantId, (tx) =>
      issueApiToken(tx, { tenantId, userId: user.json().id, name: 't' }),
    )
  ).token;
}

test('a company search never finds a company by what the searcher may not see; its name always', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const company = await created(admin, '/api/v1/companies', {
    name: 'Sichtbar Holzbau AG',
    email: 'vertraulich@verborgen.example',
    city: 'Geheimstadt',
    phone: '+41 44 668 18 00',
    country: 'CH',
    vatId: 'CHE-123.456.788 MWST',
  });
  const blind = await userWith(tenant.tenantId, admin, {
    contact_details: 'none',
    address: 'masked',
    billing: 'none',
  });
  for (const q of ['vertraulich', 'Geheimstadt', '044 668 18 00', 'MWST']) {
    assert.deepEqual(await found(admin, 'companies', q), [company.id], `the admin finds it by ${q}`);
    assert.deepEqual(await found(blind, 'companies', q), [], `not by ${q}`);
  }
  assert.deepEqual(await found(blind, 'companies', 'holzbau'), [company.id], 'by its name');
  assert.deepEqual(await found(blind, 'companies', 'Sichtbr'), [company.id], 'by its name, misspelt');
});

test('a person is found by the company name even when no personal field is seen', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const company = await created(admin, '/api/v1/companies', { name: 'Rosengarten AG' });
  const person = await created(admin, '/api/v1/contacts', {
    firstName: 'Elsa',
    lastName: 'Birchler',
    companyId: company.id,
    city: 'Rosenheim',
  });
  const blind = await userWith(tenant.tenantId, admin, {
    identity: 'masked',
    address: 'none',
    contact_details: 'none',
  });
  assert.deepEqual(await found(blind, 'contacts', 'Rosengarten'), [person.id]);
  assert.deepEqual(await found(blind, 'contacts', 'Birchler'), [], 'not by a masked name');
  assert.deepEqual(await found(admin, 'contacts', 'Birchler'), [person.id]);
  assert.deepEqual(await found(blind, 'contacts', 'Rosenheim'), [], 'not by a hidden city');
  assert.deepEqual(await found(admin, 'contacts', 'Rosenheim'), [person.id]);
});

test('search with tag and company filters through HTTP: matches beyond the first 50 are filtered in', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const company = await created(admin, '/api/v1/companies', { name: 'Holz AG' });
  const early = await created(admin, '/api/v1/contacts', { lastName: 'Brunner', tags: ['Stammkunde'] });
  const worker = await created(admin, '/api/v1/contacts', { lastName: 'Brunner', companyId: company.id });
  for (let i = 0; i < 55; i += 1)
    await created(admin, '/api/v1/contacts', { firstName: `N${i}`, lastName: 'Brunner' });
  assert.equal((await found(admin, 'contacts', 'brunner')).length, 50, 'one page of the best 50');
  assert.deepEqual(await found(admin, 'contacts', 'brunner', '&tag=stammkunde'), [early.id]);
  assert.deepEqual(await found(admin, 'contacts', 'brunner', `&companyId=${company.id}`), [worker.id]);
  assert.deepEqual(await found(admin, 'contacts', 'brunner', '&tag=unbekannt'), []);
  const list = await call(admin, 'GET', '/api/v1/contacts?tag=Stammkunde&tag=unbekannt');
  assert.deepEqual(list.json().items, [], 'a list filtered by a tag nobody carries is empty');
});
