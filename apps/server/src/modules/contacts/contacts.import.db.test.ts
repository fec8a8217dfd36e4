import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { type TenantTx, withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { createTenant } from '../tenants/index.ts';
import {
  contactCustomFields,
  type ImportDedupe,
  importContacts,
  type PreparedContact,
  prepareContactRow,
} from './contacts.import.ts';

// importContacts, the contacts module's entry for imports: a batch of checked rows written
// set-based, one outcome per row, on the real database (PGlite, or PostgreSQL with DATABASE_URL).
let database: TestDatabase;
before(async () => {
  database = await freshDatabase();
});
after(() => database.close());

let counter = 0;
async function tenant(): Promise<string> {
  counter += 1;
  return (
    await createTenant(database.db, { name: `Import ${counter}`, adminEmail: `admin${counter}@example.com` })
  ).tenantId;
}

function prepared(ref: number, body: Record<string, unknown>): PreparedContact {
  const row = prepareContactRow(ref, body, []);
  assert.ok(row.ok, JSON.stringify(row));
  return row.row;
}

async function run(
  tenantId: string,
  rows: PreparedContact[],
  dedupe: ImportDedupe,
  scope: string[] | null = null,
) {
  return withPrincipal(database.db, { tenantId, contactScope: scope }, (tx) =>
    importContacts(tx, { tenantId, contactScope: scope }, rows, { dedupe, definitions: [] }),
  );
}

async function contacts(tenantId: string) {
  return withTenant(database.db, tenantId, async (tx: TenantTx) => {
    const { rows } = await sql<{
      email: string | null;
      lastName: string | null;
      city: string | null;
      tags: string[];
    }>`
      select c.email::text as email, c.last_name, c.city,
        coalesce((select array_agg(t.name::text order by t.name) from contact_tag ct join tag t on t.id = ct.tag_id
          where ct.contact_id = c.id), '{}') as tags
      from contact c order by c.created_at, c.email`.execute(tx);
    return rows;
  });
}

test(`a row is checked by the rules of POST /api/v1/contacts, every bad field named (${TEST_DB_KIND})`, () => {
  const row = prepareContactRow(
    7,
    { lastName: 'Müller', email: 'no-at-sign', iban: 'DE00 1234', phone: '12', country: 'DE' },
    [],
  );
  assert.equal(row.ok, false);
  assert.deepEqual(!row.ok && row.errors.map((e) => e.path).sort(), ['email', 'iban', 'phone']);
  const good = prepareContactRow(
    8,
    { lastName: 'Müller', phone: '044 668 18 00', country: 'ch', iban: 'de89 3704 0044 0532 0130 00' },
    [],
  );
  assert.ok(good.ok);
  assert.deepEqual(
    good.ok && { phone: good.row.fields.phone, country: good.row.fields.country, iban: good.row.fields.iban },
    { phone: '+41446681800', country: 'CH', iban: 'DE89370400440532013000' },
  );
  assert.equal(prepareContactRow(9, { tags: ['x'] }, []).ok, false, 'someone must be named');
});

test('one batch with the same email twice follows the dedupe mode for the second row', async () => {
  const rows = [
    prepared(1, { lastName: 'Alt', email: 'anna@example.ch', city: 'Bern', tags: ['A'] }),
    prepared(2, { lastName: 'Neu', email: 'ANNA@example.ch', tags: ['B'] }),
  ];
  const update = await tenant();
  const updated = await run(update, rows, 'update');
  assert.deepEqual(
    updated.outcomes.map((o) => o.outcome),
    ['created', 'updated'],
  );
  assert.equal(
    updated.outcomes[0]?.outcome !== 'failed' && updated.outcomes[0]?.contactId,
    updated.outcomes[1]?.outcome !== 'failed' && updated.outcomes[1]?.contactId,
  );
  assert.deepEqual(await contacts(update), [
    { email: 'ANNA@example.ch', lastName: 'Neu', city: 'Bern', tags: ['A', 'B'] },
  ]);
  assert.deepEqual(updated.fields, ['city', 'email', 'lastName', 'tags']);

  const skip = await tenant();
  assert.deepEqual(
    (await run(skip, rows, 'skip')).outcomes.map((o) => o.outcome),
    ['created', 'skipped'],
  );
  assert.deepEqual(
    (await contacts(skip)).map((c) => c.lastName),
    ['Alt'],
  );

  const create = await tenant();
  assert.deepEqual(
    (await run(create, rows, 'create')).outcomes.map((o) => o.outcome),
    ['created', 'created'],
  );
  assert.equal((await contacts(create)).length, 2);
});

test('an earlier batch (or a contact made otherwise) is found by email in any case; update keeps what a row leaves empty', async () => {
  const tenantId = await tenant();
  await run(tenantId, [prepared(1, { lastName: 'Alt', email: 'urs@example.ch', city: 'Biel' })], 'create');
  const second = await run(
    tenantId,
    [prepared(2, { firstName: 'Urs', email: 'URS@EXAMPLE.CH', tags: ['Messe'] })],
    'update',
  );
  assert.deepEqual(
    second.outcomes.map((o) => o.outcome),
    ['updated'],
  );
  assert.deepEqual(await contacts(tenantId), [
    { email: 'URS@EXAMPLE.CH', lastName: 'Alt', city: 'Biel', tags: ['Messe'] },
  ]);
});

test('rows the database would refuse fail alone: a company that does not exist; a new contact outside the user’s groups', async () => {
  const tenantId = await tenant();
  const companyId = await withTenant(
    database.db,
    tenantId,
    async (tx) =>
      (
        await tx
          .insertInto('company')
          .values({ tenantId, name: 'Muster AG' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  );
  const result = await run(
    tenantId,
    [
      prepared(1, { lastName: 'A', companyId }),
      prepared(2, { lastName: 'B', companyId: '00000000-0000-4000-8000-000000000000' }),
      prepared(3, { lastName: 'C' }),
    ],
    'skip',
  );
  assert.deepEqual(
    result.outcomes.map((o) => (o.outcome === 'failed' ? o.errors.map((e) => e.path) : o.outcome)),
    ['created', ['companyId'], 'created'],
  );

  const scoped = await run(
    tenantId,
    [prepared(4, { lastName: 'D', tags: ['Ost'] }), prepared(5, { lastName: 'E', tags: ['West'] })],
    'skip',
    ['ost'],
  );
  assert.deepEqual(
    scoped.outcomes.map((o) =>
      o.outcome === 'failed' ? o.errors.map((e) => `${e.path}: ${e.message}`) : o.outcome,
    ),
    ['created', ['tags: must include one of: ost']],
  );
});

test('a required custom field left empty fails a new contact, not an update of an existing one', async () => {
  const tenantId = await tenant();
  await withTenant(database.db, tenantId, (tx) =>
    sql`insert into custom_field (tenant_id, object_type, key, label, type, required, position)
        values (${tenantId}, 'contact', 'member_no', 'Mitgliedsnummer', 'text', true, 0)`.execute(tx),
  );
  const definitions = await withTenant(database.db, tenantId, (tx) => contactCustomFields(tx));
  await withTenant(database.db, tenantId, (tx) =>
    tx
      .insertInto('contact')
      .values({ tenantId, lastName: 'Alt', email: 'alt@example.ch', customFields: '{"member_no":"M-1"}' })
      .execute(),
  );
  const check = (ref: number, body: Record<string, unknown>) => {
    const row = prepareContactRow(ref, body, definitions);
    assert.ok(row.ok);
    return row.row;
  };
  const result = await withTenant(database.db, tenantId, (tx) =>
    importContacts(
      tx,
      { tenantId, contactScope: null },
      [
        check(1, { lastName: 'Neu', email: 'neu@example.ch' }),
        check(2, { city: 'Bern', email: 'alt@example.ch' }),
      ],
      { dedupe: 'update', definitions },
    ),
  );
  assert.deepEqual(
    result.outcomes.map((o) => (o.outcome === 'failed' ? o.errors : o.outcome)),
    [[{ path: 'customFields.member_no', message: 'is required' }], 'updated'],
  );
});
