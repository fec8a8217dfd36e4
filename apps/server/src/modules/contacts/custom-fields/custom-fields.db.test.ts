import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../../test/support/database.ts';
import { type TenantTx, withTenant } from '../../../kernel/db/tenancy.ts';
import { createTenant } from '../../tenants/index.ts';
import { listDefinitions, uniqueViolationOf } from './custom-fields.service.ts';

// The value index (custom_field_value) as the triggers keep it, and what row-level security
// lets the planner do with it. Everything runs as the application role inside a tenant.

let database: TestDatabase;
let tenant: string;
let other: string;

before(async () => {
  database = await freshDatabase();
  tenant = (await createTenant(database.db, { name: 'A', adminEmail: 'a@example.com' })).tenantId;
  other = (await createTenant(database.db, { name: 'B', adminEmail: 'b@example.com' })).tenantId;
});
after(() => database.close());

const inA = <T>(work: (tx: TenantTx) => Promise<T>) => withTenant(database.db, tenant, work);

async function defineField(
  tenantId: string,
  objectType: 'contact' | 'company',
  key: string,
  type: string,
  extra: { unique?: boolean; options?: string[] } = {},
): Promise<string> {
  return withTenant(database.db, tenantId, async (tx) => {
    const options = JSON.stringify(
      (extra.options ?? []).map((value) => ({ value, label: value, labels: {} })),
    );
    const { rows } = await sql<{ id: string }>`
      insert into custom_field (tenant_id, object_type, key, label, type, options, is_unique)
      values (${tenantId}, ${objectType}, ${key}, ${key}, ${type}, ${options}::jsonb, ${extra.unique ?? false})
      returning id`.execute(tx);
    return rows[0]?.id as string;
  });
}

type IndexRow = {
  key: string;
  lastName: string;
  valueText: string | null;
  valueNumber: number | null;
  valueDate: string | null;
  valueBool: boolean | null;
};

async function indexRows(tx: TenantTx): Promise<IndexRow[]> {
  const { rows } = await sql<IndexRow>`
    select f.key, c.last_name, v.value_text, v.value_number, to_char(v.value_date, 'YYYY-MM-DD') as value_date,
      v.value_bool
    from custom_field_value v
    join custom_field f on f.id = v.field_id
    join contact c on c.id = v.record_id
    order by c.last_name, f.key, v.value_text`.execute(tx);
  return rows;
}

const row = (key: string, lastName: string, values: Partial<IndexRow> = {}): IndexRow => ({
  key,
  lastName,
  valueText: null,
  valueNumber: null,
  valueDate: null,
  valueBool: null,
  ...values,
});

let fields: Record<string, string>;

test('a multi-row INSERT indexes every defined value typed, one row per multi-select option, in the same statement', async () => {
  fields = {
    club: await defineField(tenant, 'contact', 'club', 'text'),
    note: await defineField(tenant, 'contact', 'note', 'long_text'),
    size: await defineField(tenant, 'contact', 'size', 'number'),
    price: await defineField(tenant, 'contact', 'price', 'decimal'),
    since: await defineField(tenant, 'contact', 'since', 'date'),
    vegan: await defineField(tenant, 'contact', 'vegan', 'boolean'),
    tier: await defineField(tenant, 'contact', 'tier', 'single_select', { options: ['gold', 'silver'] }),
    langs: await defineField(tenant, 'contact', 'langs', 'multi_select', { options: ['de', 'fr', 'it'] }),
    number: await defineField(tenant, 'contact', 'number', 'text', { unique: true }),
  };
  const rows = await inA(async (tx) => {
    await sql`insert into contact (tenant_id, last_name, custom_fields) values
      (${tenant}, 'Amsel', ${JSON.stringify({ club: 'FC Zürich', note: 'Long story', size: 42, price: '12.50', undefined_key: 'x' })}::jsonb),
      (${tenant}, 'Buchfink', ${JSON.stringify({ since: '2020-02-29', vegan: false, tier: 'gold', langs: ['de', 'fr'] })}::jsonb),
      (${tenant}, 'Drossel', '{}'::jsonb)`.execute(tx);
    return indexRows(tx);
  });
  assert.deepEqual(rows, [
    row('club', 'Amsel', { valueText: 'fc zürich' }),
    row('note', 'Amsel'),
    row('price', 'Amsel', { valueNumber: 12.5 }),
    row('size', 'Amsel', { valueNumber: 42 }),
    row('langs', 'Buchfink', { valueText: 'de' }),
    row('langs', 'Buchfink', { valueText: 'fr' }),
    row('since', 'Buchfink', { valueDate: '2020-02-29' }),
    row('tier', 'Buchfink', { valueText: 'gold' }),
    row('vegan', 'Buchfink', { valueBool: false }),
  ]);
});

