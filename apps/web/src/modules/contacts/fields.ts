import type { AccessLevel, DataCategory, FieldAccess } from '@kontor/contracts';

/**
 * The standard fields of contacts and companies as the forms and the overview show them: which
 * data category each belongs to (field access: `null` = not personal data, always shown in
 * full), how it is entered, and the longest value the server accepts.
 */
export type FieldInputKind =
  | 'text'
  | 'email'
  | 'tel'
  | 'url'
  | 'date'
  | 'country'
  | 'language'
  | 'paymentMethod'
  | 'textarea'
  | 'iban';

export type FieldDef<K extends string = string> = {
  key: K;
  category: DataCategory | null;
  input: FieldInputKind;
  max: number;
};

export const paymentMethods = [
  'invoice',
  'sepa_direct_debit',
  'card',
  'cash',
  'bank_transfer',
  'other',
] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

const field = <K extends string>(
  key: K,
  category: DataCategory | null,
  input: FieldInputKind,
  max: number,
): FieldDef<K> => ({ key, category, input, max });

export const contactFields = [
  field('salutation', 'identity', 'text', 50),
  field('firstName', 'identity', 'text', 200),
  field('lastName', 'identity', 'text', 200),
  field('email', 'contact_details', 'email', 320),
  field('phone', 'contact_details', 'tel', 50),
  field('mobile', 'contact_details', 'tel', 50),
  field('fax', 'contact_details', 'tel', 50),
  field('website', 'contact_details', 'url', 2048),
  field('language', null, 'language', 35),
  field('street', 'address', 'text', 200),
  field('addressLine1', 'address', 'text', 200),
  field('addressLine2', 'address', 'text', 200),
  field('postalCode', 'address', 'text', 20),
  field('city', 'address', 'text', 200),
  field('region', 'address', 'text', 200),
  field('country', 'address', 'country', 10),
  field('iban', 'billing', 'iban', 50),
  field('bic', 'billing', 'text', 20),
  field('paymentMethod', 'billing', 'paymentMethod', 30),
  field('accountHolder', 'billing', 'text', 200),
  field('vatId', 'billing', 'text', 30),
  field('birthday', 'birthday', 'date', 10),
  field('notes', 'notes', 'textarea', 10_000),
] as const;
export type ContactFieldKey = (typeof contactFields)[number]['key'];

export const companyFields = [
  field('name', null, 'text', 200),
  field('email', 'contact_details', 'email', 320),
  field('phone', 'contact_details', 'tel', 50),
  field('website', 'contact_details', 'url', 2048),
  field('street', 'address', 'text', 200),
  field('addressLine1', 'address', 'text', 200),
  field('addressLine2', 'address', 'text', 200),
  field('postalCode', 'address', 'text', 20),
  field('city', 'address', 'text', 200),
  field('region', 'address', 'text', 200),
  field('country', 'address', 'country', 10),
  field('vatId', 'billing', 'text', 30),
] as const;
export type CompanyFieldKey = (typeof companyFields)[number]['key'];

/** Every field key either form knows; the labels live under `contacts.fields.<key>`. */
export type FieldKey = ContactFieldKey | CompanyFieldKey;

/** The groups of the overview and the forms: the data categories, in the order people read them. */
export const fieldGroups = [
  'identity',
  'contact_details',
  'address',
  'billing',
  'birthday',
  'notes',
] as const;
export type FieldGroup = (typeof fieldGroups)[number];

/** Which group a field is shown in: its category, or where it belongs by sense when it has none. */
export function groupOf(def: FieldDef): FieldGroup {
  if (def.key === 'language') return 'contact_details';
  return fieldGroups.find((group) => group === def.category) ?? 'identity';
}

/**
 * How the signed-in user sees a field. Only `full` may be edited: a masked value is a picture of
 * the real one, and saving it back would overwrite the real one with the mask.
 */
export function accessTo(def: FieldDef, access: FieldAccess | undefined): AccessLevel {
  if (def.category === null) return 'full';
  return access?.[def.category] ?? 'none';
}
