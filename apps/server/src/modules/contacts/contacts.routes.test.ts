import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createRole, createUser, issueApiToken } from '../identity/index.ts';

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

async function search(token: string, q: string): Promise<string[]> {
  const response = await call(token, 'GET', `/api/v1/contacts?q=${encodeURIComponent(q)}`);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json().items as { firstName: string }[]).map((c) => c.firstName);
}

async function auditOf(tenantId: string, entityId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ action: string; changes: { kind: string; fields: string[] } }>`
      select action, changes from audit_log where entity_id = ${entityId} order by seq`.execute(tx);
    return rows;
  });
}

async function accessLogOf(tenantId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ recordIds: string[]; purpose: string; kind: string }>`
      select record_ids, purpose, kind from access_log order by occurred_at, id`.execute(tx);
    return rows;
  });
}

const FULL_CONTACT = {
  salutation: 'Frau',
  firstName: 'Anna',
  lastName: 'Müller',
  street: 'Bahnhofstrasse 1',
  addressLine1: 'c/o Beispiel AG',
  addressLine2: '3. Stock',
  postalCode: '8001',
  city: 'Zürich',
  region: 'ZH',
  country: 'ch',
  email: 'anna.mueller@example.ch',
  language: 'de-ch',
  phone: '044 668 18 00',
  fax: '044 668 18 01',
  mobile: '079 123 45 67',
  website: 'example.ch',
  birthday: '1984-02-29',
  iban: 'CH93 0076 2011 6238 5295 7',
  bic: 'UBSWCHZH80A',
  paymentMethod: 'sepa_direct_debit',
  accountHolder: 'Anna Müller',
  vatId: 'CHE-123.456.789 MWST',
  notes: 'Prefers email.',
  tags: ['VIP', 'Newsletter'],
  customFields: { shoe_size: 38, vegan: true },
};

test('create, read, change and delete a contact with every field; audited by field name, reads logged', async () => {
  const tenant = await ctx.newTenant();
  for (const [key, type] of [
    ['shoe_size', 'number'],
    ['vegan', 'boolean'],
    ['club', 'text'],
  ]) {
    await created(tenant.apiToken, '/api/v1/custom-fields', { objectType: 'contact', key, label: key, type });
  }
  const company = await created(tenant.apiToken, '/api/v1/companies', { name: 'Beispiel AG', country: 'CH' });
  const contact = await created(tenant.apiToken, '/api/v1/contacts', {
    ...FULL_CONTACT,
    companyId: company.id,
  });
  assert.deepEqual(
    { ...contact, id: undefined, createdAt: undefined, updatedAt: undefined },
    {
      ...FULL_CONTACT,
      id: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      companyId: company.id,
      companyName: 'Beispiel AG',
      country: 'CH',
      language: 'de-CH',
      phone: '+41446681800',
      fax: '+41446681801',
      mobile: '+41791234567',
      website: 'https://example.ch',
      iban: 'CH9300762011623852957',
      tags: ['Newsletter', 'VIP'],
    },
  );
  assert.match(String(contact.createdAt), /Z$/);

  const read = await call(tenant.apiToken, 'GET', `/api/v1/contacts/${contact.id}`);
  assert.equal(read.statusCode, 200);
  assert.deepEqual(read.json(), contact);

  const patched = await call(tenant.apiToken, 'PATCH', `/api/v1/contacts/${contact.id}`, {
    notes: null,
    phone: '044 668 18 09',
    tags: ['vip', 'Kunde'],
    customFields: { shoe_size: null, club: 'FCZ' },
  });
  assert.equal(patched.statusCode, 200, patched.body);
  const after = patched.json();
  assert.equal(after.notes, null);
  assert.equal(after.phone, '+41446681809', 'read in the stored country, CH');
  assert.deepEqual(after.tags, ['Kunde', 'VIP']);
  assert.deepEqual(after.customFields, { vegan: true, club: 'FCZ' });
  assert.equal(after.firstName, 'Anna', 'fields not given stay');

  assert.equal((await call(tenant.apiToken, 'DELETE', `/api/v1/contacts/${contact.id}`)).statusCode, 204);
  const gone = await call(tenant.apiToken, 'GET', `/api/v1/contacts/${contact.id}`);
  assert.equal(gone.statusCode, 404);
  assert.equal(gone.json().code, 'CONTACTS_NOT_FOUND');

  const audit = await auditOf(tenant.tenantId, contact.id);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['contact.created', 'contact.updated', 'contact.deleted'],
  );
  assert.ok(audit[0]?.changes.fields.includes('iban'));
  assert.ok(audit[0]?.changes.fields.includes('customFields.shoe_size'));
  assert.deepEqual(audit[1]?.changes, {
    kind: 'personal-data',
    fields: ['phone', 'notes', 'tags', 'customFields.shoe_size', 'customFields.club'],
  });
  const stored = JSON.stringify(audit);
  for (const value of ['Müller', 'CH93', '446681800', 'example.ch']) {
    assert.ok(!stored.includes(value), `no value (${value}) in the audit log`);
  }
  const reads = await accessLogOf(tenant.tenantId);
  assert.deepEqual(reads, [{ recordIds: [contact.id], purpose: 'GET /api/v1/contacts/{id}', kind: 'read' }]);
});

