import { sql, type Transaction } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { toContact } from './contacts.records.ts';
import * as repo from './contacts.repository.ts';
import type { Contact } from './contacts.schema.ts';
import type { ContactsTables } from './contacts.tables.ts';

/**
 * Reads over many contacts at once, for work such as exports. Each runs in the caller's
 * transaction — opened with the principal (withPrincipal), so row-level security and the
 * contact scope decide which contacts exist for it: ids it may not see are skipped, never
 * reported. Values come back unmasked; the caller applies the reader's field access.
 */

type Db = Transaction<Tables & ContactsTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<ContactsTables>();
}

/** Which contacts: every one the transaction sees, or those of a list of ids. */
export type ContactSet = { kind: 'all' } | { kind: 'ids'; ids: readonly string[] };

/**
 * The ids of the set that the transaction sees, oldest first (created_at, id) — at most
 * `limit`, so a caller asking for `max + 1` learns that a set is too large without reading it.
 */
export async function visibleContactIds(tx: TenantTx, set: ContactSet, limit: number): Promise<string[]> {
  let query = own(tx)
    .selectFrom('contact')
    .select('contact.id')
    .orderBy('contact.createdAt')
    .orderBy('contact.id')
    .limit(limit);
  if (set.kind === 'ids') {
    if (set.ids.length === 0) return [];
    query = query.where(sql<boolean>`contact.id = any(${sql.val([...set.ids])}::uuid[])`);
  }
  return (await query.execute()).map((r) => r.id);
}

/**
 * The contacts of `ids` that the transaction sees, in the order of `ids`, with their tags. One
 * statement for the records and one for their tags, whatever the number of ids (keep batches to
 * a few thousand).
 */
export async function contactsByIds(tx: TenantTx, ids: readonly string[]): Promise<Contact[]> {
  if (ids.length === 0) return [];
  const rows = await repo.findContactsByIds(tx, ids);
  const tags = await repo.tagNamesOf(
    tx,
    'contact',
    rows.map((r) => r.id),
  );
  const byId = new Map(rows.map((r) => [r.id, toContact(r, tags.get(r.id) ?? [])]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
