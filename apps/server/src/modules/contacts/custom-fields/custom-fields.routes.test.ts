import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../../test/support/app.ts';
import { withTenant } from '../../../kernel/db/tenancy.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type Problem = { code: string; errors?: { path: string; message: string }[] };

async function call(
  token: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return ctx.app.inject({
    method,
    url,
    headers: bearer(token),
    ...(payload !== undefined ? { payload: payload as Json } : {}),
  });
}

async function ok(token: string, method: 'POST' | 'PATCH', url: string, payload: unknown, status = 200) {
  const response = await call(token, method, url, payload);
  assert.equal(response.statusCode, status, response.body);
  return response.json() as Json & { id: string };
}

const define = (token: string, body: Json) => ok(token, 'POST', '/api/v1/custom-fields', body, 201);
const newContact = (token: string, body: Json) => ok(token, 'POST', '/api/v1/contacts', body, 201);

function paths(response: { json(): unknown }): string[] {
  return ((response.json() as Problem).errors ?? []).map((e) => e.path).sort();
}

async function auditOf(tenantId: string, entityId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ action: string; changes: Record<string, unknown> }>`
      select action, changes from audit_log where entity_id = ${entityId} order by seq`.execute(tx);
    return rows;
  });
}

async function indexCount(tenantId: string, fieldId: string): Promise<number> {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from custom_field_value where field_id = ${fieldId}`.execute(tx);
    return rows[0]?.n ?? -1;
  });
}

const TIERS = [
  { value: 'gold', label: 'Gold', labels: { de: 'Gold', fr: 'Or' } },
  { value: 'silver', label: 'Silver' },
];

test('definitions: create, list per object type in form order, read, change; each change audited with before and after', async () => {
  const tenant = await ctx.newTenant();
  const tier = await define(tenant.apiToken, {
    objectType: 'contact',
    key: 'tier',
    label: 'Tier',
    labels: { de: 'Stufe', fr: 'Niveau' },
    type: 'single_select',
    options: TIERS,
  });
  assert.deepEqual(
    { ...tier, id: undefined, createdAt: undefined, updatedAt: undefined },
    {
      id: undefined,
      objectType: 'contact',
      key: 'tier',
      label: 'Tier',
      labels: { de: 'Stufe', fr: 'Niveau' },
      type: 'single_select',
      options: [
        { value: 'gold', label: 'Gold', labels: { de: 'Gold', fr: 'Or' } },
        { value: 'silver', label: 'Silver', labels: {} },
      ],
      required: false,
      unique: false,
      dataCategory: 'custom',
      position: 0,
      createdAt: undefined,
      updatedAt: undefined,
    },
  );
  await define(tenant.apiToken, {
    objectType: 'contact',
    key: 'since',
    label: 'Customer since',
    type: 'date',
  });
  await define(tenant.apiToken, {
    objectType: 'company',
    key: 'employees',
    label: 'Employees',
    type: 'number',
  });
  const first = await define(tenant.apiToken, {
    objectType: 'contact',
    key: 'first',
    label: 'First',
    type: 'text',
    position: 0,
  });

  const contacts = (await call(tenant.apiToken, 'GET', '/api/v1/custom-fields?objectType=contact')).json();
  assert.deepEqual(
    (contacts.items as { key: string }[]).map((f) => f.key),
    ['first', 'tier', 'since'],
    'by position, then key; new fields go last',
  );
  assert.equal(contacts.nextCursor, null);
  const all = (await call(tenant.apiToken, 'GET', '/api/v1/custom-fields')).json();
  assert.equal(all.items.length, 4);
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/custom-fields/${tier.id}`)).json().key, 'tier');

  const changed = await ok(tenant.apiToken, 'PATCH', `/api/v1/custom-fields/${tier.id}`, {
    label: 'Level',
    options: [...TIERS, { value: 'bronze', label: 'Bronze' }],
    required: true,
    dataCategory: 'billing',
    position: 5,
  });
  assert.equal(changed.label, 'Level');
  assert.equal((changed.options as unknown[]).length, 3);
  assert.equal(changed.required, true);
  assert.equal(changed.dataCategory, 'billing');

  const audit = await auditOf(tenant.tenantId, tier.id);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['custom_field.created', 'custom_field.updated'],
  );
  const update = audit[1]?.changes as { kind: string; before: Json; after: Json };
  assert.equal(update.kind, 'settings');
  assert.equal(update.before.label, 'Tier');
  assert.equal(update.after.label, 'Level');
  assert.equal(update.before.dataCategory, 'custom');
  assert.equal(update.after.dataCategory, 'billing');

  const unchanged = await ok(tenant.apiToken, 'PATCH', `/api/v1/custom-fields/${first.id}`, {
    label: 'First',
  });
  assert.equal(unchanged.label, 'First');
  assert.equal((await auditOf(tenant.tenantId, first.id)).length, 1, 'no change, no audit entry');
});