test('invalid IBAN, phone, email and unknown country: one 400 naming each field', async () => {
  const tenant = await ctx.newTenant();
  const response = await call(tenant.apiToken, 'POST', '/api/v1/contacts', {
    lastName: 'Muster',
    iban: 'DE88 3704 0044 0532 0130 00',
    phone: '12345',
    email: 'muster@',
    country: 'XY',
  });
  assert.equal(response.statusCode, 400);
  const problem = response.json();
  assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
  assert.equal(problem.code, 'VALIDATION_FAILED');
  assert.deepEqual((problem.errors as { path: string }[]).map((e) => e.path).sort(), [
    'country',
    'email',
    'iban',
    'phone',
  ]);

  const company = await call(tenant.apiToken, 'POST', '/api/v1/companies', {
    name: 'Muster GmbH',
    vatId: 'DE12',
    website: 'mailto:x@example.com',
  });
  assert.equal(company.statusCode, 400);
  assert.deepEqual((company.json().errors as { path: string }[]).map((e) => e.path).sort(), [
    'vatId',
    'website',
  ]);

  const swiss = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Keller', country: 'CH' });
  const national = await call(tenant.apiToken, 'PATCH', `/api/v1/contacts/${swiss.id}`, {
    phone: '030 1234567',
    iban: 'nope',
  });
  assert.equal(national.statusCode, 400);
  assert.deepEqual(
    (national.json().errors as { path: string }[]).map((e) => e.path),
    ['iban'],
  );
  const onlyPhone = await call(tenant.apiToken, 'PATCH', `/api/v1/contacts/${swiss.id}`, {
    phone: '030 1234567',
  });
  assert.equal(onlyPhone.statusCode, 400, 'a Berlin number is not a Swiss one');
  assert.deepEqual(onlyPhone.json().errors, [
    { path: 'phone', message: 'is not a valid phone number in CH (add the country code, e.g. +41…)' },
  ]);
  const emptied = await call(tenant.apiToken, 'PATCH', `/api/v1/contacts/${swiss.id}`, { lastName: null });
  assert.equal(emptied.statusCode, 400);
  assert.equal(emptied.json().errors[0].path, 'lastName');
});

