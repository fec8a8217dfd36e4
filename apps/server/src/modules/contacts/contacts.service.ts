import { sql } from 'kysely';
import { z } from 'zod';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { contactsError } from './contacts.errors.ts';
import {
  audit,
  changedFields,
  definedOnly,
  filledFields,
  logAccess,
  mergeCustomFields,
  type Page,
  type SystemWriter,
  setTags,
  toContact,
} from './contacts.records.ts';
import * as repo from './contacts.repository.ts';
import {
  type Contact,
  type CreateContactInput,
  IDENTIFY_MESSAGE,
  identifiesSomeone,
  type ListContactsQuery,
  SEARCH_LIMIT,
  type Tag,
  type UpdateContactInput,
} from './contacts.schema.ts';
import { searchTerms } from './contacts.search.ts';
import { checkPhone, DEFAULT_PHONE_REGION } from './contacts.validation.ts';
import {
  assertUniqueValues,
  checkRecordValues,
  uniqueViolationOf,
} from './custom-fields/custom-fields.service.ts';

/**
 * Use cases of contacts (persons) and tags; companies are in companies.service.ts. Each runs in
 * the caller's tenant transaction, writes its audit entry (field names only) in that
 * transaction, and logs reads of personal data in the access log. Values come back unmasked:
 * the routes apply the reader's field access.
 */

// ---------------------------------------------------------------------------------------------
// contacts
// ---------------------------------------------------------------------------------------------

/** Who writes a contact: a request's principal, or a module on its own (`systemWriter`). */
export type ContactWriter = Principal | SystemWriter;

export function systemWriter(tenantId: string): SystemWriter {
  return { kind: 'system', tenantId, contactScope: null };
}

export async function createContact(
  tx: TenantTx,
  principal: ContactWriter,
  input: CreateContactInput,
): Promise<Contact> {
  const { tags, customFields, ...fields } = input;
  assertInScope(principal, tags ?? []);
  const errors: ErrorDetail[] = [];
  if (fields.companyId && !(await repo.companyExists(tx, fields.companyId))) {
    errors.push({ path: 'companyId', message: 'there is no such company' });
  }
  const custom = await checkRecordValues(tx, 'contact', customFields, 'create', errors);
  if (errors.length > 0) {
    throw contactsError('CONTACTS_INVALID_FIELDS', 'Some fields are not valid; see errors.', errors);
  }
  await assertUniqueValues(tx, custom.defs, custom.values, undefined);
  let id: string;
  try {
    id = await repo.insertContact(tx, principal.tenantId, {
      ...fields,
      customFields: JSON.stringify(custom.values),
    });
  } catch (error) {
    throw uniqueViolationOf(error, custom.defs) ?? error;
  }
  if (tags && tags.length > 0) await setTags(tx, principal.tenantId, 'contact', id, tags);
  const created = await getContact(tx, id);
  await audit(tx, principal, 'contact.created', 'contact', id, filledFields(created));
  return created;
}

/** The oldest contact with this email address (case-insensitive) the transaction sees, if any. */
export async function findContactIdByEmail(tx: TenantTx, email: string): Promise<string | undefined> {
  // Through the function the import uses: under row-level security the (tenant_id, email)
  // index cannot serve citext's equality (see 20261130130000_imports_core.sql).
  const { rows } = await sql<{ id: string }>`
    select contact_id as id from kontor_contacts_by_email(array[${email.toLowerCase()}]::text[])`.execute(tx);
  return rows[0]?.id;
}

export async function getContact(tx: TenantTx, id: string): Promise<Contact> {
  const row = await repo.findContact(tx, id);
  if (!row) throw contactsError('CONTACTS_NOT_FOUND', 'There is no such contact.');
  const tags = await repo.tagNamesOf(tx, 'contact', [id]);
  return toContact(row, tags.get(id) ?? []);
}

/** One contact, as a person reads it: the read goes to the access log. */
export async function readContact(
  tx: TenantTx,
  principal: Principal,
  id: string,
  purpose: string,
): Promise<Contact> {
  const contact = await getContact(tx, id);
  await logAccess(tx, principal, 'contact', [id], purpose);
  return contact;
}