test('reading definitions needs contacts:read; changing them needs settings rights', async () => {
  const tenant = await ctx.newTenant();
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']);
  const field = await define(tenant.apiToken, {
    objectType: 'contact',
    key: 'club',
    label: 'Club',
    type: 'text',
  });
  for (const token of [sales.token, readOnly.token]) {
    assert.equal((await call(token, 'GET', '/api/v1/custom-fields')).statusCode, 200);
    assert.equal((await call(token, 'GET', `/api/v1/custom-fields/${field.id}`)).statusCode, 200);
    const attempts = [
      await call(token, 'POST', '/api/v1/custom-fields', {
        objectType: 'contact',
        key: 'x',
        label: 'X',
        type: 'text',
      }),
      await call(token, 'PATCH', `/api/v1/custom-fields/${field.id}`, { label: 'Verein' }),
      await call(token, 'POST', `/api/v1/custom-fields/${field.id}/rename`, { key: 'verein' }),
      await call(token, 'DELETE', `/api/v1/custom-fields/${field.id}`),
    ];
    for (const response of attempts) assert.equal(response.statusCode, 403, response.body);
  }
  const stranger = await ctx.newTenant();
  assert.equal((await call(stranger.apiToken, 'GET', `/api/v1/custom-fields/${field.id}`)).statusCode, 404);
  assert.equal(
    (await call(stranger.apiToken, 'DELETE', `/api/v1/custom-fields/${field.id}`)).statusCode,
    404,
    "another tenant's field is not found",
  );
});

