import { z } from 'zod';
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import { AppError } from '../../../kernel/errors.ts';
import type { Principal } from '../../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../../kernel/http/pagination.ts';
import { auditActorOf, recordAudit } from '../../audit/index.ts';
import { contactsByIds } from '../contacts.batch-read.ts';
import { logAccess, type Page } from '../contacts.records.ts';
import type { Contact } from '../contacts.schema.ts';
import { filterOutline, type PreparedFilter, prepareFilter, presentFilter } from './selections.compile.ts';
import { customFieldSpecs } from './selections.custom.ts';
import { selectionsError } from './selections.errors.ts';
import { fieldCatalog } from './selections.fields.ts';
import type { SelectionPurpose } from './selections.leaf.ts';
import * as repo from './selections.repository.ts';
import type { CreateSelectionInput, Selection, UpdateSelectionInput } from './selections.schema.ts';
import type { SelectionTables } from './selections.tables.ts';

/**
 * Use cases of selections. Each runs in the caller's transaction, which must be opened with
 * withPrincipal() (or withTenant() for a principal without a contact scope): row-level security
 * and the contact-scope policy then limit every count and page to what the principal may see.
 * Filters are checked against the principal's field access at every use — a selection saved by
 * someone who sees more cannot be counted by someone who sees less.
 */

/** Who filters: the tenant (for the audit) and what they see of each data category. */
export type FilterPrincipal = Pick<Principal, 'tenantId' | 'fieldAccess'>;

/** Most ids selectContactIds hands out per call (exports and campaigns page through). */
export const MAX_ID_PAGE = 10_000;

async function catalog(tx: TenantTx) {
  return fieldCatalog(await customFieldSpecs(tx));
}

/** A selection as the principal may see it: filter values of fields they may not see hidden. */
async function shown(
  tx: TenantTx,
  principal: FilterPrincipal,
  selections: Selection[],
): Promise<Selection[]> {
  if (selections.length === 0) return selections;
  const fields = await catalog(tx);
  return selections.map((s) => ({
    ...s,
    filter: presentFilter(s.filter, fields, principal.fieldAccess) as Selection['filter'],
  }));
}

async function prepare(
  tx: TenantTx,
  principal: FilterPrincipal,
  filter: unknown,
  purpose: SelectionPurpose = 'general',
  root = 'filter',
): Promise<PreparedFilter> {
  const fields = await catalog(tx);
  return prepareFilter(tx.$extendTables<SelectionTables>(), filter, {
    fields,
    fieldAccess: principal.fieldAccess,
    root,
    purpose,
  });
}

/** Options of a filter's use: its purpose (marketing applies the marketing suppressions). */
export type FilterOptions = { purpose?: SelectionPurpose | undefined };

// ---------------------------------------------------------------------------------------------
// filters (for the routes and for other modules: exports, campaigns, compliance)
// ---------------------------------------------------------------------------------------------

/** How many contacts the filter matches among those the principal may see. */
export async function countContacts(
  tx: TenantTx,
  principal: FilterPrincipal,
  filter: unknown,
  options: FilterOptions = {},
): Promise<number> {
  return repo.countContacts(tx, await prepare(tx, principal, filter, options.purpose));
}

/**
 * The ids of the matching contacts, newest first, a page at a time (`limit` up to 10,000;
 * `cursor`: the previous page's nextCursor). No personal data leaves here, so nothing is
 * written to the access log: whoever reads the contacts behind the ids logs that read.
 */
export async function selectContactIds(
  tx: TenantTx,
  principal: FilterPrincipal,
  filter: unknown,
  page: { limit: number; cursor?: string | undefined },
  options: FilterOptions = {},
): Promise<{ ids: string[]; nextCursor: string | null }> {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_ID_PAGE) {
    throw new AppError('INVALID_LIMIT', 'bad_request', `limit must be 1 to ${MAX_ID_PAGE}`, [
      { path: 'limit', message: `must be a whole number from 1 to ${MAX_ID_PAGE}` },
    ]);
  }
  const prepared = await prepare(tx, principal, filter, options.purpose);
  const rows = await repo.contactIds(tx, prepared, { limit: page.limit, after: decodeCursor(page.cursor) });
  const { items, nextCursor } = toPage(rows, page.limit, (r) => r.id);
  return { ids: items, nextCursor };
}

async function contactsPage(
  tx: TenantTx,
  principal: Principal,
  prepared: PreparedFilter,
  page: { limit: number; cursor?: string | undefined },
  purpose: string,
): Promise<Page<Contact>> {
  const rows = await repo.contactIds(tx, prepared, { limit: page.limit, after: decodeCursor(page.cursor) });
  const { items: ids, nextCursor } = toPage(rows, page.limit, (r) => r.id);
  const items = await contactsByIds(tx, ids);
  await logAccess(tx, principal, 'contact', ids, purpose, 'read');
  return { items, nextCursor };
}

/** A page of the matching contacts, as a person reads them: the read goes to the access log. */
export async function queryContacts(
  tx: TenantTx,
  principal: Principal,
  filter: unknown,
  page: { limit: number; cursor?: string | undefined },
  purpose: string,
  options: FilterOptions = {},
): Promise<Page<Contact>> {
  return contactsPage(tx, principal, await prepare(tx, principal, filter, options.purpose), page, purpose);
}

// ---------------------------------------------------------------------------------------------
// saved selections
// ---------------------------------------------------------------------------------------------

const storedFilter = z.record(z.string(), z.unknown());