test('search: Müller, Mueller and muller find each other; typos, company, email, phone and city find too', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const acme = await created(token, '/api/v1/companies', { name: 'Gärtnerei Blümli' });
  await created(token, '/api/v1/contacts', { firstName: 'Anna', lastName: 'Müller', city: 'Zürich' });
  await created(token, '/api/v1/contacts', {
    firstName: 'Bernd',
    lastName: 'Mueller',
    phone: '+49 30 1234567',
  });
  await created(token, '/api/v1/contacts', {
    firstName: 'Claire',
    lastName: 'muller',
    email: 'claire@exemple.fr',
  });
  await created(token, '/api/v1/contacts', { firstName: 'Dora', lastName: 'Meier', companyId: acme.id });
  await created(token, '/api/v1/contacts', { firstName: 'Emil', lastName: 'Schmidt', city: 'Straßburg' });

  for (const q of ['Müller', 'Mueller', 'muller', 'MÜLLER']) {
    assert.deepEqual((await search(token, q)).sort(), ['Anna', 'Bernd', 'Claire'], q);
  }
  assert.ok((await search(token, 'Mülle')).includes('Anna'), 'a typo still finds Müller');
  assert.ok((await search(token, 'Muler')).includes('Anna'), 'a missing letter still finds Müller');
  assert.deepEqual(await search(token, 'anna müller'), ['Anna'], 'every word must match');
  assert.deepEqual(await search(token, 'Blumli'), ['Dora'], 'by company name, umlaut-tolerant');
  assert.deepEqual(await search(token, 'Gaertnerei'), ['Dora']);
  assert.deepEqual(await search(token, 'claire@exemple.fr'), ['Claire']);
  assert.deepEqual(await search(token, '030 1234567'), ['Bernd'], 'a national number finds the E.164 one');
  assert.deepEqual(await search(token, 'zurich'), ['Anna']);
  assert.deepEqual(await search(token, 'Strassburg'), ['Emil'], 'ß and ss are one');
  assert.deepEqual(await search(token, 'xylophon'), []);

  const ranked = await call(token, 'GET', '/api/v1/contacts?q=muller&limit=100');
  assert.equal(ranked.statusCode, 200);
  assert.equal(ranked.json().nextCursor, null, 'a search is one page');

  const searches = (await accessLogOf(tenant.tenantId)).filter((e) => e.kind === 'search');
  assert.ok(searches.length > 0);
  for (const entry of searches) assert.equal(entry.purpose, 'GET /api/v1/contacts', 'never the search terms');

  // Renaming a company: its persons are found under the new name.
  assert.equal(
    (await call(token, 'PATCH', `/api/v1/companies/${acme.id}`, { name: 'Rosengarten AG' })).statusCode,
    200,
  );
  assert.deepEqual(await search(token, 'Rosengarten'), ['Dora']);
  assert.deepEqual(await search(token, 'Blümli'), []);
});

test('tags: created on the fly, case-insensitive, filter contacts (all of several), listed with counts', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  await created(token, '/api/v1/contacts', { firstName: 'A', tags: ['VIP', 'Berlin'] });
  await created(token, '/api/v1/contacts', { firstName: 'B', tags: ['vip'] });
  await created(token, '/api/v1/contacts', { firstName: 'C' });
  await created(token, '/api/v1/companies', { name: 'Firma', tags: ['Vip'] });

  const names = async (url: string) =>
    ((await call(token, 'GET', url)).json().items as { firstName: string }[]).map((c) => c.firstName).sort();
  assert.deepEqual(await names('/api/v1/contacts?tag=VIP'), ['A', 'B']);
  assert.deepEqual(await names('/api/v1/contacts?tag=vip&tag=berlin'), ['A']);
  assert.deepEqual(await names('/api/v1/contacts?tag=unknown'), []);
  assert.deepEqual(await names('/api/v1/contacts?q=b&tag=vip'), ['B']);

  const tags = await call(token, 'GET', '/api/v1/tags');
  assert.equal(tags.statusCode, 200, tags.body);
  assert.deepEqual(
    (tags.json().items as { name: string; contactCount: number; companyCount: number }[]).map((t) => [
      t.name,
      t.contactCount,
      t.companyCount,
    ]),
    [
      ['Berlin', 1, 0],
      ['VIP', 2, 1],
    ],
  );
  const firstPage = (await call(token, 'GET', '/api/v1/tags?limit=1')).json();
  assert.equal(firstPage.items[0].name, 'Berlin');
  const secondPage = (await call(token, 'GET', `/api/v1/tags?limit=1&cursor=${firstPage.nextCursor}`)).json();
  assert.deepEqual(
    secondPage.items.map((t: { name: string }) => t.name),
    ['VIP'],
  );
  assert.equal(secondPage.nextCursor, null);
});

test('lists page newest first with a cursor, none twice, none skipped; companyId filters persons', async () => {
  const tenant = await ctx.newTenant();
  const company = await created(tenant.apiToken, '/api/v1/companies', { name: 'Paging AG' });
  for (let i = 0; i < 5; i++) {
    await created(tenant.apiToken, '/api/v1/contacts', {
      firstName: `P${i}`,
      ...(i % 2 === 0 ? { companyId: company.id } : {}),
    });
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const body = (await call(tenant.apiToken, 'GET', url)).json() as {
      items: { firstName: string }[];
      nextCursor: string | null;
    };
    seen.push(...body.items.map((c) => c.firstName));
    cursor = body.nextCursor;
    pages += 1;
  } while (cursor && pages < 10);
  assert.deepEqual(seen, ['P4', 'P3', 'P2', 'P1', 'P0']);
  const ofCompany = (await call(tenant.apiToken, 'GET', `/api/v1/contacts?companyId=${company.id}`)).json();
  assert.deepEqual(
    ofCompany.items.map((c: { firstName: string }) => c.firstName),
    ['P4', 'P2', 'P0'],
  );
  const reads = await accessLogOf(tenant.tenantId);
  assert.ok(reads.every((r) => r.purpose === 'GET /api/v1/contacts' && r.kind === 'read'));
  assert.equal((await call(tenant.apiToken, 'GET', '/api/v1/contacts?cursor=bm9wZQ')).statusCode, 400);
});