test('a bad definition is a 400 naming each bad field; a taken key is a 409', async () => {
  const tenant = await ctx.newTenant();
  const bad = await call(tenant.apiToken, 'POST', '/api/v1/custom-fields', {
    objectType: 'person',
    key: 'Shoe-Size',
    label: '',
    type: 'text',
    dataCategory: 'documents',
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(paths(bad), ['dataCategory', 'key', 'label', 'objectType']);

  const rules = [
    [{ type: 'single_select', options: [] }, 'options'],
    [{ type: 'text', options: [{ value: 'a', label: 'A' }] }, 'options'],
    [{ type: 'boolean', unique: true }, 'unique'],
    [
      {
        type: 'multi_select',
        options: [
          { value: 'a', label: 'A' },
          { value: 'A', label: 'A' },
        ],
      },
      'options.1.value',
    ],
  ] as const;
  for (const [body, path] of rules) {
    const response = await call(tenant.apiToken, 'POST', '/api/v1/custom-fields', {
      objectType: 'contact',
      key: 'field',
      label: 'Field',
      ...body,
    });
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.deepEqual(paths(response), [path]);
  }

  const club = await define(tenant.apiToken, {
    objectType: 'contact',
    key: 'club',
    label: 'Club',
    type: 'text',
  });
  const again = await call(tenant.apiToken, 'POST', '/api/v1/custom-fields', {
    objectType: 'contact',
    key: 'club',
    label: 'Club 2',
    type: 'number',
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'CUSTOM_FIELDS_KEY_TAKEN');
  await define(tenant.apiToken, { objectType: 'company', key: 'club', label: 'Club', type: 'text' });

  const fixed = await call(tenant.apiToken, 'PATCH', `/api/v1/custom-fields/${club.id}`, {
    key: 'verein',
    type: 'number',
    options: [{ value: 'a', label: 'A' }],
  });
  assert.equal(fixed.statusCode, 400);
  assert.deepEqual(paths(fixed), ['key', 'type']);
  const options = await call(tenant.apiToken, 'PATCH', `/api/v1/custom-fields/${club.id}`, {
    options: [{ value: 'a', label: 'A' }],
  });
  assert.equal(options.statusCode, 400);
  assert.equal(options.json().code, 'CUSTOM_FIELDS_INVALID');
  assert.deepEqual(paths(options), ['options']);
});

test('values are checked against the definitions: one 400 names every bad field, standard and custom', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  await define(token, { objectType: 'contact', key: 'size', label: 'Size', type: 'number' });
  await define(token, { objectType: 'contact', key: 'price', label: 'Price', type: 'decimal' });
  await define(token, { objectType: 'contact', key: 'since', label: 'Since', type: 'date' });
  await define(token, { objectType: 'contact', key: 'vip', label: 'VIP', type: 'boolean', required: true });
  await define(token, {
    objectType: 'contact',
    key: 'tier',
    label: 'Tier',
    type: 'single_select',
    options: TIERS,
  });
  await define(token, {
    objectType: 'contact',
    key: 'langs',
    label: 'Languages',
    type: 'multi_select',
    options: ['de', 'fr', 'it'].map((v) => ({ value: v, label: v })),
  });
  await define(token, { objectType: 'contact', key: 'site', label: 'Site', type: 'url' });
  await define(token, { objectType: 'contact', key: 'private_email', label: 'Private email', type: 'email' });

  const custom = await call(token, 'POST', '/api/v1/contacts', {
    lastName: 'Muster',
    customFields: {
      size: 'big',
      price: '1,50',
      since: '2023-02-29',
      tier: 'bronze',
      langs: ['de', 'es'],
      site: 'mailto:x@example.com',
      private_email: 'muster@',
      shoe: 42,
    },
  });
  assert.equal(custom.statusCode, 400);
  assert.equal(custom.json().code, 'CONTACTS_INVALID_FIELDS');
  assert.deepEqual(paths(custom), [
    'customFields.langs',
    'customFields.price',
    'customFields.private_email',
    'customFields.shoe',
    'customFields.since',
    'customFields.site',
    'customFields.size',
    'customFields.tier',
    'customFields.vip',
  ]);
  const vip = (custom.json() as Problem).errors?.find((e) => e.path === 'customFields.vip');
  assert.equal(vip?.message, 'is required');

  const mixed = await call(token, 'POST', '/api/v1/contacts', {
    lastName: 'Muster',
    email: 'muster@',
    iban: 'DE00',
    customFields: { size: 4.5, vip: true },
  });
  assert.equal(mixed.statusCode, 400);
  assert.equal(mixed.json().code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(mixed), ['customFields.size', 'email', 'iban']);
  const shape = await call(token, 'POST', '/api/v1/contacts', {
    firstName: 7,
    customFields: { 'Bad-Key': 1, size: 4.5, vip: { yes: true } },
  });
  assert.equal(shape.statusCode, 400);
  assert.deepEqual(paths(shape), [
    'customFields.Bad-Key',
    'customFields.size',
    'customFields.vip',
    'firstName',
  ]);

  const contact = await newContact(token, {
    lastName: 'Muster',
    customFields: {
      size: '38',
      price: 12.5,
      since: '2024-02-29',
      vip: false,
      tier: 'gold',
      langs: ['it', 'de'],
      site: 'example.ch',
      private_email: ' muster@example.ch ',
    },
  });
  assert.deepEqual(contact.customFields, {
    size: 38,
    price: '12.5',
    since: '2024-02-29',
    vip: false,
    tier: 'gold',
    langs: ['de', 'it'],
    site: 'https://example.ch',
    private_email: 'muster@example.ch',
  });

  const cleared = await call(token, 'PATCH', `/api/v1/contacts/${contact.id}`, {
    customFields: { vip: null, size: 'x' },
  });
  assert.equal(cleared.statusCode, 400);
  assert.deepEqual(paths(cleared), ['customFields.size', 'customFields.vip']);
  const all = await call(token, 'PATCH', `/api/v1/contacts/${contact.id}`, { customFields: null });
  assert.equal(all.statusCode, 400, 'clearing all custom fields clears a required one');
  const patched = await ok(token, 'PATCH', `/api/v1/contacts/${contact.id}`, {
    city: 'Bern',
    customFields: { price: '0012.50', langs: [], tier: null },
  });
  assert.deepEqual(patched.customFields, {
    size: 38,
    price: '12.50',
    since: '2024-02-29',
    vip: false,
    site: 'https://example.ch',
    private_email: 'muster@example.ch',
  });
  const untouched = await ok(token, 'PATCH', `/api/v1/contacts/${contact.id}`, { city: 'Thun' });
  assert.equal(untouched.city, 'Thun', 'an update that leaves custom fields alone needs none');

  // Companies have their own fields: a contact's key is unknown to them.
  const company = await call(token, 'POST', '/api/v1/companies', {
    name: 'Muster AG',
    customFields: { size: 3 },
  });
  assert.equal(company.statusCode, 400);
  assert.deepEqual((company.json() as Problem).errors, [
    { path: 'customFields.size', message: 'there is no custom field "size" for companies' },
  ]);
});

test('a unique field: a second record with the same value is a 409 naming the field, also when both arrive at once', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const number = await define(token, {
    objectType: 'contact',
    key: 'customer_no',
    label: 'Customer number',
    type: 'text',
    unique: true,
  });
  const first = await newContact(token, { lastName: 'Eins', customFields: { customer_no: 'K-100' } });
  const second = await call(token, 'POST', '/api/v1/contacts', {
    lastName: 'Zwei',
    customFields: { customer_no: 'k-100' },
  });
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().code, 'CUSTOM_FIELDS_VALUE_TAKEN');
  assert.deepEqual(paths(second), ['customFields.customer_no']);
  await ok(token, 'PATCH', `/api/v1/contacts/${first.id}`, { customFields: { customer_no: 'K-100' } });

  const [a, b] = await Promise.all([
    call(token, 'POST', '/api/v1/contacts', { lastName: 'A', customFields: { customer_no: 'K-200' } }),
    call(token, 'POST', '/api/v1/contacts', { lastName: 'B', customFields: { customer_no: 'K-200' } }),
  ]);
  assert.deepEqual([a.statusCode, b.statusCode].sort(), [201, 409]);
  const refused = a.statusCode === 409 ? a : b;
  assert.deepEqual(paths(refused), ['customFields.customer_no']);
  assert.equal(await indexCount(tenant.tenantId, number.id), 2);

  // A field becomes unique only when its values are.
  const city = await define(token, { objectType: 'contact', key: 'home', label: 'Home', type: 'text' });
  await newContact(token, { lastName: 'C', customFields: { home: 'Bern' } });
  await newContact(token, { lastName: 'D', customFields: { home: 'BERN' } });
  const unique = await call(token, 'PATCH', `/api/v1/custom-fields/${city.id}`, { unique: true });
  assert.equal(unique.statusCode, 409);
  assert.equal(unique.json().code, 'CUSTOM_FIELDS_VALUES_NOT_UNIQUE');
  const notUnique = await ok(token, 'PATCH', `/api/v1/custom-fields/${number.id}`, { unique: false });
  assert.equal(notUnique.unique, false);
  await newContact(token, { lastName: 'E', customFields: { customer_no: 'K-100' } });
});

