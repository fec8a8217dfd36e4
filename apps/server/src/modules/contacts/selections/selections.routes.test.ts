import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../../test/support/app.ts';
import { TEST_DB_KIND } from '../../../../test/support/database.ts';
import { withTenant } from '../../../kernel/db/tenancy.ts';

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

async function count(token: string, filter: Json): Promise<number> {
  const response = await call(token, 'POST', '/api/v1/selections/count', { filter });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().count;
}

/** The last names of the contacts a filter matches (all pages, newest first). */
async function names(token: string, filter: Json): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await call(token, 'POST', '/api/v1/contacts/query', {
      filter,
      limit: 2,
      ...(cursor ? { cursor } : {}),
    });
    assert.equal(response.statusCode, 200, response.body);
    const page = response.json() as { items: { lastName: string }[]; nextCursor: string | null };
    found.push(...page.items.map((c) => c.lastName));
    cursor = page.nextCursor;
  } while (cursor);
  return found.sort();
}

function pathsOf(body: { errors?: { path: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.path).sort();
}

async function auditOf(tenantId: string, entityId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ action: string; changes: Json }>`
      select action, changes from audit_log where entity_id = ${entityId} order by seq`.execute(tx);
    return rows;
  });
}

test(`Müller is found in folded form by name and city filters, as search folds (${TEST_DB_KIND})`, async () => {
  const { apiToken: admin } = await ctx.newTenant();
  await created(admin, '/api/v1/contacts', { firstName: 'Anna', lastName: 'Müller', city: 'Zürich' });
  await created(admin, '/api/v1/contacts', { firstName: 'Beat', lastName: 'Mueller', city: 'ZUERICH' });
  await created(admin, '/api/v1/contacts', { firstName: 'Carl', lastName: 'Miller', city: 'Zug' });

  for (const value of ['Müller', 'Mueller', 'muller', 'MÜLLER']) {
    assert.deepEqual(
      await names(admin, { field: 'lastName', op: 'eq', value }),
      ['Mueller', 'Müller'],
      `lastName eq ${value}`,
    );
  }
  assert.deepEqual(await names(admin, { field: 'city', op: 'eq', value: 'zurich' }), ['Mueller', 'Müller']);
  assert.deepEqual(await names(admin, { field: 'city', op: 'startsWith', value: 'Zür' }), [
    'Mueller',
    'Müller',
  ]);
  assert.deepEqual(await names(admin, { field: 'city', op: 'startsWith', value: 'zu' }), [
    'Miller',
    'Mueller',
    'Müller',
  ]);
  assert.deepEqual(await names(admin, { field: 'lastName', op: 'contains', value: 'üll' }), [
    'Mueller',
    'Müller',
  ]);
  assert.deepEqual(await names(admin, { field: 'city', op: 'neq', value: 'Zürich' }), ['Miller']);
  assert.deepEqual(await names(admin, { field: 'city', op: 'in', value: ['zug', 'Zuerich'] }), [
    'Miller',
    'Mueller',
    'Müller',
  ]);
  assert.deepEqual(
    await names(admin, { not: { field: 'lastName', op: 'eq', value: 'Müller' } }),
    ['Miller'],
    'not of a folded match',
  );
  assert.equal(
    await count(admin, { field: 'lastName', op: 'contains', value: '%' }),
    0,
    'LIKE wildcards are text',
  );
});

