import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { contactsError } from './contacts.errors.ts';
import {
  audit,
  changedFields,
  filledFields,
  logAccess,
  mergeCustomFields,
  type Page,
  setTags,
  toCompany,
  toContact,
} from './contacts.records.ts';
import * as repo from './contacts.repository.ts';
import {
  type Company,
  type CreateCompanyInput,
  type ListCompaniesQuery,
  SEARCH_LIMIT,
  type UpdateCompanyInput,
} from './contacts.schema.ts';
import { searchTerms } from './contacts.search.ts';
import { checkPhone, DEFAULT_PHONE_REGION } from './contacts.validation.ts';
import {
  assertUniqueValues,
  checkRecordValues,
  uniqueViolationOf,
} from './custom-fields/custom-fields.service.ts';

/** Use cases of companies; like contacts.service.ts, in the caller's tenant transaction. */

export async function createCompany(
  tx: TenantTx,
  principal: Principal,
  input: CreateCompanyInput,
): Promise<Company> {
  const { tags, customFields, ...fields } = input;
  const errors: ErrorDetail[] = [];
  const custom = await checkRecordValues(tx, 'company', customFields, 'create', errors);
  if (errors.length > 0) {
    throw contactsError('CONTACTS_INVALID_FIELDS', 'Some fields are not valid; see errors.', errors);
  }
  await assertUniqueValues(tx, custom.defs, custom.values, undefined);
  let id: string;
  try {
    id = await repo.insertCompany(tx, principal.tenantId, {
      ...fields,
      customFields: JSON.stringify(custom.values),
    });
  } catch (error) {
    throw uniqueViolationOf(error, custom.defs) ?? error;
  }
  if (tags && tags.length > 0) await setTags(tx, principal.tenantId, 'company', id, tags);
  const created = await getCompany(tx, id);
  await audit(tx, principal, 'company.created', 'company', id, filledFields(created));
  return created;
}

export async function getCompany(tx: TenantTx, id: string): Promise<Company> {
  const row = await repo.findCompany(tx, id);
  if (!row) throw contactsError('CONTACTS_COMPANY_NOT_FOUND', 'There is no such company.');
  const [tags, counts] = [await repo.tagNamesOf(tx, 'company', [id]), await repo.contactCounts(tx, [id])];
  return toCompany(row, tags.get(id) ?? [], counts.get(id) ?? 0);
}

export async function readCompany(
  tx: TenantTx,
  principal: Principal,
  id: string,
  purpose: string,
): Promise<Company> {
  const company = await getCompany(tx, id);
  await logAccess(tx, principal, 'company', [id], purpose);
  return company;
}

export async function updateCompany(
  tx: TenantTx,
  principal: Principal,
  id: string,
  patch: UpdateCompanyInput,
): Promise<Company> {
  const before = await getCompany(tx, id);
  const { tags, customFields, ...fields } = patch;
  const errors: ErrorDetail[] = [];
  const region = fields.country !== undefined ? fields.country : before.country;
  if (typeof fields.phone === 'string' && !fields.phone.startsWith('+')) {
    const checked = checkPhone(fields.phone, region ?? DEFAULT_PHONE_REGION);
    if (checked.ok) fields.phone = checked.value;
    else errors.push({ path: 'phone', message: checked.message });
  }
  const custom = await checkRecordValues(tx, 'company', customFields, 'update', errors);
  const mergedCustom = mergeCustomFields(before.customFields, custom.values, errors);
  if (errors.length > 0) {
    throw contactsError('CONTACTS_INVALID_FIELDS', 'Some fields are not valid; see errors.', errors);
  }
  await assertUniqueValues(tx, custom.defs, custom.values, id);
  const values = { ...fields, ...(mergedCustom ? { customFields: JSON.stringify(mergedCustom) } : {}) };
  if (tags === undefined && !Object.values(values).some((v) => v !== undefined)) return before;
  try {
    await repo.updateCompany(tx, id, values);
  } catch (error) {
    throw uniqueViolationOf(error, custom.defs) ?? error;
  }
  if (tags !== undefined) await setTags(tx, principal.tenantId, 'company', id, tags);
  const after = await getCompany(tx, id);
  await audit(tx, principal, 'company.updated', 'company', id, changedFields(before, after));
  return after;
}

/**
 * Deletes a company and, with it, its persons (API.md). Each deleted person gets its own audit
 * entry. Deleting persons needs contacts:delete, so a company with persons needs both rights.
 */
export async function deleteCompany(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const before = await getCompany(tx, id);
  const persons = await repo.contactsOfCompany(tx, id);
  // The foreign key's cascade does not see scopes: a user limited to some groups may not
  // delete, through the company, persons they cannot see.
  if (principal.contactScope && (await repo.countPersonsOfCompanyBeyondScope(tx, id)) > persons.length) {
    throw contactsError(
      'CONTACTS_CASCADE_FORBIDDEN',
      'This company has persons outside your groups; someone who can see them all must delete it.',
    );
  }
  if (persons.length > 0 && !principal.rights.has('contacts:delete')) {
    throw contactsError(
      'CONTACTS_CASCADE_FORBIDDEN',
      `Deleting this company deletes its ${persons.length} person(s), which needs the right contacts:delete.`,
    );
  }
  const tags = await repo.tagNamesOf(
    tx,
    'contact',
    persons.map((p) => p.id),
  );
  await repo.deleteCompany(tx, id);
  await audit(tx, principal, 'company.deleted', 'company', id, filledFields(before, ['id']));
  for (const person of persons) {
    const contact = toContact(person, tags.get(person.id) ?? []);
    await audit(tx, principal, 'contact.deleted', 'contact', person.id, filledFields(contact, ['id']));
  }
}

export async function listCompanies(
  tx: TenantTx,
  principal: Principal,
  query: ListCompaniesQuery,
  purpose: string,
): Promise<Page<Company>> {
  const filter = { tags: query.tag };
  let page: Page<repo.CompanyRow>;
  if (query.q !== undefined) {
    const terms = searchTerms(query.q);
    const limit = Math.min(query.limit, SEARCH_LIMIT);
    // Not found by what the searcher may not see (the name is not personal data).
    const seen = {
      address: principal.fieldAccess.address === 'full',
      contactDetails: principal.fieldAccess.contact_details === 'full',
      billing: principal.fieldAccess.billing === 'full',
    };
    page = {
      items: terms ? await repo.searchCompanies(tx, terms, filter, limit, seen) : [],
      nextCursor: null,
    };
  } else {
    const rows = await repo.listCompanies(tx, filter, {
      limit: query.limit,
      after: decodeCursor(query.cursor),
    });
    page = toPage(rows, query.limit, (r) => r);
  }
  const ids = page.items.map((r) => r.id);
  const tags = await repo.tagNamesOf(tx, 'company', ids);
  const counts = await repo.contactCounts(tx, ids);
  await logAccess(tx, principal, 'company', ids, purpose, query.q === undefined ? 'read' : 'search');
  return {
    items: page.items.map((r) => toCompany(r, tags.get(r.id) ?? [], counts.get(r.id) ?? 0)),
    nextCursor: page.nextCursor,
  };
}
