import { CONTACT_FIELD_CATEGORIES, type Contact } from '../contacts/index.ts';
import type { DataCategory, FieldAccess } from '../privacy/index.ts';
import type { Cell, Table, VcardContact } from './exports.formats.ts';

/**
 * What goes into an export's file, as pure functions over contacts that field access has already
 * shaped (presentFields): which fields, in which order, and how each becomes a cell or a vCard line.
 */

/** The fields an export can hold, in the order of the file's columns. */
export const EXPORT_FIELDS = [
  'id',
  'salutation',
  'firstName',
  'lastName',
  'companyName',
  'email',
  'phone',
  'mobile',
  'fax',
  'website',
  'street',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'region',
  'country',
  'language',
  'birthday',
  'iban',
  'bic',
  'paymentMethod',
  'accountHolder',
  'vatId',
  'notes',
  'tags',
  'customFields',
  'createdAt',
  'updatedAt',
] as const;
export type ExportField = (typeof EXPORT_FIELDS)[number];

const CATEGORIES: Partial<Record<ExportField, DataCategory>> = CONTACT_FIELD_CATEGORIES;

/** The asked fields (default: all) in column order, without duplicates. */
export function orderedFields(asked: readonly string[] | null | undefined): ExportField[] {
  if (!asked) return [...EXPORT_FIELDS];
  const wanted = new Set(asked);
  return EXPORT_FIELDS.filter((f) => wanted.has(f));
}

/**
 * The fields the reader sees at all: a field of a category they see `none` of is left out of
 * the file entirely (no empty column that shows it exists for some records). Custom fields
 * have a category each: presentFields() leaves out the keys the reader may not see, and only
 * the keys left become columns.
 */
export function visibleFields(fields: readonly ExportField[], access: FieldAccess): ExportField[] {
  return fields.filter((f) => {
    const category = f === 'customFields' ? undefined : CATEGORIES[f];
    return category === undefined || access[category] !== 'none';
  });
}

function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Custom fields of the shaped contacts: a key per column, sorted; none when they are hidden. */
function customKeysOf(contacts: readonly Contact[]): string[] {
  const keys = new Set<string>();
  for (const c of contacts) {
    if (c.customFields && typeof c.customFields === 'object') {
      for (const key of Object.keys(c.customFields)) keys.add(key);
    }
  }
  return [...keys].sort();
}

/**
 * A table of the shaped contacts: one column per visible field (custom fields one per key,
 * `customFields.<key>`), tags joined by `, `, values as field access left them.
 */
export function tableOf(contacts: readonly Contact[], fields: readonly ExportField[]): Table {
  const customKeys = fields.includes('customFields') ? customKeysOf(contacts) : [];
  const headers = fields.flatMap((f) =>
    f === 'customFields' ? customKeys.map((k) => `customFields.${k}`) : [f],
  );
  const rows = contacts.map((c) =>
    fields.flatMap((f): Cell[] => {
      if (f === 'customFields') {
        const custom = (c.customFields ?? {}) as Record<string, unknown>;
        return customKeys.map((k) => cellOf(custom[k]));
      }
      return [cellOf(c[f])];
    }),
  );
  return { headers, rows };
}

/** A shaped contact as a vCard: only the fields of the export (billing and custom fields have no vCard property). */
export function vcardOf(c: Contact, fields: readonly ExportField[]): VcardContact {
  const has = new Set<ExportField>(fields);
  const pick = (f: ExportField & keyof Contact) => (has.has(f) ? (c[f] as string | null) : null);
  return {
    uid: c.id,
    salutation: pick('salutation'),
    firstName: pick('firstName'),
    lastName: pick('lastName'),
    organisation: pick('companyName'),
    email: pick('email'),
    phone: pick('phone'),
    mobile: pick('mobile'),
    fax: pick('fax'),
    website: pick('website'),
    street: pick('street'),
    addressLine1: pick('addressLine1'),
    addressLine2: pick('addressLine2'),
    postalCode: pick('postalCode'),
    city: pick('city'),
    region: pick('region'),
    country: pick('country'),
    language: pick('language'),
    birthday: pick('birthday'),
    notes: pick('notes'),
    categories: has.has('tags') ? c.tags : null,
    updatedAt: pick('updatedAt'),
  };
}
