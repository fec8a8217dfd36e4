import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createTenant } from '../tenants/index.ts';

let database: TestDatabase;
let a: string;
let b: string;

before(async () => {
  database = await freshDatabase();
  a = (await createTenant(database.db, { name: 'A', adminEmail: 'a@example.com' })).tenantId;
  b = (await createTenant(database.db, { name: 'B', adminEmail: 'b@example.com' })).tenantId;
});
after(() => database.close());

test(`no row can point at another tenant's company or tag, even past the application (${TEST_DB_KIND})`, async () => {
  const theirCompany = await withTenant(database.db, b, async (tx) => {
    const { rows } = await sql<{
      id: string;
    }>`insert into company (tenant_id, name) values (${b}, 'B AG') returning id`.execute(tx);
    return rows[0]?.id as string;
  });
  const theirTag = await withTenant(database.db, b, async (tx) => {
    const { rows } = await sql<{
      id: string;
    }>`insert into tag (tenant_id, name) values (${b}, 'VIP') returning id`.execute(tx);
    return rows[0]?.id as string;
  });
  await assert.rejects(
    withTenant(database.db, a, (tx) =>
      sql`insert into contact (tenant_id, last_name, company_id) values (${a}, 'Spy', ${theirCompany})`.execute(
        tx,
      ),
    ),
    /foreign key/,
  );
  const mine = await withTenant(database.db, a, async (tx) => {
    const { rows } = await sql<{
      id: string;
    }>`insert into contact (tenant_id, last_name) values (${a}, 'Mine') returning id`.execute(tx);
    return rows[0]?.id as string;
  });
  await assert.rejects(
    withTenant(database.db, a, (tx) =>
      sql`insert into contact_tag (tenant_id, contact_id, tag_id) values (${a}, ${mine}, ${theirTag})`.execute(
        tx,
      ),
    ),
    /foreign key/,
  );
});

test('search text: folded names, company, email, city, phone digits; kept up to date by triggers', async () => {
  const text = await withTenant(database.db, a, async (tx) => {
    const { rows: company } = await sql<{ id: string }>`
      insert into company (tenant_id, name) values (${a}, 'Bäckerei Größer') returning id`.execute(tx);
    const { rows } = await sql<{ id: string; searchText: string }>`
      insert into contact (tenant_id, first_name, last_name, company_id, email, city, phone, mobile)
      values (${a}, 'Zoë', 'Müller-Lüdenscheidt', ${company[0]?.id}, 'Zoe@Example.com', 'Zürich', '+41446681800', null)
      returning id, search_text`.execute(tx);
    await sql`update company set name = 'Konditorei' where id = ${company[0]?.id}`.execute(tx);
    const { rows: renamed } = await sql<{ searchText: string }>`
      select search_text from contact where id = ${rows[0]?.id}`.execute(tx);
    return { created: rows[0]?.searchText, renamed: renamed[0]?.searchText };
  });
  assert.equal(text.created, 'zo muller-ludenscheidt backerei grosser zo@example.com zurich 41446681800');
  assert.equal(text.renamed, 'zo muller-ludenscheidt konditorei zo@example.com zurich 41446681800');
});