function toSelection(row: repo.SelectionRow): Selection {
  const filter = storedFilter.safeParse(JSON.parse(row.filter));
  if (!filter.success) throw new Error('selection.filter does not hold a filter object');
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    purpose: row.purpose,
    filter: filter.data,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * A saved selection as stored, filter values included: for running it (exports, campaigns).
 * What a person reads goes through readSelection.
 */
export async function getSelection(tx: TenantTx, id: string): Promise<Selection> {
  const row = await repo.findSelection(tx, id);
  if (!row) throw selectionsError('SELECTIONS_NOT_FOUND', 'There is no such selection.');
  return toSelection(row);
}

/** A saved selection as the principal reads it (see presentFilter). */
export async function readSelection(
  tx: TenantTx,
  principal: FilterPrincipal,
  id: string,
): Promise<Selection> {
  const [selection] = await shown(tx, principal, [await getSelection(tx, id)]);
  return selection as Selection;
}

const nameKeyset = z.object({ n: z.string().min(1).max(200), i: z.uuid() });

function decodeNameCursor(cursor: string | undefined): repo.NameKeyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    return nameKeyset.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('INVALID_CURSOR', 'bad_request', 'The cursor is not one this endpoint handed out.', [
      { path: 'query.cursor', message: 'is not a valid cursor' },
    ]);
  }
}

/** Saved selections by name, as the principal reads them. */
export async function listSelections(
  tx: TenantTx,
  principal: FilterPrincipal,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Selection>> {
  const rows = await repo.listSelections(tx, { limit: page.limit, after: decodeNameCursor(page.cursor) });
  const more = rows.length > page.limit;
  const items = (more ? rows.slice(0, page.limit) : rows).map(toSelection);
  const last = items.at(-1);
  return {
    items: await shown(tx, principal, items),
    nextCursor:
      more && last ? Buffer.from(JSON.stringify({ n: last.name, i: last.id })).toString('base64url') : null,
  };
}

/**
 * What the audit log keeps of a selection: its name and the fields its filter tests — not the
 * filter's values, which may be personal data (`email eq …`).
 */
const auditView = (s: Selection) => ({
  name: s.name,
  purpose: s.purpose,
  filterFields: filterOutline(s.filter),
});

async function audit(
  tx: TenantTx,
  principal: Principal,
  action: 'selection.created' | 'selection.updated' | 'selection.deleted',
  id: string,
  before: Selection | null,
  after: Selection | null,
): Promise<void> {
  await recordAudit(tx, {
    tenantId: principal.tenantId,
    actor: auditActorOf(principal),
    action,
    entityType: 'selection',
    entityId: id,
    changes: {
      kind: 'settings',
      before: before ? auditView(before) : null,
      after: after ? auditView(after) : null,
    },
  });
}

const nameTaken = (name: string) =>
  selectionsError('SELECTIONS_NAME_TAKEN', `There is already a selection named "${name}".`, [
    { path: 'name', message: 'is taken by another selection' },
  ]);

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

export async function createSelection(
  tx: TenantTx,
  principal: Principal,
  input: CreateSelectionInput,
): Promise<Selection> {
  // Checked as it will be used: a selection nobody with this field access could count is refused.
  await prepare(tx, principal, input.filter, input.purpose);
  const id = await repo.insertSelection(tx, principal.tenantId, principal.userId, {
    name: input.name,
    description: input.description ?? null,
    purpose: input.purpose,
    filter: JSON.stringify(input.filter),
  });
  if (!id) throw nameTaken(input.name);
  const created = await getSelection(tx, id);
  await audit(tx, principal, 'selection.created', id, null, created);
  return readSelection(tx, principal, id);
}

export async function updateSelection(
  tx: TenantTx,
  principal: Principal,
  id: string,
  patch: UpdateSelectionInput,
): Promise<Selection> {
  const before = await getSelection(tx, id);
  if (patch.filter !== undefined) await prepare(tx, principal, patch.filter, patch.purpose ?? before.purpose);
  if (patch.name !== undefined && (await repo.nameTaken(tx, patch.name, id))) throw nameTaken(patch.name);
  const values: Partial<repo.SelectionValues> = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.purpose !== undefined && patch.purpose !== before.purpose ? { purpose: patch.purpose } : {}),
    ...(patch.filter !== undefined ? { filter: JSON.stringify(patch.filter) } : {}),
  };
  if (Object.keys(values).length === 0) return readSelection(tx, principal, id);
  try {
    await repo.updateSelection(tx, id, values);
  } catch (error) {
    // Renamed at the same moment by someone else: the unique index decides.
    if (isUniqueViolation(error) && patch.name !== undefined) throw nameTaken(patch.name);
    throw error;
  }
  const after = await getSelection(tx, id);
  await audit(tx, principal, 'selection.updated', id, before, after);
  return readSelection(tx, principal, id);
}

export async function deleteSelection(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const before = await getSelection(tx, id);
  await repo.deleteSelection(tx, id);
  await audit(tx, principal, 'selection.deleted', id, before, null);
}

/** How many contacts a saved selection matches now, among those the principal may see. */
export async function countSelection(tx: TenantTx, principal: Principal, id: string): Promise<number> {
  const selection = await getSelection(tx, id);
  return repo.countContacts(tx, await prepare(tx, principal, selection.filter, selection.purpose));
}

/** A page of a saved selection's contacts (newest first); the read goes to the access log. */
export async function selectionContacts(
  tx: TenantTx,
  principal: Principal,
  id: string,
  page: { limit: number; cursor?: string | undefined },
  purpose: string,
): Promise<Page<Contact>> {
  const selection = await getSelection(tx, id);
  return contactsPage(
    tx,
    principal,
    await prepare(tx, principal, selection.filter, selection.purpose),
    page,
    purpose,
  );
}