test('an UPDATE re-indexes the keys whose value changed and leaves the others alone', async () => {
  const result = await inA(async (tx) => {
    const { rows: before } = await sql<{ ctid: string; key: string }>`
      select v.ctid::text as ctid, f.key from custom_field_value v join custom_field f on f.id = v.field_id
      join contact c on c.id = v.record_id where c.last_name = 'Amsel'`.execute(tx);
    await sql`update contact set custom_fields = custom_fields - 'note' || '{"size": 43}'::jsonb
      where last_name = 'Amsel'`.execute(tx);
    await sql`update contact set city = 'Bern' where last_name = 'Buchfink'`.execute(tx);
    const { rows: afterwards } = await sql<{ ctid: string; key: string }>`
      select v.ctid::text as ctid, f.key from custom_field_value v join custom_field f on f.id = v.field_id
      join contact c on c.id = v.record_id where c.last_name = 'Amsel'`.execute(tx);
    return { before, afterwards, rows: await indexRows(tx) };
  });
  const ctidOf = (rows: { ctid: string; key: string }[], key: string) =>
    rows.find((r) => r.key === key)?.ctid;
  assert.equal(ctidOf(result.afterwards, 'club'), ctidOf(result.before, 'club'), 'club untouched');
  assert.notEqual(ctidOf(result.afterwards, 'size'), ctidOf(result.before, 'size'), 'size re-indexed');
  assert.deepEqual(
    result.rows.filter((r) => r.lastName === 'Amsel'),
    [
      row('club', 'Amsel', { valueText: 'fc zürich' }),
      row('price', 'Amsel', { valueNumber: 12.5 }),
      row('size', 'Amsel', { valueNumber: 43 }),
    ],
  );
  assert.equal(result.rows.filter((r) => r.lastName === 'Buchfink').length, 5, 'other columns: index kept');
});