test('a custom-field filter and a tag filter combine in one selection and return exactly the right contacts', async () => {
  const { apiToken: admin } = await ctx.newTenant();
  const field = await created(admin, '/api/v1/custom-fields', {
    objectType: 'contact',
    key: 'score',
    label: 'Score',
    type: 'number',
  });
  assert.ok(field.id);
  await created(admin, '/api/v1/custom-fields', {
    objectType: 'contact',
    key: 'interests',
    label: 'Interests',
    type: 'multi_select',
    options: [
      { value: 'ski', label: 'Ski' },
      { value: 'wine', label: 'Wine' },
      { value: 'golf', label: 'Golf' },
    ],
  });
  const people: [string, string[], number | undefined, string, string[]][] = [
    ['Match', ['VIP', 'Newsletter'], 80, 'Zürich', ['ski', 'wine']],
    ['AlsoMatch', ['vip', 'newsletter', 'Kunde'], 50, 'Zuerich', ['wine']],
    ['LowScore', ['VIP', 'Newsletter'], 49, 'Zürich', ['ski']],
    ['NoScore', ['VIP', 'Newsletter'], undefined, 'Zürich', []],
    ['OneTag', ['VIP'], 90, 'Zürich', ['golf']],
    ['OtherCity', ['VIP', 'Newsletter'], 95, 'Basel', ['ski']],
  ];
  for (const [lastName, tags, score, city, interests] of people) {
    await created(admin, '/api/v1/contacts', {
      lastName,
      tags,
      city,
      customFields: { ...(score === undefined ? {} : { score }), ...(interests.length ? { interests } : {}) },
    });
  }
  const filter = {
    all: [
      { tag: { hasAll: ['VIP', 'Newsletter'] } },
      { field: 'customFields.score', op: 'gte', value: 50 },
      { field: 'city', op: 'eq', value: 'Zürich' },
    ],
  };
  assert.deepEqual(await names(admin, filter), ['AlsoMatch', 'Match']);
  assert.equal(await count(admin, filter), 2);

  const saved = await created(admin, '/api/v1/selections', { name: 'VIP Zürich', filter });
  const savedCount = await call(admin, 'GET', `/api/v1/selections/${saved.id}/count`);
  assert.deepEqual(savedCount.json(), { count: 2 });

  // Every operator family of custom fields against the same people.
  const cases: [Json, string[]][] = [
    [{ field: 'customFields.score', op: 'between', value: [49, 80] }, ['AlsoMatch', 'LowScore', 'Match']],
    [{ field: 'customFields.score', op: 'in', value: [49, 90] }, ['LowScore', 'OneTag']],
    [{ field: 'customFields.score', op: 'lt', value: 50 }, ['LowScore']],
    [
      { field: 'customFields.score', op: 'neq', value: 80 },
      ['AlsoMatch', 'LowScore', 'NoScore', 'OneTag', 'OtherCity'],
    ],
    [{ field: 'customFields.score', op: 'isEmpty' }, ['NoScore']],
    [{ field: 'customFields.interests', op: 'hasAll', value: ['ski', 'wine'] }, ['Match']],
    [
      { field: 'customFields.interests', op: 'hasAny', value: ['golf', 'wine'] },
      ['AlsoMatch', 'Match', 'OneTag'],
    ],
    [{ field: 'customFields.interests', op: 'hasNone', value: ['ski'] }, ['AlsoMatch', 'NoScore', 'OneTag']],
    [{ tag: { hasAny: ['Kunde', 'Unbekannt'] } }, ['AlsoMatch']],
    [{ tag: { hasNone: ['Newsletter'] } }, ['OneTag']],
    [{ tag: { hasAll: ['VIP', 'Unbekannt'] } }, []],
    [
      {
        any: [
          { tag: { hasAll: ['Kunde'] } },
          { all: [{ field: 'customFields.score', op: 'gt', value: 90 }, { tag: { hasAny: ['VIP'] } }] },
        ],
      },
      ['AlsoMatch', 'OtherCity'],
    ],
    [
      {
        any: [
          { field: 'city', op: 'eq', value: 'Basel' },
          { field: 'customFields.interests', op: 'hasAny', value: ['golf'] },
        ],
      },
      ['OneTag', 'OtherCity'],
    ],
    [
      {
        not: { any: [{ tag: { hasAny: ['Kunde'] } }, { field: 'customFields.score', op: 'gte', value: 80 }] },
      },
      ['LowScore', 'NoScore'],
    ],
  ];
  for (const [f, expected] of cases) assert.deepEqual(await names(admin, f), expected, JSON.stringify(f));
});

