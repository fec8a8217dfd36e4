import { randomUUID } from 'node:crypto';
import { type RawBuilder, type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import type { SearchTerms } from './contacts.search.ts';
import type { CompanyTable, ContactsTables, ContactTable } from './contacts.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant, so no query here filters by tenant_id itself (inserts set it).
 */
type Db = Transaction<Tables & ContactsTables>;

/** The transaction with this module's tables known to Kysely (until they are in `Tables`). */
function own(tx: TenantTx): Db {
  return tx.$extendTables<ContactsTables>();
}

export type Owner = 'contact' | 'company';

const JOIN = {
  contact: { table: 'contact_tag', key: 'contact_id' },
  company: { table: 'company_tag', key: 'company_id' },
} as const;

const cursorTs = (owner: Owner) =>
  sql<string>`to_char(${sql.ref(`${owner}.created_at`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The ids of the best matches, best first, from `kontor_search_ids()` (migration
 * 20261130120000_contacts_search_rls.sql): a SECURITY DEFINER function, so that its queries can
 * use the search indexes, which row-level security keeps the planner from using. It filters by
 * the transaction's tenant and (contacts) the contact scope itself; the caller joins the ids to
 * an ordinary query, so the rows are read under RLS all the same. `parts` are the letters of the
 * parts the searcher sees in full (contactParts(), companyParts()).
 */
function searchHits(
  owner: Owner,
  terms: SearchTerms,
  parts: string,
  filter: { tags: string[]; companyId?: string | undefined },
  limit: number,
) {
  const words = terms.kind === 'words' ? terms.words : null;
  const digits = terms.kind === 'digits' ? terms.digits : null;
  return sql<{ id: string; position: number }>`(
    select h.id, h.position from kontor_search_ids(${owner}, ${words}::text[], ${digits}::text, ${parts}::text,
      ${filter.tags}::text[], ${filter.companyId ?? null}::uuid, ${limit}::integer)
      with ordinality as h (id, tier, position))`.as('hit');
}

/**
 * The ids of the named tags (case-insensitive), or undefined when one of them does not exist (then
 * nothing carries them all). Looked up first, so that the list query holds them as constants and
 * the planner can weigh each tag by its statistics: walk the newest rows for a common tag, start
 * from the tag's rows for a rare one.
 */
async function tagIdsOf(tx: TenantTx, names: string[]): Promise<string[] | undefined> {
  if (names.length === 0) return [];
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const rows = await own(tx)
    .selectFrom('tag')
    .select('id')
    .where(
      'name',
      'in',
      [...wanted].map((n) => sql<string>`${n}::citext`),
    )
    .execute();
  return rows.length === wanted.size ? rows.map((r) => r.id) : undefined;
}

function hasTag(owner: Owner, tagId: string): RawBuilder<SqlBool> {
  const { table, key } = JOIN[owner];
  return sql<SqlBool>`exists (
    select 1 from ${sql.table(table)} j
    where j.tenant_id = ${sql.ref(`${owner}.tenant_id`)} and ${sql.ref(`j.${key}`)} = ${sql.ref(`${owner}.id`)}
      and j.tag_id = ${tagId}::uuid)`;
}

function olderThan(owner: Owner, after: Keyset): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${owner}.created_at`)}, ${sql.ref(`${owner}.id`)}) < (${after.t}::timestamptz, ${after.i}::uuid)`;
}

const all = (conditions: RawBuilder<SqlBool>[]) =>
  conditions.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;

// ---------------------------------------------------------------------------------------------
// contact
// ---------------------------------------------------------------------------------------------

function selectContacts(db: Db) {
  return db.selectFrom('contact').select((eb) => [
    'contact.id',
    'contact.salutation',
    'contact.firstName',
    'contact.lastName',
    'contact.companyId',
    eb
      .selectFrom('company')
      .select('company.name')
      .whereRef('company.tenantId', '=', 'contact.tenantId')
      .whereRef('company.id', '=', 'contact.companyId')
      .as('companyName'),
    'contact.street',
    'contact.addressLine1',
    'contact.addressLine2',
    'contact.postalCode',
    'contact.city',
    'contact.region',
    'contact.country',
    'contact.email',
    'contact.language',
    'contact.phone',
    'contact.fax',
    'contact.mobile',
    'contact.website',
    sql<string | null>`to_char(contact.birthday, 'YYYY-MM-DD')`.as('birthday'),
    'contact.iban',
    'contact.bic',
    'contact.paymentMethod',
    'contact.accountHolder',
    'contact.vatId',
    'contact.notes',
    // As text: the CamelCasePlugin would rename the keys of a jsonb value (shoe_size → shoeSize).
    sql<string>`contact.custom_fields::text`.as('customFields'),
    'contact.createdAt',
    'contact.updatedAt',
    cursorTs('contact').as('cursorTs'),
  ]);
}

export type ContactRow = Awaited<ReturnType<ReturnType<typeof selectContacts>['execute']>>[number];

/** Writable columns of a contact (custom fields as JSON text). */
export type ContactValues = Omit<Updateable<ContactTable>, 'updatedAt'>;

export async function insertContact(tx: TenantTx, tenantId: string, values: ContactValues): Promise<string> {
  // No RETURNING: a new contact has no tags yet, so a scoped user could not read it back until
  // it is tagged (restrictive contact_scope policy). The id is made here instead.
  const id = randomUUID();
  await own(tx)
    .insertInto('contact')
    .values({ ...values, id, tenantId })
    .execute();
  return id;
}

export async function updateContact(tx: TenantTx, id: string, values: ContactValues): Promise<void> {
  // updated_at moves (trigger) even when only the tags changed.
  await own(tx)
    .updateTable('contact')
    .set({ ...values, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteContacts(tx: TenantTx, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await own(tx).deleteFrom('contact').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findContact(tx: TenantTx, id: string): Promise<ContactRow | undefined> {
  return selectContacts(own(tx)).where('contact.id', '=', id).executeTakeFirst();
}

/** The contacts of `ids` that the transaction sees, in no particular order (batch reads). */
export async function findContactsByIds(tx: TenantTx, ids: readonly string[]): Promise<ContactRow[]> {
  return selectContacts(own(tx))
    .where(sql<boolean>`contact.id = any(${sql.val([...ids])}::uuid[])`)
    .execute();
}

export async function contactsOfCompany(tx: TenantTx, companyId: string): Promise<ContactRow[]> {
  return selectContacts(own(tx)).where('contact.companyId', '=', companyId).orderBy('contact.id').execute();
}

export type ContactFilter = { tags: string[]; companyId?: string | undefined };

function contactFilter(filter: ContactFilter, tagIds: string[]): RawBuilder<SqlBool>[] {
  return [
    ...tagIds.map((id) => hasTag('contact', id)),
    ...(filter.companyId ? [sql<SqlBool>`contact.company_id = ${filter.companyId}::uuid`] : []),
  ];
}

/**
 * Newest first, `limit + 1` rows for toPage(). Filtered by tags (and not by a company, whose
 * own index is the narrower start), the page is read from the first tag's members in contact
 * order — `contact_tag (tenant_id, tag_id, contact_created_at DESC, contact_id DESC)` — so a page
 * costs its 51 rows whether the tag is carried by 3 % of a million contacts or by 0.01 %
 * (walking the newest contacts and probing each for the tag read ~1,700 rows for a 3 % tag).
 */
export async function listContacts(
  tx: TenantTx,
  filter: ContactFilter,
  page: { limit: number; after: Keyset | undefined },
): Promise<ContactRow[]> {
  const tagIds = await tagIdsOf(tx, filter.tags);
  if (!tagIds) return [];
  const [first, ...others] = tagIds;
  if (first !== undefined && !filter.companyId) {
    const conditions = others.map((id) => hasTag('contact', id));
    if (page.after) {
      conditions.push(
        sql<SqlBool>`(j.contact_created_at, j.contact_id) < (${page.after.t}::timestamptz, ${page.after.i}::uuid)`,
      );
    }
    return selectContacts(own(tx))
      .innerJoin('contactTag as j', (join) =>
        join.onRef('j.tenantId', '=', 'contact.tenantId').onRef('j.contactId', '=', 'contact.id'),
      )
      .where('j.tagId', '=', first)
      .where(all(conditions))
      .orderBy(sql`j.contact_created_at`, 'desc')
      .orderBy('j.contactId', 'desc')
      .limit(page.limit + 1)
      .execute();
  }
  const conditions = contactFilter(filter, tagIds);
  if (page.after) conditions.push(olderThan('contact', page.after));
  return selectContacts(own(tx))
    .where(all(conditions))
    .orderBy('contact.createdAt', 'desc')
    .orderBy('contact.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/** Which searched parts of a contact the searcher sees in full (see searchContacts). */
export type SearchableParts = { identity: boolean; address: boolean; contactDetails: boolean };

/**
 * A search must not find people by what the searcher may not see: a word matches only in the
 * parts seen in full (the company name always), a phone number only with contact details.
 * The letters are the parts of `search_keys` (n name, a city, e email and numbers, o company).
 */
function contactParts(seen: SearchableParts): string {
  return `${seen.identity ? 'n' : ''}${seen.address ? 'a' : ''}${seen.contactDetails ? 'e' : ''}o`;
}

/** Best matches first, at most `limit`. */
export async function searchContacts(
  tx: TenantTx,
  terms: SearchTerms,
  filter: ContactFilter,
  limit: number,
  seen: SearchableParts = { identity: true, address: true, contactDetails: true },
): Promise<ContactRow[]> {
  return selectContacts(own(tx))
    .innerJoin(searchHits('contact', terms, contactParts(seen), filter, limit), (join) =>
      join.onRef('hit.id', '=', 'contact.id'),
    )
    .orderBy('hit.position')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// company
// ---------------------------------------------------------------------------------------------

function selectCompanies(db: Db) {
  return db
    .selectFrom('company')
    .select([
      'company.id',
      'company.name',
      'company.street',
      'company.addressLine1',
      'company.addressLine2',
      'company.postalCode',
      'company.city',
      'company.region',
      'company.country',
      'company.email',
      'company.phone',
      'company.website',
      'company.vatId',
      sql<string>`company.custom_fields::text`.as('customFields'),
      'company.createdAt',
      'company.updatedAt',
      cursorTs('company').as('cursorTs'),
    ]);
}

export type CompanyRow = Awaited<ReturnType<ReturnType<typeof selectCompanies>['execute']>>[number];

export type CompanyValues = Omit<Updateable<CompanyTable>, 'updatedAt'>;

export async function insertCompany(
  tx: TenantTx,
  tenantId: string,
  values: CompanyValues & { name: string },
): Promise<string> {
  const row = await own(tx)
    .insertInto('company')
    .values({ ...values, tenantId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCompany(tx: TenantTx, id: string, values: CompanyValues): Promise<void> {
  await own(tx)
    .updateTable('company')
    .set({ ...values, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Deletes the company; its persons and all tag links go with it (foreign keys cascade). */
export async function deleteCompany(tx: TenantTx, id: string): Promise<boolean> {
  const result = await own(tx).deleteFrom('company').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function findCompany(tx: TenantTx, id: string): Promise<CompanyRow | undefined> {
  return selectCompanies(own(tx)).where('company.id', '=', id).executeTakeFirst();
}

export async function companyExists(tx: TenantTx, id: string): Promise<boolean> {
  const row = await own(tx).selectFrom('company').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export type CompanyFilter = { tags: string[] };

export async function listCompanies(
  tx: TenantTx,
  filter: CompanyFilter,
  page: { limit: number; after: Keyset | undefined },
): Promise<CompanyRow[]> {
  const tagIds = await tagIdsOf(tx, filter.tags);
  if (!tagIds) return [];
  const conditions = tagIds.map((id) => hasTag('company', id));
  if (page.after) conditions.push(olderThan('company', page.after));
  return selectCompanies(own(tx))
    .where(all(conditions))
    .orderBy('company.createdAt', 'desc')
    .orderBy('company.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/** Which searched parts of a company the searcher sees in full (its name is not personal data). */
export type SearchableCompanyParts = { address: boolean; contactDetails: boolean; billing: boolean };

function companyParts(seen: SearchableCompanyParts): string {
  return `o${seen.address ? 'a' : ''}${seen.contactDetails ? 'e' : ''}${seen.billing ? 'v' : ''}`;
}

export async function searchCompanies(
  tx: TenantTx,
  terms: SearchTerms,
  filter: CompanyFilter,
  limit: number,
  seen: SearchableCompanyParts = { address: true, contactDetails: true, billing: true },
): Promise<CompanyRow[]> {
  return selectCompanies(own(tx))
    .innerJoin(searchHits('company', terms, companyParts(seen), filter, limit), (join) =>
      join.onRef('hit.id', '=', 'company.id'),
    )
    .orderBy('hit.position')
    .execute();
}

/** How many persons each company has. */
export async function contactCounts(tx: TenantTx, companyIds: string[]): Promise<Map<string, number>> {
  if (companyIds.length === 0) return new Map();
  const rows = await own(tx)
    .selectFrom('contact')
    .select((eb) => ['contact.companyId', eb.fn.countAll<string | number>().as('n')])
    .where('contact.companyId', 'in', companyIds)
    .groupBy('contact.companyId')
    .execute();
  return new Map(rows.map((r) => [r.companyId ?? '', Number(r.n)]));
}

// ---------------------------------------------------------------------------------------------
// tags
// ---------------------------------------------------------------------------------------------

/** The ids of the named tags, creating those that do not exist yet (names match case-insensitively). */
export async function ensureTags(tx: TenantTx, tenantId: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const db = own(tx);
  await db
    .insertInto('tag')
    .values(names.map((name) => ({ tenantId, name })))
    .onConflict((oc) => oc.columns(['tenantId', 'name']).doNothing())
    .execute();
  const rows = await db
    .selectFrom('tag')
    .select('id')
    .where(
      'name',
      'in',
      names.map((n) => sql<string>`${n}::citext`),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Makes the record's tags exactly `tagIds`. */
export async function setTags(
  tx: TenantTx,
  owner: Owner,
  tenantId: string,
  ownerId: string,
  tagIds: string[],
): Promise<void> {
  const { table, key } = JOIN[owner];
  const keep =
    tagIds.length > 0 ? sql`and tag_id not in (${sql.join(tagIds.map((t) => sql`${t}::uuid`))})` : sql``;
  await sql`delete from ${sql.table(table)} where ${sql.ref(key)} = ${ownerId}::uuid ${keep}`.execute(tx);
  if (tagIds.length === 0) return;
  const rows = tagIds.map((t) => sql`(${tenantId}::uuid, ${ownerId}::uuid, ${t}::uuid)`);
  await sql`insert into ${sql.table(table)} (tenant_id, ${sql.ref(key)}, tag_id) values ${sql.join(rows)}
    on conflict (tenant_id, ${sql.ref(key)}, tag_id) do nothing`.execute(tx);
}

/** Tag names of each record, sorted. */
export async function tagNamesOf(tx: TenantTx, owner: Owner, ids: string[]): Promise<Map<string, string[]>> {
  const byOwner = new Map<string, string[]>();
  if (ids.length === 0) return byOwner;
  const { table, key } = JOIN[owner];
  const { rows } = await sql<{ ownerId: string; name: string }>`
    select ${sql.ref(`j.${key}`)} as owner_id, t.name
    from ${sql.table(table)} j join tag t on t.tenant_id = j.tenant_id and t.id = j.tag_id
    where ${sql.ref(`j.${key}`)} in (${sql.join(ids.map((id) => sql`${id}::uuid`))})
    order by t.name, t.id`.execute(tx);
  for (const r of rows) byOwner.set(r.ownerId, [...(byOwner.get(r.ownerId) ?? []), r.name]);
  return byOwner;
}

export type TagKeyset = { n: string; i: string };

/** Tags by name (then id), `limit + 1` rows, with how many contacts and companies carry each. */
export async function listTags(tx: TenantTx, page: { limit: number; after: TagKeyset | undefined }) {
  let query = own(tx)
    .selectFrom('tag')
    .select((eb) => [
      'tag.id',
      'tag.name',
      'tag.createdAt',
      eb
        .selectFrom('contactTag')
        .select(eb.fn.countAll<string | number>().as('n'))
        .whereRef('contactTag.tenantId', '=', 'tag.tenantId')
        .whereRef('contactTag.tagId', '=', 'tag.id')
        .as('contactCount'),
      eb
        .selectFrom('companyTag')
        .select(eb.fn.countAll<string | number>().as('n'))
        .whereRef('companyTag.tenantId', '=', 'tag.tenantId')
        .whereRef('companyTag.tagId', '=', 'tag.id')
        .as('companyCount'),
    ])
    .orderBy('tag.name')
    .orderBy('tag.id')
    .limit(page.limit + 1);
  if (page.after) {
    const { n, i } = page.after;
    query = query.where(sql<SqlBool>`(tag.name, tag.id) > (${n}::citext, ${i}::uuid)`);
  }
  return query.execute();
}

/**
 * The company's persons counted past the transaction's contact scope (lifted for this one
 * count and put back), to keep a cascade from reaching persons the user cannot see.
 */
export async function countPersonsOfCompanyBeyondScope(tx: TenantTx, companyId: string): Promise<number> {
  const scope = await sql<{
    s: string | null;
  }>`select current_setting('app.contact_scope', true) as s`.execute(tx);
  await sql`select set_config('app.contact_scope', '', true)`.execute(tx);
  try {
    const row = await sql<{
      n: number;
    }>`select count(*)::int as n from contact where company_id = ${companyId}`.execute(tx);
    return row.rows[0]?.n ?? 0;
  } finally {
    await sql`select set_config('app.contact_scope', ${scope.rows[0]?.s ?? ''}, true)`.execute(tx);
  }
}
