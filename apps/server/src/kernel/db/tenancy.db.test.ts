import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { createTenant } from '../../modules/tenants/index.ts';
import { withTenant } from './tenancy.ts';

let database: TestDatabase;
let acme: { tenantId: string; adminUserId: string };
let globex: { tenantId: string; adminUserId: string };

before(async () => {
  database = await freshDatabase();
  acme = await createTenant(database.db, { name: 'Acme', adminEmail: 'admin@acme.example' });
  globex = await createTenant(database.db, { name: 'Globex', adminEmail: 'admin@globex.example' });
});
after(() => database.close());

test(`a raw query that forgets its tenant filter sees only its own tenant's rows (${TEST_DB_KIND})`, async () => {
  const seen = await withTenant(database.db, acme.tenantId, async (tx) => {
    const users = await sql<{
      email: string;
      tenantId: string;
    }>`select email, tenant_id from app_user`.execute(tx);
    const tenants = await sql<{ name: string }>`select name from tenant`.execute(tx);
    const tokens = await sql<{ n: number }>`select count(*)::int as n from api_token`.execute(tx);
    return { users: users.rows, tenants: tenants.rows.map((t) => t.name), tokens: tokens.rows[0]?.n };
  });
  assert.deepEqual(seen.users, [{ email: 'admin@acme.example', tenantId: acme.tenantId }]);
  assert.deepEqual(seen.tenants, ['Acme']);
  assert.equal(seen.tokens, 1);
});

test('the query builder without a where clause is fenced the same way', async () => {
  const rows = await withTenant(database.db, globex.tenantId, (tx) =>
    tx.selectFrom('appUser').select(['email']).execute(),
  );
  assert.deepEqual(rows, [{ email: 'admin@globex.example' }]);
});

test('without a tenant set, tenant tables look empty', async () => {
  const result = await sql<{ n: number }>`select count(*)::int as n from app_user`.execute(database.db);
  assert.equal(result.rows[0]?.n, 0);
});

test('writing a row for another tenant is refused by the policy', async () => {
  await assert.rejects(
    withTenant(database.db, acme.tenantId, (tx) =>
      tx
        .insertInto('appUser')
        .values({
          tenantId: globex.tenantId,
          email: 'spy@acme.example',
          displayName: null,
          passwordHash: null,
        })
        .execute(),
    ),
    /row-level security/,
  );
});

test("another tenant's rows cannot be updated or deleted, even by id", async () => {
  const changed = await withTenant(database.db, acme.tenantId, async (tx) => {
    const updated = await tx
      .updateTable('appUser')
      .set({ displayName: 'x' })
      .where('id', '=', globex.adminUserId)
      .executeTakeFirst();
    const deleted = await tx.deleteFrom('tenant').where('id', '=', globex.tenantId).executeTakeFirst();
    return Number(updated.numUpdatedRows) + Number(deleted.numDeletedRows);
  });
  assert.equal(changed, 0);
  const still = await withTenant(database.db, globex.tenantId, (tx) =>
    tx.selectFrom('tenant').select('name').execute(),
  );
  assert.deepEqual(still, [{ name: 'Globex' }]);
});

test('the tenant setting does not outlive its transaction', async () => {
  await withTenant(database.db, acme.tenantId, async () => undefined);
  const after = await sql<{
    t: string | null;
  }>`select nullif(current_setting('app.tenant_id', true), '') as t`.execute(database.db);
  assert.equal(after.rows[0]?.t, null);
});

test('the application role cannot bypass row-level security', async () => {
  const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }>`
    select r.rolsuper, r.rolbypassrls,
      (select count(*)::int from pg_class c where c.relowner = r.oid and c.relname in ('tenant', 'app_user', 'api_token')) as owns
    from pg_roles r where r.rolname = current_user`.execute(database.db);
  assert.deepEqual(role.rows[0], { rolsuper: false, rolbypassrls: false, owns: 0 });
  await assert.rejects(
    withTenant(database.db, acme.tenantId, async (tx) => {
      await sql`set local row_security = off`.execute(tx);
      await sql`select * from app_user`.execute(tx);
    }),
    /row-level security|row security/i,
  );
});

test('every table with a tenant_id column has row-level security enabled and forced', async () => {
  const rows = await sql<{ table: string; enabled: boolean; forced: boolean; policies: number }>`
    select c.relname as "table", c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
      (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
           or c.relname = 'tenant')
    order by 1`.execute(database.db);
  assert.ok(rows.rows.length >= 5);
  for (const r of rows.rows) {
    assert.deepEqual(
      { ...r },
      { table: r.table, enabled: true, forced: true, policies: r.policies },
      r.table,
    );
    assert.ok(r.policies >= 1, `${r.table} has no policy`);
  }
});

test('withTenant refuses something that is not a tenant id', async () => {
  await assert.rejects(
    withTenant(database.db, "x' or true --", async () => undefined),
    /must be a UUID/,
  );
});