test('invalid filters answer 400 naming the bad path inside the filter', async () => {
  const { apiToken: admin } = await ctx.newTenant();
  const bad = async (filter: unknown) => {
    const response = await call(admin, 'POST', '/api/v1/selections/count', { filter } as Json);
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
    return response.json();
  };

  const wrongValue = await bad({
    all: [
      { field: 'city', op: 'eq', value: 'Bern' },
      { field: 'birthday', op: 'before', value: '31.12.1990' },
    ],
  });
  assert.equal(wrongValue.code, 'SELECTIONS_INVALID_FILTER');
  assert.deepEqual(pathsOf(wrongValue), ['filter.all.1.value']);

  const several = await bad({
    any: [
      { field: 'nickname', op: 'eq', value: 'x' },
      { field: 'city', op: 'gt', value: 'x' },
      { field: 'customFields.nothing', op: 'eq', value: 1 },
      { not: { field: 'createdAt', op: 'withinLast', value: 0 } },
      { field: 'city', op: 'isEmpty', value: 'x' },
    ],
  });
  assert.deepEqual(pathsOf(several), [
    'filter.any.0.field',
    'filter.any.1.op',
    'filter.any.2.field',
    'filter.any.3.not.value',
    'filter.any.4.value',
  ]);

  const structure = await bad({
    all: [{ field: 'city', op: 'like', value: 'x' }, { tag: { hasAll: [] } }, { color: 'red' }, {}],
  });
  assert.equal(structure.code, 'VALIDATION_FAILED');
  assert.deepEqual(pathsOf(structure), [
    'filter.all.0.op',
    'filter.all.1.tag.hasAll',
    'filter.all.2',
    'filter.all.2',
    'filter.all.3',
  ]);

  const two = await bad({ field: 'city', op: 'eq', value: 'x', tag: { hasAll: ['VIP'] } });
  assert.deepEqual(pathsOf(two), ['filter']);

  let deep: Json = { field: 'city', op: 'isEmpty' };
  for (let i = 0; i < 20; i += 1) deep = { not: deep };
  assert.match((await bad(deep)).errors[0].message, /deeper than 8/);
  const wide = await bad({ any: Array.from({ length: 51 }, () => ({ field: 'city', op: 'isEmpty' })) });
  assert.deepEqual(pathsOf(wide), ['filter.any']);

  // A saved selection is checked the same way.
  const saved = await call(admin, 'POST', '/api/v1/selections', {
    name: 'Broken',
    filter: { all: [{ tag: { hasAll: ['VIP'] } }, { field: 'country', op: 'eq', value: 'XX' }] },
  });
  assert.equal(saved.statusCode, 400);
  assert.deepEqual(pathsOf(saved.json()), ['filter.all.1.value']);
});

test("another tenant's contacts never count, and its selections are 404", async () => {
  const a = await ctx.newTenant();
  const b = await ctx.newTenant();
  for (const token of [a.apiToken, b.apiToken, b.apiToken]) {
    await created(token, '/api/v1/contacts', { lastName: 'Keller', city: 'Bern', tags: ['VIP'] });
  }
  const filter = { all: [{ tag: { hasAll: ['VIP'] } }, { field: 'city', op: 'eq', value: 'Bern' }] };
  assert.equal(await count(a.apiToken, filter), 1);
  assert.equal(await count(b.apiToken, filter), 2);
  assert.equal(await count(a.apiToken, { all: [] }), 1, 'an empty all: every contact of the tenant');

  const theirs = await created(b.apiToken, '/api/v1/selections', { name: 'Bern VIP', filter });
  for (const url of [
    `/api/v1/selections/${theirs.id}`,
    `/api/v1/selections/${theirs.id}/count`,
    `/api/v1/selections/${theirs.id}/contacts`,
  ]) {
    const response = await call(a.apiToken, 'GET', url);
    assert.equal(response.statusCode, 404, url);
    assert.equal(response.json().code, 'SELECTIONS_NOT_FOUND');
  }
  assert.equal((await call(a.apiToken, 'DELETE', `/api/v1/selections/${theirs.id}`)).statusCode, 404);
  // A name is unique per tenant only.
  await created(a.apiToken, '/api/v1/selections', { name: 'Bern VIP', filter });
});