test('an option that records carry cannot be removed (409); unused ones can, and options can be relabelled', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const tier = await define(token, {
    objectType: 'contact',
    key: 'tier',
    label: 'Tier',
    type: 'multi_select',
    options: TIERS,
  });
  await newContact(token, { lastName: 'Gold', customFields: { tier: ['gold'] } });
  const removeGold = await call(token, 'PATCH', `/api/v1/custom-fields/${tier.id}`, { options: [TIERS[1]] });
  assert.equal(removeGold.statusCode, 409);
  assert.equal(removeGold.json().code, 'CUSTOM_FIELDS_OPTION_IN_USE');
  assert.deepEqual(removeGold.json().errors, [
    { path: 'options', message: '"gold" is the value of 1 record(s)' },
  ]);
  const relabelled = await ok(token, 'PATCH', `/api/v1/custom-fields/${tier.id}`, {
    options: [{ value: 'gold', label: 'Golden', labels: { de: 'Golden' } }],
  });
  assert.deepEqual(relabelled.options, [{ value: 'gold', label: 'Golden', labels: { de: 'Golden' } }]);
  const silver = await call(token, 'POST', '/api/v1/contacts', {
    lastName: 'S',
    customFields: { tier: ['silver'] },
  });
  assert.equal(silver.statusCode, 400, 'a removed option is no longer a value');
});