test("another tenant's contacts and companies are 404, and cannot be referenced", async () => {
  const a = await ctx.newTenant();
  const b = await ctx.newTenant();
  const theirs = await created(b.apiToken, '/api/v1/contacts', { firstName: 'Secret', lastName: 'Person' });
  const theirCompany = await created(b.apiToken, '/api/v1/companies', { name: 'Secret AG' });
  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    const response = await call(
      a.apiToken,
      method,
      `/api/v1/contacts/${theirs.id}`,
      method === 'PATCH' ? { notes: 'x' } : undefined,
    );
    assert.equal(response.statusCode, 404, `${method} contact`);
    const company = await call(
      a.apiToken,
      method,
      `/api/v1/companies/${theirCompany.id}`,
      method === 'PATCH' ? { name: 'x' } : undefined,
    );
    assert.equal(company.statusCode, 404, `${method} company`);
    assert.equal(company.json().code, 'CONTACTS_COMPANY_NOT_FOUND');
  }
  const referencing = await call(a.apiToken, 'POST', '/api/v1/contacts', {
    lastName: 'Mine',
    companyId: theirCompany.id,
  });
  assert.equal(referencing.statusCode, 400);
  assert.deepEqual(referencing.json().errors, [{ path: 'companyId', message: 'there is no such company' }]);
  assert.deepEqual((await call(a.apiToken, 'GET', '/api/v1/contacts?q=secret')).json().items, []);
  assert.deepEqual((await call(a.apiToken, 'GET', '/api/v1/contacts')).json().items, []);
  assert.equal((await call(b.apiToken, 'GET', `/api/v1/contacts/${theirs.id}`)).statusCode, 200);
});

test('deleting a company deletes its persons, each in the audit log', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const company = await created(token, '/api/v1/companies', { name: 'Weg GmbH', tags: ['Lead'] });
  const p1 = await created(token, '/api/v1/contacts', {
    firstName: 'Eins',
    companyId: company.id,
    tags: ['Lead'],
  });
  const p2 = await created(token, '/api/v1/contacts', { firstName: 'Zwei', companyId: company.id });
  const other = await created(token, '/api/v1/contacts', { firstName: 'Drei' });
  const read = (await call(token, 'GET', `/api/v1/companies/${company.id}`)).json();
  assert.equal(read.contactCount, 2);

  assert.equal((await call(token, 'DELETE', `/api/v1/companies/${company.id}`)).statusCode, 204);
  assert.equal((await call(token, 'GET', `/api/v1/companies/${company.id}`)).statusCode, 404);
  assert.equal((await call(token, 'GET', `/api/v1/contacts/${p1.id}`)).statusCode, 404);
  assert.equal((await call(token, 'GET', `/api/v1/contacts/${p2.id}`)).statusCode, 404);
  assert.equal((await call(token, 'GET', `/api/v1/contacts/${other.id}`)).statusCode, 200);
  assert.deepEqual(
    (await auditOf(tenant.tenantId, company.id)).map((a) => a.action),
    ['company.created', 'company.deleted'],
  );
  assert.deepEqual(
    (await auditOf(tenant.tenantId, p1.id)).map((a) => a.action),
    ['contact.created', 'contact.deleted'],
  );
  const tags = (await call(token, 'GET', '/api/v1/tags')).json().items;
  assert.deepEqual(tags, [{ ...tags[0], name: 'Lead', contactCount: 0, companyCount: 0 }]);
});