test("a scoped user's counts and pages include only the contacts in their groups", async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  await created(admin, '/api/v1/contacts', { lastName: 'Nordmann', city: 'Basel', tags: ['Nord', 'VIP'] });
  await created(admin, '/api/v1/contacts', { lastName: 'Nordfrau', city: 'Bern', tags: ['Nord'] });
  await created(admin, '/api/v1/contacts', { lastName: 'Südmann', city: 'Basel', tags: ['Süd', 'VIP'] });
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  assert.equal(
    (await call(admin, 'PATCH', `/api/v1/users/${sales.userId}`, { contactScope: ['Nord'] })).statusCode,
    200,
  );

  const vip = { tag: { hasAll: ['VIP'] } };
  assert.equal(await count(admin, vip), 2);
  assert.equal(await count(sales.token, vip), 1);
  assert.deepEqual(await names(sales.token, { field: 'city', op: 'eq', value: 'Basel' }), ['Nordmann']);
  assert.equal(
    await count(sales.token, { tag: { hasNone: ['Nord'] } }),
    0,
    'a negation cannot reach outside the scope',
  );
  assert.equal(await count(sales.token, { all: [] }), 2);

  const saved = await created(admin, '/api/v1/selections', { name: 'VIPs', filter: vip });
  assert.deepEqual((await call(sales.token, 'GET', `/api/v1/selections/${saved.id}/count`)).json(), {
    count: 1,
  });
  const page = await call(sales.token, 'GET', `/api/v1/selections/${saved.id}/contacts`);
  assert.deepEqual(
    (page.json().items as { lastName: string }[]).map((c) => c.lastName),
    ['Nordmann'],
  );
});

test('a filter on a category the principal may not see is refused; masked fields take only isEmpty/isNotEmpty', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  await created(admin, '/api/v1/contacts', {
    lastName: 'Konto',
    iban: 'DE89 3704 0044 0532 0130 00',
    notes: 'likes golf',
  });
  await created(admin, '/api/v1/custom-fields', {
    objectType: 'contact',
    key: 'salary',
    label: 'Salary',
    type: 'number',
    dataCategory: 'billing',
  });
  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']); // billing none, notes none
  const sales = await ctx.newUser(tenant.tenantId, ['sales']); // billing masked

  const hidden = await call(readOnly.token, 'POST', '/api/v1/selections/count', {
    filter: {
      any: [
        { field: 'iban', op: 'startsWith', value: 'DE89' },
        { field: 'notes', op: 'isNotEmpty' },
        { field: 'customFields.salary', op: 'gt', value: 100000 },
        { field: 'lastName', op: 'eq', value: 'Konto' },
      ],
    },
  });
  assert.equal(hidden.statusCode, 403, hidden.body);
  assert.equal(hidden.json().code, 'SELECTIONS_FIELD_FORBIDDEN');
  assert.deepEqual(pathsOf(hidden.json()), [
    'filter.any.0.field',
    'filter.any.1.field',
    'filter.any.2.field',
  ]);

  const masked = await call(sales.token, 'POST', '/api/v1/selections/count', {
    filter: { field: 'iban', op: 'startsWith', value: 'DE89' },
  });
  assert.equal(masked.statusCode, 403);
  assert.deepEqual(pathsOf(masked.json()), ['filter.field']);
  assert.equal(
    await count(sales.token, { field: 'iban', op: 'isNotEmpty' }),
    1,
    'a mask shows that there is a value',
  );
  assert.equal(await count(admin, { field: 'iban', op: 'startsWith', value: 'de89 3704' }), 1);

  // Saved by someone who sees it, counted by someone who does not: refused at use.
  const saved = await created(admin, '/api/v1/selections', {
    name: 'Bank',
    filter: { field: 'iban', op: 'startsWith', value: 'DE' },
  });
  assert.equal((await call(readOnly.token, 'GET', `/api/v1/selections/${saved.id}/count`)).statusCode, 403);
  assert.equal(
    (await call(readOnly.token, 'GET', `/api/v1/selections/${saved.id}/contacts`)).statusCode,
    403,
  );

  // Nor does the saved filter show its values to them: hidden as null, masked as the field is.
  const asReadOnly = await call(readOnly.token, 'GET', `/api/v1/selections/${saved.id}`);
  assert.deepEqual(asReadOnly.json().filter, { field: 'iban', op: 'startsWith', value: null });
  const asSales = await call(sales.token, 'GET', '/api/v1/selections');
  assert.deepEqual(asSales.json().items[0].filter, { field: 'iban', op: 'startsWith', value: '****' });
  const asAdmin = await call(admin, 'GET', `/api/v1/selections/${saved.id}`);
  assert.deepEqual(asAdmin.json().filter, { field: 'iban', op: 'startsWith', value: 'DE' });
});