test("renaming a key moves every record's value in one transaction; audited; the old key is then unknown", async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const field = await define(token, {
    objectType: 'contact',
    key: 'shoe',
    label: 'Shoe size',
    type: 'number',
  });
  await define(token, { objectType: 'contact', key: 'taken', label: 'Taken', type: 'text' });
  const ids: string[] = [];
  for (const [i, size] of [38, 42, 44].entries()) {
    ids.push((await newContact(token, { lastName: `P${i}`, customFields: { shoe: size, taken: 'x' } })).id);
  }
  const bystander = await newContact(token, { lastName: 'None' });

  const conflict = await call(token, 'POST', `/api/v1/custom-fields/${field.id}/rename`, { key: 'taken' });
  assert.equal(conflict.statusCode, 409);
  assert.equal(conflict.json().code, 'CUSTOM_FIELDS_KEY_TAKEN');
  const renamed = await ok(token, 'POST', `/api/v1/custom-fields/${field.id}/rename`, { key: 'shoe_size' });
  assert.equal(renamed.key, 'shoe_size');

  for (const [i, id] of ids.entries()) {
    const contact = (await call(token, 'GET', `/api/v1/contacts/${id}`)).json();
    assert.deepEqual(contact.customFields, { shoe_size: [38, 42, 44][i], taken: 'x' });
  }
  assert.deepEqual((await call(token, 'GET', `/api/v1/contacts/${bystander.id}`)).json().customFields, {});
  assert.equal(await indexCount(tenant.tenantId, field.id), 3, 'the value index follows');
  const old = await call(token, 'PATCH', `/api/v1/contacts/${ids[0]}`, { customFields: { shoe: 40 } });
  assert.equal(old.statusCode, 400);
  assert.deepEqual(paths(old), ['customFields.shoe']);

  const audit = await auditOf(tenant.tenantId, field.id);
  assert.equal(audit.at(-1)?.action, 'custom_field.renamed');
  const changes = audit.at(-1)?.changes as { before: Json; after: Json };
  assert.equal(changes.before.key, 'shoe');
  assert.equal(changes.before.recordsWithValue, 3);
  assert.equal(changes.after.key, 'shoe_size');
});

test('deleting a field removes its value from every record and the index, in one audited step', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const field = await define(token, {
    objectType: 'company',
    key: 'rating',
    label: 'Rating',
    type: 'long_text',
  });
  const keep = await define(token, { objectType: 'company', key: 'size', label: 'Size', type: 'number' });
  const company = await ok(
    token,
    'POST',
    '/api/v1/companies',
    { name: 'Bewertet AG', customFields: { rating: 'Very good', size: 12 } },
    201,
  );
  assert.equal(await indexCount(tenant.tenantId, field.id), 1, 'long text: a presence row');
  assert.equal((await call(token, 'DELETE', `/api/v1/custom-fields/${field.id}`)).statusCode, 204);
  assert.deepEqual((await call(token, 'GET', `/api/v1/companies/${company.id}`)).json().customFields, {
    size: 12,
  });
  assert.equal(await indexCount(tenant.tenantId, field.id), 0);
  assert.equal(await indexCount(tenant.tenantId, keep.id), 1);
  assert.equal((await call(token, 'GET', `/api/v1/custom-fields/${field.id}`)).statusCode, 404);
  const audit = await auditOf(tenant.tenantId, field.id);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['custom_field.created', 'custom_field.deleted'],
  );
  const changes = audit[1]?.changes as { before: Json; after: unknown };
  assert.equal(changes.before.recordsWithValue, 1);
  assert.equal(changes.after, null);
  // The key is free again, without the old values.
  await define(token, { objectType: 'company', key: 'rating', label: 'Rating', type: 'number' });
  assert.deepEqual((await call(token, 'GET', `/api/v1/companies/${company.id}`)).json().customFields, {
    size: 12,
  });
});

