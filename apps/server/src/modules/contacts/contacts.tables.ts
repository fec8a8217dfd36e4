import type { ColumnType } from 'kysely';
import type { CustomFieldsTables } from './custom-fields/custom-fields.tables.ts';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Text = ColumnType<string | null, string | null | undefined, string | null>;
/**
 * A custom field's stored value, as its definition's type says (custom-fields.values.ts): text,
 * URL, email, date (YYYY-MM-DD), decimal (exact, as a string) and single select are strings;
 * number is a number; boolean a boolean; multi select an array of option values.
 */
export type CustomFieldValue = string | number | boolean | string[];
export type CustomFields = Record<string, CustomFieldValue>;
/**
 * jsonb: written as JSON text. Read it as text (`custom_fields::text`) and parse it: read as a
 * value, the CamelCasePlugin renames its keys.
 */
type CustomFieldsColumn = ColumnType<unknown, string | undefined, string>;
/** Written by triggers only (see kontor_fold() in the migration). */
type SearchText = ColumnType<string, never, never>;
/** date: read it as text (`to_char(birthday, 'YYYY-MM-DD')`); drivers turn a bare read into a local-time Date. */
type DateOnly = ColumnType<Date | string | null, string | null | undefined, string | null>;

export type CompanyTable = {
  id: Id;
  tenantId: TenantId;
  name: string;
  street: Text;
  addressLine1: Text;
  addressLine2: Text;
  postalCode: Text;
  city: Text;
  region: Text;
  country: Text;
  email: Text;
  phone: Text;
  website: Text;
  vatId: Text;
  customFields: CustomFieldsColumn;
  searchText: SearchText;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type ContactTable = {
  id: Id;
  tenantId: TenantId;
  salutation: Text;
  firstName: Text;
  lastName: Text;
  companyId: Text;
  street: Text;
  addressLine1: Text;
  addressLine2: Text;
  postalCode: Text;
  city: Text;
  region: Text;
  country: Text;
  email: Text;
  language: Text;
  phone: Text;
  fax: Text;
  mobile: Text;
  website: Text;
  birthday: DateOnly;
  iban: Text;
  bic: Text;
  paymentMethod: Text;
  accountHolder: Text;
  vatId: Text;
  notes: Text;
  customFields: CustomFieldsColumn;
  searchText: SearchText;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type TagTable = {
  id: Id;
  tenantId: TenantId;
  /** citext: unique per tenant regardless of case. */
  name: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type ContactTagTable = {
  id: Id;
  tenantId: TenantId;
  contactId: string;
  tagId: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type CompanyTagTable = {
  id: Id;
  tenantId: TenantId;
  companyId: string;
  tagId: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** To merge into kernel/db/tables.ts `Tables`. */
export type ContactsTables = {
  company: CompanyTable;
  contact: ContactTable;
  tag: TagTable;
  contactTag: ContactTagTable;
  companyTag: CompanyTagTable;
} & CustomFieldsTables;