test('saved selections: create, list, rename, change, delete — audited without filter values; pages logged', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  for (const lastName of ['Alpha', 'Beta', 'Gamma']) {
    await created(admin, '/api/v1/contacts', {
      lastName,
      email: `${lastName.toLowerCase()}@example.com`,
      tags: ['Kunde'],
    });
  }
  const selection = await created(admin, '/api/v1/selections', {
    name: 'Kunden',
    description: 'Alle Kunden',
    filter: {
      all: [{ tag: { hasAll: ['Kunde'] } }, { field: 'email', op: 'contains', value: 'example.com' }],
    },
  });
  assert.equal(selection.name, 'Kunden');
  assert.deepEqual(selection.filter, {
    all: [{ tag: { hasAll: ['Kunde'] } }, { field: 'email', op: 'contains', value: 'example.com' }],
  });

  const taken = await call(admin, 'POST', '/api/v1/selections', { name: 'KUNDEN', filter: { all: [] } });
  assert.equal(taken.statusCode, 409);
  assert.deepEqual(pathsOf(taken.json()), ['name']);
  const other = await created(admin, '/api/v1/selections', { name: 'Alle', filter: { all: [] } });
  assert.equal(
    (await call(admin, 'PATCH', `/api/v1/selections/${other.id}`, { name: 'kunden' })).statusCode,
    409,
  );

  const list = await call(admin, 'GET', '/api/v1/selections?limit=1');
  assert.equal(list.statusCode, 200);
  assert.deepEqual(
    (list.json().items as { name: string }[]).map((s) => s.name),
    ['Alle'],
  );
  const next = await call(admin, 'GET', `/api/v1/selections?limit=1&cursor=${list.json().nextCursor}`);
  assert.deepEqual(
    (next.json().items as { name: string }[]).map((s) => s.name),
    ['Kunden'],
  );
  assert.equal(next.json().nextCursor, null);

  const first = await call(admin, 'GET', `/api/v1/selections/${selection.id}/contacts?limit=2`);
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual(
    (first.json().items as { lastName: string }[]).map((c) => c.lastName),
    ['Gamma', 'Beta'],
  );
  const second = await call(
    admin,
    'GET',
    `/api/v1/selections/${selection.id}/contacts?limit=2&cursor=${first.json().nextCursor}`,
  );
  assert.deepEqual(
    (second.json().items as { lastName: string }[]).map((c) => c.lastName),
    ['Alpha'],
  );
  assert.equal(second.json().nextCursor, null);

  const patched = await call(admin, 'PATCH', `/api/v1/selections/${selection.id}`, {
    name: 'Kunden mit Mail',
    description: null,
    purpose: 'marketing',
    filter: { field: 'email', op: 'eq', value: 'beta@example.com' },
  });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().description, null);
  assert.equal(patched.json().purpose, 'marketing');
  assert.deepEqual((await call(admin, 'GET', `/api/v1/selections/${selection.id}/count`)).json(), {
    count: 1,
  });
  assert.equal((await call(admin, 'DELETE', `/api/v1/selections/${selection.id}`)).statusCode, 204);
  assert.equal((await call(admin, 'GET', `/api/v1/selections/${selection.id}`)).statusCode, 404);

  const audit = await auditOf(tenant.tenantId, selection.id);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['selection.created', 'selection.updated', 'selection.deleted'],
  );
  assert.deepEqual(audit[1]?.changes, {
    kind: 'settings',
    before: { name: 'Kunden', purpose: 'general', filterFields: ['email', 'tag'] },
    after: { name: 'Kunden mit Mail', purpose: 'marketing', filterFields: ['email'] },
  });
  assert.ok(!JSON.stringify(audit).includes('example.com'), 'no filter value in the audit log');

  const reads = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ purpose: string; n: number }>`
      select purpose, cardinality(record_ids) as n from access_log order by occurred_at, id`.execute(tx);
    return rows;
  });
  assert.deepEqual(reads, [
    { purpose: 'GET /api/v1/selections/{id}/contacts', n: 2 },
    { purpose: 'GET /api/v1/selections/{id}/contacts', n: 1 },
  ]);
});