test('deleting a company with persons needs contacts:delete as well as companies:delete', async () => {
  const tenant = await ctx.newTenant();
  const token = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const role = await createRole(tx, tenant.tenantId, {
      name: 'Company cleaner',
      rights: ['companies:read', 'companies:create', 'companies:delete'],
    });
    const user = await createUser(tx, {
      tenantId: tenant.tenantId,
      email: 'cleaner@example.com',
      roleIds: [role.id],
    });
    return (await issueApiToken(tx, { tenantId: tenant.tenantId, userId: user.id, name: 't' })).token;
  });
  const empty = await created(token, '/api/v1/companies', { name: 'Leer AG' });
  assert.equal((await call(token, 'DELETE', `/api/v1/companies/${empty.id}`)).statusCode, 204);
  const staffed = await created(token, '/api/v1/companies', { name: 'Voll AG' });
  const person = await created(tenant.apiToken, '/api/v1/contacts', {
    lastName: 'Bleibt',
    companyId: staffed.id,
  });
  const refused = await call(token, 'DELETE', `/api/v1/companies/${staffed.id}`);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().code, 'CONTACTS_CASCADE_FORBIDDEN');
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/contacts/${person.id}`)).statusCode, 200);
});

test('a Read-only user reads but may not create, change or delete', async () => {
  const tenant = await ctx.newTenant();
  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']);
  const contact = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Lesbar' });
  const company = await created(tenant.apiToken, '/api/v1/companies', { name: 'Lesbar AG' });
  assert.equal((await call(readOnly.token, 'GET', '/api/v1/contacts')).statusCode, 200);
  assert.equal((await call(readOnly.token, 'GET', `/api/v1/contacts/${contact.id}`)).statusCode, 200);
  assert.equal((await call(readOnly.token, 'GET', `/api/v1/companies/${company.id}`)).statusCode, 200);
  assert.equal((await call(readOnly.token, 'GET', '/api/v1/tags')).statusCode, 200);
  const attempts = [
    await call(readOnly.token, 'POST', '/api/v1/contacts', { lastName: 'Neu' }),
    await call(readOnly.token, 'PATCH', `/api/v1/contacts/${contact.id}`, { lastName: 'Anders' }),
    await call(readOnly.token, 'DELETE', `/api/v1/contacts/${contact.id}`),
    await call(readOnly.token, 'POST', '/api/v1/companies', { name: 'Neu AG' }),
    await call(readOnly.token, 'PATCH', `/api/v1/companies/${company.id}`, { name: 'Anders AG' }),
    await call(readOnly.token, 'DELETE', `/api/v1/companies/${company.id}`),
  ];
  for (const response of attempts) {
    assert.equal(response.statusCode, 403, response.body);
    assert.equal(response.json().code, 'FORBIDDEN');
  }
  assert.equal(
    (await call(tenant.apiToken, 'GET', `/api/v1/contacts/${contact.id}`)).json().lastName,
    'Lesbar',
  );
});

test('field access: Sales sees the IBAN masked, Read-only sees no billing or notes; lists and searches alike', async () => {
  const tenant = await ctx.newTenant();
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']);
  const contact = await created(tenant.apiToken, '/api/v1/contacts', {
    firstName: 'Maskiert',
    lastName: 'Person',
    iban: 'DE89 3704 0044 0532 0130 00',
    notes: 'private',
  });
  assert.equal(contact.iban, 'DE89370400440532013000', 'the Owner sees it in full');
  const asSales = (await call(sales.token, 'GET', `/api/v1/contacts/${contact.id}`)).json();
  assert.equal(asSales.iban, 'DE89 **** **** 3000');
  assert.equal(asSales.firstName, 'Maskiert');
  assert.equal(asSales.notes, 'private');
  const listed = (await call(sales.token, 'GET', '/api/v1/contacts')).json().items[0];
  assert.equal(listed.iban, 'DE89 **** **** 3000');
  const found = (await call(sales.token, 'GET', '/api/v1/contacts?q=maskiert')).json().items[0];
  assert.equal(found.iban, 'DE89 **** **** 3000');
  const asReader = (await call(readOnly.token, 'GET', `/api/v1/contacts/${contact.id}`)).json();
  assert.equal(asReader.iban, null);
  assert.equal(asReader.notes, null);
  assert.equal(asReader.lastName, 'Person');
  const patched = await call(sales.token, 'PATCH', `/api/v1/contacts/${contact.id}`, { city: 'Köln' });
  assert.equal(patched.json().iban, 'DE89 **** **** 3000', 'answers to writes are shaped too');
});

test('the OpenAPI document describes the contact endpoints', async () => {
  const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
  assert.ok(doc.paths['/api/v1/contacts']?.post, 'POST /api/v1/contacts');
  assert.ok(doc.paths['/api/v1/companies/{id}']?.delete);
  assert.ok(doc.paths['/api/v1/tags']?.get);
});

test('a user limited to a group sees, finds and changes only contacts of that group', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const north = await created(admin, '/api/v1/contacts', {
    firstName: 'Nora',
    lastName: 'Nordmann',
    tags: ['Nord'],
  });
  const south = await created(admin, '/api/v1/contacts', {
    firstName: 'Sepp',
    lastName: 'Südmann',
    tags: ['Süd'],
  });
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const scoped = await call(admin, 'PATCH', `/api/v1/users/${sales.userId}`, { contactScope: ['nord'] });
  assert.equal(scoped.statusCode, 200, scoped.body);
  assert.deepEqual(scoped.json().contactScope, ['nord']);

  const list = await call(sales.token, 'GET', '/api/v1/contacts');
  assert.deepEqual(
    (list.json().items as { id: string }[]).map((c) => c.id),
    [north.id],
  );
  assert.deepEqual(await search(sales.token, 'mann'), ['Nora']);
  assert.equal((await call(sales.token, 'GET', `/api/v1/contacts/${south.id}`)).statusCode, 404);
  assert.equal(
    (await call(sales.token, 'PATCH', `/api/v1/contacts/${south.id}`, { city: 'Wien' })).statusCode,
    404,
  );
  assert.equal(
    (await call(admin, 'GET', `/api/v1/contacts/${south.id}`)).json().city,
    null,
    'the out-of-scope contact was not changed',
  );

  const untagged = await call(sales.token, 'POST', '/api/v1/contacts', { lastName: 'Ohnegruppe' });
  assert.equal(untagged.statusCode, 400);
  assert.equal(untagged.json().code, 'CONTACTS_OUT_OF_SCOPE');
  assert.equal(untagged.json().errors[0].path, 'tags');
  const mine = await created(sales.token, '/api/v1/contacts', { lastName: 'Neu', tags: ['Nord', 'VIP'] });
  const away = await call(sales.token, 'PATCH', `/api/v1/contacts/${mine.id}`, { tags: ['Süd'] });
  assert.equal(away.statusCode, 400, 'a scoped user cannot move a contact out of their groups');

  await call(admin, 'PATCH', `/api/v1/users/${sales.userId}`, { contactScope: null });
  assert.equal((await call(sales.token, 'GET', '/api/v1/contacts')).json().items.length, 3);
});

test('a user limited to a group cannot delete a company whose persons reach beyond it', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const company = await created(admin, '/api/v1/companies', { name: 'Gemischt AG' });
  await created(admin, '/api/v1/contacts', { lastName: 'Innen', companyId: company.id, tags: ['Nord'] });
  const outside = await created(admin, '/api/v1/contacts', {
    lastName: 'Aussen',
    companyId: company.id,
    tags: ['Süd'],
  });
  const manager = await ctx.newUser(tenant.tenantId, ['admin']);
  await call(admin, 'PATCH', `/api/v1/users/${manager.userId}`, { contactScope: ['Nord'] });
  const refused = await call(manager.token, 'DELETE', `/api/v1/companies/${company.id}`);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().code, 'CONTACTS_CASCADE_FORBIDDEN');
  assert.equal((await call(admin, 'GET', `/api/v1/contacts/${outside.id}`)).statusCode, 200);
  assert.equal((await call(admin, 'DELETE', `/api/v1/companies/${company.id}`)).statusCode, 204);
});

test('a search never finds people by what the searcher may not see', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  await created(admin, '/api/v1/contacts', {
    firstName: 'Greta',
    lastName: 'Verborgen',
    email: 'geheimadresse@example.com',
    phone: '+41 44 668 18 00',
    country: 'CH',
  });
  const role = await call(admin, 'POST', '/api/v1/roles', {
    name: 'Empfang',
    rights: ['contacts:read'],
    fieldAccess: { contact_details: 'none' },
  });
  const user = await call(admin, 'POST', '/api/v1/users', {
    email: 'empfang@example.com',
    roleIds: [role.json().id],
  });
  const token = (
    await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
      issueApiToken(tx, { tenantId: tenant.tenantId, userId: user.json().id, name: 't' }),
    )
  ).token;
  assert.deepEqual(await search(admin, 'geheimadresse'), ['Greta']);
  assert.deepEqual(await search(token, 'geheimadresse'), [], 'not by a hidden email');
  assert.deepEqual(await search(admin, '044 668 18 00'), ['Greta']);
  assert.deepEqual(await search(token, '044 668 18 00'), [], 'not by a hidden phone number');
  assert.deepEqual(await search(token, 'Verborgen'), ['Greta'], 'by what it may see');
});
