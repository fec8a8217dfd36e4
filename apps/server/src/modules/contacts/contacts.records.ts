import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { auditActorOf, recordAudit } from '../audit/index.ts';
import { recordAccess } from '../privacy/index.ts';
import { contactsError } from './contacts.errors.ts';
import * as repo from './contacts.repository.ts';
import { type Company, type Contact, storedCustomFieldsSchema } from './contacts.schema.ts';
import type { CustomFields, CustomFieldValue } from './contacts.tables.ts';

/**
 * What the contact and company use cases share: rows to records, the field names an audit
 * entry lists, custom-field merging, and the audit and access-log writes.
 */

export type Page<T> = { items: T[]; nextCursor: string | null };

export async function assertCompany(tx: TenantTx, companyId: string): Promise<void> {
  if (!(await repo.companyExists(tx, companyId))) {
    throw contactsError('CONTACTS_INVALID_FIELDS', 'Some fields are not valid; see errors.', [
      { path: 'companyId', message: 'there is no such company' },
    ]);
  }
}

export async function setTags(
  tx: TenantTx,
  tenantId: string,
  owner: repo.Owner,
  id: string,
  names: string[],
) {
  await repo.setTags(tx, owner, tenantId, id, await repo.ensureTags(tx, tenantId, names));
}

/** JSON merge patch of custom fields (checked values): a key set to null goes, null clears all. */
export function mergeCustomFields(
  before: CustomFields,
  patch: Record<string, CustomFieldValue | null> | null | undefined,
  errors: ErrorDetail[],
): CustomFields | undefined {
  if (patch === undefined) return undefined;
  if (patch === null) return {};
  const merged: CustomFields = { ...before };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > 50)
    errors.push({ path: 'customFields', message: 'at most 50 custom fields' });
  return merged;
}

export function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const NOT_DATA = new Set(['id', 'createdAt', 'updatedAt', 'companyName', 'contactCount']);

/** Names of the fields that hold a value (custom fields by key): what an audit entry lists. */
export function filledFields(record: Contact | Company, always: string[] = []): string[] {
  const fields = [...always];
  for (const [key, value] of Object.entries(record)) {
    if (NOT_DATA.has(key) || value === null) continue;
    if (key === 'customFields')
      fields.push(...Object.keys(value as CustomFields).map((k) => `customFields.${k}`));
    else if (Array.isArray(value)) {
      if (value.length > 0) fields.push(key);
    } else fields.push(key);
  }
  return fields;
}

/** Names of the fields whose value differs (custom fields by key). */
export function changedFields<T extends Contact | Company>(before: T, after: T): string[] {
  const fields: string[] = [];
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (NOT_DATA.has(key)) continue;
    if (key === 'customFields') {
      const a = before.customFields;
      const b = after.customFields;
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) fields.push(`customFields.${k}`);
      }
    } else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) fields.push(key);
  }
  return fields;
}

/** A module acting on its own, not for a user (a public form submission): audited as the system, no scope. */
export type SystemWriter = { kind: 'system'; tenantId: string; contactScope: null };

export async function audit(
  tx: TenantTx,
  principal: Principal | SystemWriter,
  action: string,
  entityType: 'contact' | 'company',
  entityId: string,
  fields: string[],
): Promise<void> {
  if (fields.length === 0) return;
  await recordAudit(tx, {
    tenantId: principal.tenantId,
    actor: 'via' in principal ? auditActorOf(principal) : { kind: 'system' },
    action,
    entityType,
    entityId,
    changes: { kind: 'personal-data', fields },
  });
}

export async function logAccess(
  tx: TenantTx,
  principal: Principal,
  recordType: 'contact' | 'company',
  recordIds: string[],
  purpose: string,
  kind: 'read' | 'search' = 'read',
): Promise<void> {
  if (recordIds.length === 0) return;
  await recordAccess(tx, {
    tenantId: principal.tenantId,
    userId: principal.userId,
    recordType,
    recordIds,
    purpose,
    kind,
  });
}

/** custom_fields, read as JSON text (see the repository), parsed at the edge. */
function customFieldsOf(stored: string, where: string): CustomFields {
  const parsed = storedCustomFieldsSchema.safeParse(JSON.parse(stored));
  if (!parsed.success) throw new Error(`${where}.custom_fields does not hold scalar values by key`);
  return parsed.data;
}

export function toContact(row: repo.ContactRow, tags: string[]): Contact {
  return {
    id: row.id,
    salutation: row.salutation,
    firstName: row.firstName,
    lastName: row.lastName,
    companyId: row.companyId,
    companyName: row.companyName,
    street: row.street,
    addressLine1: row.addressLine1,
    addressLine2: row.addressLine2,
    postalCode: row.postalCode,
    city: row.city,
    region: row.region,
    country: row.country,
    email: row.email,
    language: row.language,
    phone: row.phone,
    fax: row.fax,
    mobile: row.mobile,
    website: row.website,
    birthday: row.birthday,
    iban: row.iban,
    bic: row.bic,
    paymentMethod: row.paymentMethod,
    accountHolder: row.accountHolder,
    vatId: row.vatId,
    notes: row.notes,
    tags,
    customFields: customFieldsOf(row.customFields, 'contact'),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toCompany(row: repo.CompanyRow, tags: string[], contactCount: number): Company {
  return {
    id: row.id,
    name: row.name,
    street: row.street,
    addressLine1: row.addressLine1,
    addressLine2: row.addressLine2,
    postalCode: row.postalCode,
    city: row.city,
    region: row.region,
    country: row.country,
    email: row.email,
    phone: row.phone,
    website: row.website,
    vatId: row.vatId,
    tags,
    customFields: customFieldsOf(row.customFields, 'company'),
    contactCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