test('a page of contacts is shown through field access, and date and company filters work', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const company = await created(admin, '/api/v1/companies', { name: 'Bäckerei Größer AG', city: 'Luzern' });
  await created(admin, '/api/v1/contacts', {
    lastName: 'Brot',
    companyId: company.id,
    birthday: '1980-03-15',
    iban: 'DE89 3704 0044 0532 0130 00',
  });
  await created(admin, '/api/v1/contacts', { lastName: 'Solo', birthday: '1995-11-02' });
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);

  const response = await call(sales.token, 'POST', '/api/v1/contacts/query', {
    filter: { company: { id: company.id } },
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.json().items[0].iban, 'DE89 **** **** 3000', 'masked as in the contacts list');

  const cases: [Json, string[]][] = [
    [{ company: { exists: false } }, ['Solo']],
    [{ company: { in: [company.id] } }, ['Brot']],
    [{ field: 'company.name', op: 'contains', value: 'grosser' }, ['Brot']],
    [{ field: 'company.city', op: 'eq', value: 'luzern' }, ['Brot']],
    [{ field: 'company.city', op: 'isEmpty' }, ['Solo']],
    [{ field: 'birthday', op: 'inMonth', value: 11 }, ['Solo']],
    [{ field: 'birthday', op: 'before', value: '1990-01-01' }, ['Brot']],
    [{ field: 'birthday', op: 'between', value: ['1980-03-15', '1995-11-02'] }, ['Brot', 'Solo']],
    [{ field: 'createdAt', op: 'withinLast', value: 1 }, ['Brot', 'Solo']],
    [{ field: 'createdAt', op: 'before', value: '2000-01-01' }, []],
    [{ field: 'createdAt', op: 'eq', value: new Date().toISOString().slice(0, 10) }, ['Brot', 'Solo']],
  ];
  for (const [filter, expected] of cases)
    assert.deepEqual(await names(admin, filter), expected, JSON.stringify(filter));
});

test('the OpenAPI document describes the selection endpoints and the filter', async () => {
  const response = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(response.statusCode, 200);
  const document = response.json() as { paths: Record<string, Record<string, unknown>> };
  for (const path of [
    '/api/v1/selections',
    '/api/v1/selections/count',
    '/api/v1/selections/{id}/contacts',
    '/api/v1/contacts/query',
  ]) {
    assert.ok(document.paths[path], path);
  }
  const body = JSON.stringify(document.paths['/api/v1/selections/count']);
  for (const key of ['hasAll', 'withinLast', 'startsWith']) assert.ok(body.includes(key), key);
  assert.ok(!body.includes('$ref'), 'the filter is spelled out, not a reference to a missing component');
});