test('field access: each custom field by its own data category — masked for Sales, hidden for Read-only', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']);
  await define(token, {
    objectType: 'contact',
    key: 'credit_limit',
    label: 'Credit limit',
    type: 'decimal',
    dataCategory: 'billing',
  });
  await define(token, {
    objectType: 'contact',
    key: 'langs',
    label: 'Languages',
    type: 'multi_select',
    options: [{ value: 'de', label: 'de' }],
    dataCategory: 'billing',
  });
  await define(token, { objectType: 'contact', key: 'shoe_size', label: 'Shoe size', type: 'number' });
  const contact = await newContact(token, {
    firstName: 'Kredit',
    lastName: 'Würdig',
    customFields: { credit_limit: '5000.00', shoe_size: 42, langs: ['de'] },
  });
  assert.deepEqual(contact.customFields, { credit_limit: '5000.00', shoe_size: 42, langs: ['de'] });

  const asSales = (await call(sales.token, 'GET', `/api/v1/contacts/${contact.id}`)).json();
  assert.deepEqual(asSales.customFields, { credit_limit: '5******', shoe_size: 42, langs: '***' });
  const listed = (await call(sales.token, 'GET', '/api/v1/contacts')).json().items[0];
  assert.deepEqual(listed.customFields, asSales.customFields);
  const asReader = (await call(readOnly.token, 'GET', `/api/v1/contacts/${contact.id}`)).json();
  assert.deepEqual(asReader.customFields, { shoe_size: 42 }, 'hidden fields are left out');
  const found = (await call(readOnly.token, 'GET', '/api/v1/contacts?q=kredit')).json().items[0];
  assert.deepEqual(found.customFields, { shoe_size: 42 });
  assert.equal((await call(readOnly.token, 'GET', '/api/v1/contacts?q=5000')).json().items.length, 0);
  const written = await ok(sales.token, 'PATCH', `/api/v1/contacts/${contact.id}`, {
    customFields: { shoe_size: 43 },
  });
  assert.deepEqual(written.customFields, { credit_limit: '5******', shoe_size: 43, langs: '***' });
});

test('the audit log names the custom fields a change touched, never their values', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  await define(token, { objectType: 'contact', key: 'secret', label: 'Secret', type: 'text' });
  await define(token, {
    objectType: 'contact',
    key: 'langs',
    label: 'Languages',
    type: 'multi_select',
    options: TIERS,
  });
  const contact = await newContact(token, {
    lastName: 'Geheim',
    customFields: { secret: 'Tresor-4711', langs: ['gold'] },
  });
  await ok(token, 'PATCH', `/api/v1/contacts/${contact.id}`, { customFields: { langs: ['gold', 'silver'] } });
  await ok(token, 'PATCH', `/api/v1/contacts/${contact.id}`, { customFields: { langs: ['silver', 'gold'] } });
  const audit = await auditOf(tenant.tenantId, contact.id);
  assert.deepEqual(
    audit.map((a) => a.changes),
    [
      { kind: 'personal-data', fields: ['lastName', 'customFields.langs', 'customFields.secret'] },
      { kind: 'personal-data', fields: ['customFields.langs'] },
    ],
    'the same choices in another order change nothing',
  );
  assert.ok(!JSON.stringify(audit).includes('Tresor'));
});

test('the OpenAPI document describes the custom-field endpoints', async () => {
  const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
  assert.ok(doc.paths['/api/v1/custom-fields']?.get);
  assert.ok(doc.paths['/api/v1/custom-fields']?.post);
  assert.ok(doc.paths['/api/v1/custom-fields/{id}']?.patch);
  assert.ok(doc.paths['/api/v1/custom-fields/{id}/rename']?.post);
  assert.ok(doc.paths['/api/v1/custom-fields/{id}']?.delete);
});
