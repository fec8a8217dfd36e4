import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { type TenantTx, withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { encodeCursor, type Keyset } from '../../kernel/http/pagination.ts';
import { createTenant } from '../tenants/index.ts';
import * as repo from './contacts.repository.ts';

// Lists at scale: a page filtered by tags is read from the tag's members in contact order
// (contact_tag.contact_created_at, kept by triggers). These tests pin that such pages are the
// same pages the plain filter gives: newest first, none twice, none skipped.

let database: TestDatabase;
let tenant: string;

before(async () => {
  database = await freshDatabase();
  tenant = (await createTenant(database.db, { name: 'Lists', adminEmail: 'l@example.com' })).tenantId;
});
after(() => database.close());

type Made = { id: string; createdAt: string; tags: string[]; companyId: string | null };

/** 40 contacts, some sharing a created_at (ties break by id), tags A/B/C by a fixed pattern. */
async function makeContacts(tx: TenantTx): Promise<Made[]> {
  const company = (
    await sql<{
      id: string;
    }>`insert into company (tenant_id, name) values (${tenant}, 'Firma') returning id`.execute(tx)
  ).rows[0]?.id as string;
  const made: Made[] = [];
  for (let i = 0; i < 40; i += 1) {
    const tags = [i % 2 === 0 ? 'A' : '', i % 3 === 0 ? 'B' : '', i % 7 === 0 ? 'C' : ''].filter(Boolean);
    const companyId = i % 4 === 0 ? company : null;
    // Every fifth pair shares its created_at.
    const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, i - (i % 5 === 1 ? 1 : 0))).toISOString();
    const { rows } = await sql<{ id: string }>`
      insert into contact (tenant_id, last_name, company_id, created_at)
      values (${tenant}, ${`P${i}`}, ${companyId}, ${createdAt}) returning id`.execute(tx);
    const id = rows[0]?.id as string;
    if (tags.length > 0)
      await repo.setTags(tx, 'contact', tenant, id, await repo.ensureTags(tx, tenant, tags));
    made.push({ id, createdAt, tags, companyId });
  }
  return made;
}

const newestFirst = (a: Made, b: Made) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

async function allPages(filter: repo.ContactFilter, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: Keyset | undefined;
  for (let guard = 0; guard < 100; guard += 1) {
    const rows = await withTenant(database.db, tenant, (tx) =>
      repo.listContacts(tx, filter, { limit, after }),
    );
    const page = rows.slice(0, limit);
    ids.push(...page.map((r) => r.id));
    const last = page.at(-1);
    if (rows.length <= limit || !last) return ids;
    after = { t: last.cursorTs, i: last.id };
    assert.ok(encodeCursor(after));
  }
  throw new Error('paging did not end');
}

test(`pages filtered by tags: newest first, none twice, none skipped, ties by id (${TEST_DB_KIND})`, async () => {
  const made = await withTenant(database.db, tenant, makeContacts);
  const company = made.find((m) => m.companyId)?.companyId as string;
  const cases: { filter: repo.ContactFilter; expect: (m: Made) => boolean }[] = [
    { filter: { tags: ['a'] }, expect: (m) => m.tags.includes('A') },
    { filter: { tags: ['A', 'b'] }, expect: (m) => m.tags.includes('A') && m.tags.includes('B') },
    { filter: { tags: ['C', 'A'] }, expect: (m) => m.tags.includes('A') && m.tags.includes('C') },
    {
      filter: { tags: ['A'], companyId: company },
      expect: (m) => m.tags.includes('A') && m.companyId === company,
    },
    { filter: { tags: [] }, expect: () => true },
  ];
  for (const { filter, expect } of cases) {
    const expected = made
      .filter(expect)
      .sort(newestFirst)
      .map((m) => m.id);
    for (const limit of [3, 7, 50]) {
      assert.deepEqual(await allPages(filter, limit), expected, `${JSON.stringify(filter)} by ${limit}`);
    }
  }
  assert.deepEqual(await allPages({ tags: ['A', 'nobody'] }, 5), []);
});

test("contact_tag carries its contact's created_at, also for a tag set by a scoped user on a new contact", async () => {
  const id = await withPrincipal(database.db, { tenantId: tenant, contactScope: ['Nord'] }, async (tx) => {
    const newId = await repo.insertContact(tx, tenant, { lastName: 'Neu', customFields: '{}' });
    await repo.setTags(tx, 'contact', tenant, newId, await repo.ensureTags(tx, tenant, ['Nord']));
    return newId;
  });
  const stored = async () =>
    withTenant(database.db, tenant, async (tx) => {
      const { rows } = await sql<{ copied: string; own: string }>`
        select j.contact_created_at::text as copied, c.created_at::text as own
        from contact_tag j join contact c on c.id = j.contact_id where c.id = ${id}`.execute(tx);
      return rows;
    });
  const [first] = await stored();
  assert.ok(first?.copied, 'the copy is set');
  assert.equal(first?.copied, first?.own);
  await withTenant(database.db, tenant, (tx) =>
    sql`update contact set created_at = created_at - interval '1 day' where id = ${id}`.execute(tx),
  );
  const [moved] = await stored();
  assert.equal(moved?.copied, moved?.own, 'a changed created_at reaches the tag rows');
  assert.notEqual(moved?.copied, first?.copied);
});