export async function updateContact(
  tx: TenantTx,
  principal: ContactWriter,
  id: string,
  patch: UpdateContactInput,
): Promise<Contact> {
  const before = await getContact(tx, id);
  const { tags, customFields, ...fields } = patch;
  if (tags !== undefined) assertInScope(principal, tags);
  const errors: ErrorDetail[] = [];
  // National numbers in a PATCH without a country are read in the stored country.
  const region = fields.country !== undefined ? fields.country : before.country;
  for (const key of ['phone', 'fax', 'mobile'] as const) {
    const raw = fields[key];
    if (typeof raw !== 'string' || raw.startsWith('+')) continue;
    const checked = checkPhone(raw, region ?? DEFAULT_PHONE_REGION);
    if (checked.ok) fields[key] = checked.value;
    else errors.push({ path: key, message: checked.message });
  }
  if (
    fields.companyId &&
    fields.companyId !== before.companyId &&
    !(await repo.companyExists(tx, fields.companyId))
  ) {
    errors.push({ path: 'companyId', message: 'there is no such company' });
  }
  if (!identifiesSomeone({ ...before, ...definedOnly(fields) })) {
    errors.push({ path: 'lastName', message: IDENTIFY_MESSAGE });
  }
  const custom = await checkRecordValues(tx, 'contact', customFields, 'update', errors);
  const mergedCustom = mergeCustomFields(before.customFields, custom.values, errors);
  if (errors.length > 0) {
    throw contactsError('CONTACTS_INVALID_FIELDS', 'Some fields are not valid; see errors.', errors);
  }
  await assertUniqueValues(tx, custom.defs, custom.values, id);
  const values = { ...fields, ...(mergedCustom ? { customFields: JSON.stringify(mergedCustom) } : {}) };
  if (tags === undefined && !Object.values(values).some((v) => v !== undefined)) return before;
  try {
    await repo.updateContact(tx, id, values);
  } catch (error) {
    throw uniqueViolationOf(error, custom.defs) ?? error;
  }
  if (tags !== undefined) await setTags(tx, principal.tenantId, 'contact', id, tags);
  const after = await getContact(tx, id);
  await audit(tx, principal, 'contact.updated', 'contact', id, changedFields(before, after));
  return after;
}

/** A user limited to some groups keeps every contact they write inside one of them. */
function assertInScope(principal: ContactWriter, tags: readonly string[]): void {
  if (!principal.contactScope) return;
  const scope = new Set(principal.contactScope.map((t) => t.toLowerCase()));
  if (!tags.some((t) => scope.has(t.trim().toLowerCase()))) {
    throw contactsError(
      'CONTACTS_OUT_OF_SCOPE',
      'Your contacts are limited to some groups; tag the contact with one of them.',
      [{ path: 'tags', message: `must include one of: ${principal.contactScope.join(', ')}` }],
    );
  }
}

export async function deleteContact(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const before = await getContact(tx, id);
  await repo.deleteContacts(tx, [id]);
  await audit(tx, principal, 'contact.deleted', 'contact', id, filledFields(before, ['id']));
}

/** A page of contacts: newest first with a cursor, or with `q` the best matches (one page). */
export async function listContacts(
  tx: TenantTx,
  principal: Principal,
  query: ListContactsQuery,
  purpose: string,
): Promise<Page<Contact>> {
  const filter = { tags: query.tag, companyId: query.companyId };
  let page: Page<repo.ContactRow>;
  if (query.q !== undefined) {
    const terms = searchTerms(query.q);
    const limit = Math.min(query.limit, SEARCH_LIMIT);
    const seen = {
      identity: principal.fieldAccess.identity === 'full',
      address: principal.fieldAccess.address === 'full',
      contactDetails: principal.fieldAccess.contact_details === 'full',
    };
    page = {
      items: terms ? await repo.searchContacts(tx, terms, filter, limit, seen) : [],
      nextCursor: null,
    };
  } else {
    const rows = await repo.listContacts(tx, filter, {
      limit: query.limit,
      after: decodeCursor(query.cursor),
    });
    page = toPage(rows, query.limit, (r) => r);
  }
  const ids = page.items.map((r) => r.id);
  const tags = await repo.tagNamesOf(tx, 'contact', ids);
  await logAccess(tx, principal, 'contact', ids, purpose, query.q === undefined ? 'read' : 'search');
  return { items: page.items.map((r) => toContact(r, tags.get(r.id) ?? [])), nextCursor: page.nextCursor };
}

// ---------------------------------------------------------------------------------------------
// tags
// ---------------------------------------------------------------------------------------------

const tagKeyset = z.object({ n: z.string().min(1).max(100), i: z.uuid() });

/** Tags by name, with how many contacts and companies carry each. */
export async function listTags(
  tx: TenantTx,
  page: { limit: number; cursor: string | undefined },
): Promise<Page<Tag>> {
  const rows = await repo.listTags(tx, { limit: page.limit, after: decodeTagCursor(page.cursor) });
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items.at(-1);
  return {
    items: items.map((t) => ({
      id: t.id,
      name: t.name,
      contactCount: Number(t.contactCount ?? 0),
      companyCount: Number(t.companyCount ?? 0),
      createdAt: t.createdAt.toISOString(),
    })),
    nextCursor:
      more && last ? Buffer.from(JSON.stringify({ n: last.name, i: last.id })).toString('base64url') : null,
  };
}

function decodeTagCursor(cursor: string | undefined): repo.TagKeyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    return tagKeyset.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('INVALID_CURSOR', 'bad_request', 'The cursor is not one this endpoint handed out.', [
      { path: 'query.cursor', message: 'is not a valid cursor' },
    ]);
  }
}