test("deleting a record drops its index rows; deleting a company drops its persons' rows too", async () => {
  const floor = await defineField(tenant, 'company', 'floor', 'number');
  const counts = await inA(async (tx) => {
    const { rows } = await sql<{ id: string }>`
      insert into company (tenant_id, name, custom_fields) values (${tenant}, 'Nest AG', '{"floor": 3}'::jsonb)
      returning id`.execute(tx);
    const companyId = rows[0]?.id as string;
    await sql`insert into contact (tenant_id, last_name, company_id, custom_fields)
      values (${tenant}, 'Meise', ${companyId}, '{"club": "YB", "size": 40}'::jsonb)`.execute(tx);
    const count = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from custom_field_value
          where record_id in (select id from contact where last_name = 'Meise') or field_id = ${floor}`.execute(
          tx,
        )
      ).rows[0]?.n;
    const before = await count();
    const { rows: meise } = await sql<{
      id: string;
    }>`select id from contact where last_name = 'Meise'`.execute(tx);
    await sql`delete from company where id = ${companyId}`.execute(tx);
    const { rows: left } = await sql<{ n: number }>`
      select count(*)::int as n from custom_field_value where record_id in (${companyId}, ${meise[0]?.id})`.execute(
      tx,
    );
    return { before, after: left[0]?.n };
  });
  assert.deepEqual(counts, { before: 3, after: 0 });
});

test('a unique field refuses a second record with the same value, whatever its case', async () => {
  await inA((tx) =>
    sql`insert into contact (tenant_id, last_name, custom_fields) values (${tenant}, 'Star', '{"number": "K-100"}')`.execute(
      tx,
    ),
  );
  const error = await inA((tx) =>
    sql`insert into contact (tenant_id, last_name, custom_fields) values (${tenant}, 'Spatz', '{"number": "k-100"}')`.execute(
      tx,
    ),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.equal((error as { code?: string }).code, '23505');
  assert.equal((error as { constraint?: string }).constraint, 'custom_field_value_unique_text');
  const defs = await inA((tx) => listDefinitions(tx, 'contact'));
  const answer = uniqueViolationOf(error, defs);
  assert.equal(answer?.code, 'CUSTOM_FIELDS_VALUE_TAKEN');
  assert.deepEqual(answer?.details, [
    { path: 'customFields.number', message: 'is already the value of another record' },
  ]);
  // Another tenant's field of the same key is another field.
  await defineField(other, 'contact', 'number', 'text', { unique: true });
  await withTenant(database.db, other, (tx) =>
    sql`insert into contact (tenant_id, last_name, custom_fields) values (${other}, 'Star', '{"number": "K-100"}')`.execute(
      tx,
    ),
  );
});

test('under row-level security a filter on the value index is an index range, not a scan of the tenant', async () => {
  const plans = await inA(async (tx) => {
    await sql`set local enable_seqscan = off`.execute(tx);
    const explain = async (condition: ReturnType<typeof sql>) => {
      const { rows } = await sql<Record<string, string>>`explain select c.id from contact c where c.id in (
        select v.record_id from custom_field_value v where ${condition})`.execute(tx);
      return rows.map((r) => Object.values(r)[0]).join('\n');
    };
    return {
      range: await explain(
        sql`v.field_id = ${fields.size}::uuid and v.value_number is not null and v.value_number > ${40}::double precision`,
      ),
      prefix: await explain(
        sql`v.field_id = ${fields.club}::uuid and v.value_text is not null and v.value_text ^@ kontor_custom_text(${'FC'})`,
      ),
      date: await explain(
        sql`v.field_id = ${fields.since}::uuid and v.value_date is not null and v.value_date between ${'2020-01-01'}::date and ${'2020-12-31'}::date`,
      ),
    };
  });
  assert.match(plans.range, /custom_field_value_number[\s\S]*Index Cond: .*value_number > /);
  assert.match(plans.prefix, /custom_field_value_text[\s\S]*Index Cond: .*value_text >= /);
  assert.match(plans.date, /custom_field_value_date[\s\S]*Index Cond: .*value_date >= /);
});

test('two concurrent writes of one unique value: the second waits for the first and is refused (postgres)', {
  skip: TEST_DB_KIND !== 'postgres' && 'PGlite runs one transaction at a time',
}, async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let inserted = () => {};
  const firstInserted = new Promise<void>((resolve) => {
    inserted = resolve;
  });
  const first = inA(async (tx) => {
    await sql`insert into contact (tenant_id, last_name, custom_fields) values (${tenant}, 'Eins', '{"number": "Z-1"}')`.execute(
      tx,
    );
    inserted();
    await held;
  });
  await firstInserted;
  const second = inA((tx) =>
    sql`insert into contact (tenant_id, last_name, custom_fields) values (${tenant}, 'Zwei', '{"number": "z-1"}')`.execute(
      tx,
    ),
  ).then(
    () => 'committed',
    (e: { code?: string }) => e.code,
  );
  // The second insert blocks on the unique index until the first transaction ends.
  const early = await Promise.race([second, new Promise((r) => setTimeout(() => r('waiting'), 300))]);
  assert.equal(early, 'waiting');
  release();
  await first;
  assert.equal(await second, '23505');
});

test('a write racing a field becoming unique waits for the change and is then held to it (postgres)', {
  skip: TEST_DB_KIND !== 'postgres' && 'PGlite runs one transaction at a time',
}, async () => {
  const home = await defineField(tenant, 'contact', 'home', 'text');
  await inA((tx) =>
    sql`insert into contact (tenant_id, last_name, custom_fields) values (${tenant}, 'Bernerin', '{"home": "Bern"}')`.execute(
      tx,
    ),
  );
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const fieldLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  // What the service does to make a field unique: lock it, flag it and its index rows.
  const change = inA(async (tx) => {
    await sql`select id from custom_field where id = ${home} for update`.execute(tx);
    await sql`update custom_field set is_unique = true where id = ${home}`.execute(tx);
    await sql`update custom_field_value set is_unique = true where field_id = ${home}`.execute(tx);
    locked();
    await held;
  });
  await fieldLocked;
  const write = inA((tx) =>
    sql`insert into contact (tenant_id, last_name, custom_fields) values (${tenant}, 'Berner', '{"home": "BERN"}')`.execute(
      tx,
    ),
  ).then(
    () => 'committed',
    (e: { code?: string }) => e.code,
  );
  const early = await Promise.race([write, new Promise((r) => setTimeout(() => r('waiting'), 300))]);
  assert.equal(early, 'waiting', 'the write waits for the definition change');
  release();
  await change;
  assert.equal(await write, '23505', 'and is then indexed as unique: refused');
});
