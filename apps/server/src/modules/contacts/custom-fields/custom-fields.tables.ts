import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb written as JSON text; read it as text (`labels::text`) and parse it with its schema. */
type JsonText<Default extends 'optional' | 'required'> = ColumnType<
  unknown,
  Default extends 'optional' ? string | undefined : string,
  string
>;

/** A tenant-defined field of contacts or companies (migration 20261130090000). */
export type CustomFieldTable = {
  id: Id;
  tenantId: TenantId;
  objectType: ColumnType<string, string, never>;
  key: string;
  label: string;
  labels: JsonText<'optional'>;
  type: ColumnType<string, string, never>;
  options: JsonText<'optional'>;
  required: ColumnType<boolean, boolean | undefined, boolean>;
  isUnique: ColumnType<boolean, boolean | undefined, boolean>;
  dataCategory: ColumnType<string, string | undefined, string>;
  position: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/**
 * The typed index of custom-field values, written by triggers on contact and company only
 * (see the migration); the application reads it to filter, sort and check uniqueness.
 */
export type CustomFieldValueTable = {
  tenantId: TenantId;
  fieldId: string;
  recordId: string;
  isUnique: ColumnType<boolean, boolean | undefined, boolean>;
  valueText: string | null;
  valueNumber: number | null;
  /** Read it as text (`to_char(value_date, 'YYYY-MM-DD')`): drivers make local-time Dates. */
  valueDate: ColumnType<Date | string | null, string | null | undefined, string | null>;
  valueBool: boolean | null;
};

export type CustomFieldsTables = {
  customField: CustomFieldTable;
  customFieldValue: CustomFieldValueTable;
};
