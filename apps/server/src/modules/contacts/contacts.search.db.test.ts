import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { type TenantTx, withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { createTenant } from '../tenants/index.ts';
import * as repo from './contacts.repository.ts';
import { searchTerms } from './contacts.search.ts';

// The search function (kontor_search_ids, SECURITY DEFINER: it runs past row-level security so
// that its queries can use the indexes) must apply the tenant, the contact scope and the
// searcher's visible parts itself. These tests call it directly, as the application role.

let database: TestDatabase;
let a: string;
let b: string;

before(async () => {
  database = await freshDatabase();
  a = (await createTenant(database.db, { name: 'A', adminEmail: 'a@example.com' })).tenantId;
  b = (await createTenant(database.db, { name: 'B', adminEmail: 'b@example.com' })).tenantId;
});
after(() => database.close());

type Person = {
  first?: string;
  last?: string;
  email?: string;
  city?: string;
  phone?: string;
  company?: string;
  tags?: string[];
};

/** Inserts persons in order (each one a microsecond newer than the one before) as the app role. */
async function insertPersons(tx: TenantTx, tenantId: string, people: Person[]): Promise<string[]> {
  const ids: string[] = [];
  for (const p of people) {
    const company = p.company
      ? (
          await sql<{ id: string }>`insert into company (tenant_id, name) values (${tenantId}, ${p.company})
            returning id`.execute(tx)
        ).rows[0]?.id
      : null;
    const id = (
      await sql<{ id: string }>`
        insert into contact (tenant_id, first_name, last_name, email, city, phone, company_id, created_at)
        values (${tenantId}, ${p.first ?? null}, ${p.last ?? null}, ${p.email ?? null}, ${p.city ?? null},
          ${p.phone ?? null}, ${company}, clock_timestamp())
        returning id`.execute(tx)
    ).rows[0]?.id as string;
    if (p.tags && p.tags.length > 0) {
      const tagIds = await repo.ensureTags(tx, tenantId, p.tags);
      await repo.setTags(tx, 'contact', tenantId, id, tagIds);
    }
    ids.push(id);
  }
  return ids;
}

async function searchIds(
  tx: TenantTx,
  query: { words?: string[]; digits?: string; parts?: string; tags?: string[]; companyId?: string },
  limit = 50,
): Promise<{ id: string; tier: number }[]> {
  const { rows } = await sql<{ id: string; tier: number }>`
    select id, tier from kontor_search_ids('contact', ${query.words ?? null}::text[], ${query.digits ?? null}::text,
      ${query.parts ?? 'naeo'}, ${query.tags ?? []}::text[], ${query.companyId ?? null}::uuid, ${limit})`.execute(
    tx,
  );
  return rows;
}

const principal = (tenantId: string, contactScope: string[] | null) => ({ tenantId, contactScope });

test(`another tenant's Müller is never found, and without a tenant nothing is (${TEST_DB_KIND})`, async () => {
  const [mine] = await withTenant(database.db, a, (tx) =>
    insertPersons(tx, a, [{ first: 'Anna', last: 'Müller', city: 'Zürich', phone: '+41446681800' }]),
  );
  const [theirs] = await withTenant(database.db, b, (tx) =>
    insertPersons(tx, b, [{ first: 'Anna', last: 'Müller', city: 'Zürich', phone: '+41446681800' }]),
  );
  for (const query of [
    { words: ['Müller'] },
    { words: ['mueller'] },
    { words: ['Mülle'] },
    { words: ['Muler'] },
    { words: ['üll'] },
    { words: ['zurich'] },
    { digits: '446681800' },
  ]) {
    const found = await withTenant(database.db, a, (tx) => searchIds(tx, query));
    assert.deepEqual(
      found.map((f) => f.id),
      [mine],
      JSON.stringify(query),
    );
    const foundByB = await withTenant(database.db, b, (tx) => searchIds(tx, query));
    assert.deepEqual(
      foundByB.map((f) => f.id),
      [theirs],
      JSON.stringify(query),
    );
  }
  const noTenant = await sql<{ id: string }>`
    select id from kontor_search_ids('contact', array['Müller'], null, 'naeo', '{}', null, 50)`.execute(
    database.db,
  );
  assert.deepEqual(noTenant.rows, []);
  const terms = searchTerms('Müller');
  assert.ok(terms);
  const rows = await withTenant(database.db, a, (tx) => repo.searchContacts(tx, terms, { tags: [] }, 50));
  assert.deepEqual(
    rows.map((r) => r.id),
    [mine],
  );
});

test('a scoped user never finds a contact outside their groups, not even by its exact name', async () => {
  const tenant = (await createTenant(database.db, { name: 'Scoped', adminEmail: 's@example.com' })).tenantId;
  const [north, south] = await withTenant(database.db, tenant, (tx) =>
    insertPersons(tx, tenant, [
      { first: 'Nora', last: 'Nordmann', phone: '+41441110000', tags: ['Nord'] },
      { first: 'Sepp', last: 'Südmann', phone: '+41441110001', tags: ['Süd'] },
    ]),
  );
  for (const query of [
    { words: ['mann'] },
    { words: ['Südmann'] },
    { words: ['Sepp'] },
    { words: ['sud'] },
    { digits: '4411100' },
  ]) {
    const scoped = await withPrincipal(database.db, principal(tenant, ['nord']), (tx) =>
      searchIds(tx, query),
    );
    assert.ok(!scoped.some((f) => f.id === south), `${JSON.stringify(query)} found the out-of-scope contact`);
  }
  const scoped = await withPrincipal(database.db, principal(tenant, ['nord']), (tx) =>
    searchIds(tx, { words: ['mann'] }),
  );
  assert.deepEqual(
    scoped.map((f) => f.id),
    [north],
  );
  const everyone = await withPrincipal(database.db, principal(tenant, null), (tx) =>
    searchIds(tx, { words: ['mann'] }),
  );
  assert.deepEqual(everyone.map((f) => f.id).sort(), [north, south].sort());
});

test('a word matches only in the parts the searcher sees; numbers need contact details', async () => {
  const tenant = (await createTenant(database.db, { name: 'Parts', adminEmail: 'p@example.com' })).tenantId;
  const [greta] = await withTenant(database.db, tenant, (tx) =>
    insertPersons(tx, tenant, [
      {
        first: 'Greta',
        last: 'Verborgen',
        email: 'geheimadresse@example.com',
        city: 'Lausanne',
        phone: '+41446681800',
        company: 'Sichtbar AG',
      },
    ]),
  );
  const find = (query: { words?: string[]; digits?: string }, parts: string) =>
    withTenant(database.db, tenant, async (tx) =>
      (await searchIds(tx, { ...query, parts })).map((f) => f.id),
    );
  assert.deepEqual(await find({ words: ['geheimadresse'] }, 'naeo'), [greta]);
  assert.deepEqual(await find({ words: ['geheimadresse'] }, 'nao'), [], 'not by a hidden email');
  assert.deepEqual(await find({ words: ['geheim'] }, 'nao'), [], 'not by part of a hidden email');
  assert.deepEqual(await find({ words: ['geheimadrese'] }, 'nao'), [], 'not by a hidden email misspelt');
  assert.deepEqual(await find({ words: ['Verborgen'] }, 'ao'), [], 'not by a hidden name');
  assert.deepEqual(await find({ words: ['Lausanne'] }, 'neo'), [], 'not by a hidden city');
  assert.deepEqual(await find({ digits: '446681800' }, 'nao'), [], 'not by a hidden phone number');
  assert.deepEqual(await find({ words: ['greta', '6681800'] }, 'nao'), [], 'not by digits among the words');
  assert.deepEqual(await find({ words: ['Sichtbar'] }, 'o'), [greta], 'the company name is always seen');
  assert.deepEqual(await find({ words: ['Verborgen'] }, 'no'), [greta]);
  assert.deepEqual(await find({ words: ['greta', '6681800'] }, 'naeo'), [greta]);
  await assert.rejects(
    withTenant(database.db, tenant, (tx) => searchIds(tx, { words: ['x'], parts: 'nx' })),
    /not parts of a contact/,
  );
});

test('exact words first, then beginnings, parts of words, similar spellings; newest first within each', async () => {
  const tenant = (await createTenant(database.db, { name: 'Steps', adminEmail: 't@example.com' })).tenantId;
  const [similar, part, prefixOld, exactOld, prefixNew, exactNew] = await withTenant(
    database.db,
    tenant,
    (tx) =>
      insertPersons(tx, tenant, [
        { first: 'S', last: 'Man' },
        { first: 'P', last: 'Nordmann' },
        { first: 'O', last: 'Manner' },
        { first: 'E', last: 'Mann' },
        { first: 'N', last: 'Mannheimer' },
        { first: 'X', last: 'Mann' },
      ]),
  );
  const found = await withTenant(database.db, tenant, (tx) => searchIds(tx, { words: ['Mann'] }));
  assert.deepEqual(found, [
    { id: exactNew, tier: 1 },
    { id: exactOld, tier: 1 },
    { id: prefixNew, tier: 2 },
    { id: prefixOld, tier: 2 },
    { id: part, tier: 3 },
    { id: similar, tier: 4 },
  ]);
  const limited = await withTenant(database.db, tenant, (tx) => searchIds(tx, { words: ['Mann'] }, 3));
  assert.deepEqual(
    limited.map((f) => f.id),
    [exactNew, exactOld, prefixNew],
  );
  // Every word must match; the worse of the two decides the step.
  const both = await withTenant(database.db, tenant, (tx) => searchIds(tx, { words: ['x', 'mann'] }));
  assert.deepEqual(both, [{ id: exactNew, tier: 1 }]);
  const oneLetter = await withTenant(database.db, tenant, (tx) => searchIds(tx, { words: ['n'] }));
  assert.equal(oneLetter[0]?.id, prefixNew, 'one letter: the exact initial, then names beginning with it');
});

test('tag and company filters apply before the limit, not to the first page of matches', async () => {
  const tenant = (await createTenant(database.db, { name: 'Filters', adminEmail: 'f@example.com' })).tenantId;
  const { vip, ofCompany } = await withTenant(database.db, tenant, async (tx) => {
    const old = await insertPersons(
      tx,
      tenant,
      Array.from({ length: 3 }, (_, i) => ({ first: `V${i}`, last: 'Müller', tags: ['VIP'] })),
    );
    const company = await insertPersons(tx, tenant, [{ first: 'C', last: 'Müller', company: 'Holz AG' }]);
    await insertPersons(
      tx,
      tenant,
      Array.from({ length: 12 }, (_, i) => ({ first: `N${i}`, last: 'Müller' })),
    );
    return { vip: old, ofCompany: company[0] as string };
  });
  const companyId = await withTenant(database.db, tenant, async (tx) => {
    const { rows } = await sql<{
      companyId: string;
    }>`select company_id from contact where id = ${ofCompany}`.execute(tx);
    return rows[0]?.companyId as string;
  });
  const tagged = await withTenant(database.db, tenant, (tx) =>
    searchIds(tx, { words: ['muller'], tags: ['vip'] }, 5),
  );
  assert.deepEqual(tagged.map((f) => f.id).sort(), [...vip].sort());
  const unknownTag = await withTenant(database.db, tenant, (tx) =>
    searchIds(tx, { words: ['muller'], tags: ['vip', 'nobody'] }, 5),
  );
  assert.deepEqual(unknownTag, []);
  const byCompany = await withTenant(database.db, tenant, (tx) =>
    searchIds(tx, { words: ['muller'], companyId }, 5),
  );
  assert.deepEqual(
    byCompany.map((f) => f.id),
    [ofCompany],
  );
});

test("the vocabulary follows the records: an erased person's words go, shared ones stay", async () => {
  const tenant = (await createTenant(database.db, { name: 'Words', adminEmail: 'w@example.com' })).tenantId;
  const words = () =>
    withTenant(database.db, tenant, async (tx) => {
      const { rows } = await sql<{ word: string }>`select word from search_word order by word`.execute(tx);
      return rows.map((r) => r.word);
    });
  const [rare, shared1, shared2] = await withTenant(database.db, tenant, (tx) =>
    insertPersons(tx, tenant, [
      { first: 'Quirin', last: 'Quaxmeier', email: 'q@quax.example' },
      { first: 'Anna', last: 'Müller', tags: ['Nord'] },
      { first: 'Berta', last: 'Müller', tags: ['Süd'] },
      { first: 'Zeno', last: 'Zwygart', tags: ['Süd'] },
    ]),
  );
  assert.deepEqual(await words(), [
    'anna',
    'berta',
    'example',
    'muller',
    'quax',
    'quaxmeier',
    'quirin',
    'zeno',
    'zwygart',
  ]);
  await withTenant(database.db, tenant, (tx) => repo.deleteContacts(tx, [rare as string]));
  assert.deepEqual(await words(), ['anna', 'berta', 'muller', 'zeno', 'zwygart']);

  // A scoped user deletes their Müller: the out-of-scope Müller keeps the word.
  await withPrincipal(database.db, principal(tenant, ['Nord']), (tx) =>
    repo.deleteContacts(tx, [shared1 as string]),
  );
  assert.deepEqual(await words(), ['berta', 'muller', 'zeno', 'zwygart']);

  // A change of name: the old word goes, the new one comes; a prefix search finds the new one.
  await withTenant(database.db, tenant, (tx) =>
    sql`update contact set last_name = 'Zwygart-Imhof' where id = ${shared2}`.execute(tx),
  );
  assert.deepEqual(await words(), ['berta', 'imhof', 'zeno', 'zwygart']);
  const found = await withTenant(database.db, tenant, (tx) => searchIds(tx, { words: ['imh'] }));
  assert.deepEqual(
    found.map((f) => f.id),
    [shared2],
  );
});

test('search keys: the words of each part, with the tenant prefix; a company rename reaches its persons', async () => {
  const tenant = (await createTenant(database.db, { name: 'Keys', adminEmail: 'k@example.com' })).tenantId;
  const prefix = tenant.slice(0, 8);
  const keys = await withTenant(database.db, tenant, async (tx) => {
    const [id] = await insertPersons(tx, tenant, [
      {
        first: 'Zoë',
        last: 'Müller-Lüdenscheidt',
        email: 'zoe.m42@example.ch',
        city: 'Zürich',
        company: 'Bäckerei Größer',
      },
    ]);
    const before = (
      await sql<{ searchKeys: string[] }>`select search_keys from contact where id = ${id}`.execute(tx)
    ).rows[0]?.searchKeys;
    await sql`update company set name = 'Konditorei' where name = 'Bäckerei Größer'`.execute(tx);
    const renamed = (
      await sql<{ searchKeys: string[] }>`select search_keys from contact where id = ${id}`.execute(tx)
    ).rows[0]?.searchKeys;
    return { before, renamed };
  });
  const strip = (k: string[] | undefined) => (k ?? []).map((key) => key.replace(prefix, '')).sort();
  assert.deepEqual(strip(keys.before), [
    'azurich',
    'ech',
    'eexample',
    'em',
    'ezo',
    'nludenscheidt',
    'nmuller',
    'nzo',
    'obackerei',
    'ogrosser',
  ]);
  assert.deepEqual(strip(keys.renamed), [
    'azurich',
    'ech',
    'eexample',
    'em',
    'ezo',
    'nludenscheidt',
    'nmuller',
    'nzo',
    'okonditorei',
  ]);
});

test('adding a new word never waits for another transaction adding the same word (PostgreSQL)', {
  skip: TEST_DB_KIND !== 'postgres' && 'needs two sessions',
}, async () => {
  const tenant = (await createTenant(database.db, { name: 'Race', adminEmail: 'r@example.com' })).tenantId;
  let releaseFirst: () => void = () => undefined;
  const firstMayCommit = new Promise<void>((resolve) => {
    releaseFirst = resolve;
  });
  let firstInserted: () => void = () => undefined;
  const firstHasInserted = new Promise<void>((resolve) => {
    firstInserted = resolve;
  });
  const first = withTenant(database.db, tenant, async (tx) => {
    const ids = await insertPersons(tx, tenant, [{ last: 'Xylquarz' }]);
    firstInserted();
    await firstMayCommit;
    return ids;
  });
  await firstHasInserted;
  const second = withTenant(database.db, tenant, (tx) => insertPersons(tx, tenant, [{ last: 'Xylquarz' }]));
  const outcome = await Promise.race([
    second.then(() => 'committed'),
    new Promise((resolve) => setTimeout(() => resolve('waiting'), 3000)),
  ]);
  releaseFirst();
  const [a] = await first;
  const [b] = await second;
  assert.equal(outcome, 'committed', 'the second writer did not wait for the first');
  const found = await withTenant(database.db, tenant, (tx) => searchIds(tx, { words: ['Xylquar'] }));
  assert.deepEqual(found.map((f) => f.id).sort(), [a, b].sort(), 'both found by the beginning of the word');
  await withTenant(database.db, tenant, (tx) => repo.deleteContacts(tx, [a as string, b as string]));
  const left = await withTenant(database.db, tenant, (tx) =>
    sql<{ n: number }>`select count(*)::int as n from search_word where word = 'xylquarz'`.execute(tx),
  );
  assert.equal(left.rows[0]?.n, 0, 'both copies of the word go with the last record');
});
