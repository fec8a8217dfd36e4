import { type SqlBool, sql, type Transaction } from 'kysely';
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import type { Keyset } from '../../../kernel/http/pagination.ts';
import { filterCondition, type PreparedFilter } from './selections.compile.ts';
import type { SelectionDb } from './selections.leaf.ts';
import type { SelectionTables } from './selections.tables.ts';

/**
 * Kysely only, no rules. Every function takes the caller's tenant transaction: row-level
 * security limits each query to the tenant and the contact policy to the principal's scope.
 */
type Db = Transaction<SelectionDb>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<SelectionTables>();
}

// ---------------------------------------------------------------------------------------------
// saved selections
// ---------------------------------------------------------------------------------------------

function selectSelections(db: Db) {
  return db.selectFrom('selection').select([
    'selection.id',
    sql<string>`selection.name::text`.as('name'),
    'selection.description',
    'selection.purpose',
    // As text: the CamelCasePlugin would rename keys inside the jsonb (has_all …).
    sql<string>`selection.filter::text`.as('filter'),
    'selection.createdBy',
    'selection.createdAt',
    'selection.updatedAt',
  ]);
}

export type SelectionRow = Awaited<ReturnType<ReturnType<typeof selectSelections>['execute']>>[number];

export type SelectionValues = {
  name: string;
  description: string | null;
  purpose: 'general' | 'marketing';
  filter: string;
};

/** The new selection's id, or undefined when the name is taken (case-insensitively). */
export async function insertSelection(
  tx: TenantTx,
  tenantId: string,
  createdBy: string,
  values: SelectionValues,
): Promise<string | undefined> {
  const row = await own(tx)
    .insertInto('selection')
    .values({ ...values, tenantId, createdBy })
    .onConflict((oc) => oc.columns(['tenantId', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findSelection(tx: TenantTx, id: string): Promise<SelectionRow | undefined> {
  return selectSelections(own(tx)).where('selection.id', '=', id).executeTakeFirst();
}

/** Whether another selection than `exceptId` has this name (case-insensitively). */
export async function nameTaken(tx: TenantTx, name: string, exceptId: string): Promise<boolean> {
  const row = await own(tx)
    .selectFrom('selection')
    .select('id')
    .where('name', '=', sql<string>`${name}::citext`)
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateSelection(
  tx: TenantTx,
  id: string,
  values: Partial<SelectionValues>,
): Promise<void> {
  await own(tx)
    .updateTable('selection')
    .set({ ...values, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteSelection(tx: TenantTx, id: string): Promise<boolean> {
  const result = await own(tx).deleteFrom('selection').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export type NameKeyset = { n: string; i: string };

/** By name (then id), `limit + 1` rows. */
export async function listSelections(
  tx: TenantTx,
  page: { limit: number; after: NameKeyset | undefined },
): Promise<SelectionRow[]> {
  let query = selectSelections(own(tx))
    .orderBy('selection.name')
    .orderBy('selection.id')
    .limit(page.limit + 1);
  if (page.after) {
    const { n, i } = page.after;
    query = query.where(sql<SqlBool>`(selection.name, selection.id) > (${n}::citext, ${i}::uuid)`);
  }
  return query.execute();
}

// ---------------------------------------------------------------------------------------------
// the contacts of a filter
// ---------------------------------------------------------------------------------------------

/** How many contacts match (and the transaction lets the principal see). */
export async function countContacts(tx: TenantTx, filter: PreparedFilter): Promise<number> {
  const row = await own(tx)
    .selectFrom('contact')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where((eb) => filterCondition(filter, eb))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const cursorTs = sql<string>`to_char(contact.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const olderThan = (after: Keyset) =>
  sql<SqlBool>`(contact.created_at, contact.id) < (${after.t}::timestamptz, ${after.i}::uuid)`;

/** The matching contacts' ids, newest first, `limit + 1` of them (for toPage). */
export async function contactIds(
  tx: TenantTx,
  filter: PreparedFilter,
  page: { limit: number; after: Keyset | undefined },
): Promise<{ id: string; cursorTs: string }[]> {
  let query = own(tx)
    .selectFrom('contact')
    .select(['contact.id', cursorTs.as('cursorTs')])
    .where((eb) => filterCondition(filter, eb));
  if (page.after) query = query.where(olderThan(page.after));
  return query
    .orderBy('contact.createdAt', 'desc')
    .orderBy('contact.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}
