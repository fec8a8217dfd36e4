import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type ActivityTable = {
  id: Id;
  tenantId: TenantId;
  contactId: ColumnType<string, string, never>;
  companyId: Nullable<string>;
  kind: string;
  direction: Nullable<string>;
  subject: Nullable<string>;
  body: Nullable<string>;
  occurredAt: ColumnType<Date, Date | string | undefined, Date | string>;
  durationMinutes: Nullable<number>;
  source: ColumnType<string, string, never>;
  refType: ColumnType<string | null, string | null | undefined, never>;
  refId: ColumnType<string | null, string | null | undefined, never>;
  createdBy: ColumnType<string | null, string | null | undefined, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** This module's tables, read through `$extendTables` (see timeline.repository.ts). */
export type TimelineTables = {
  activity: ActivityTable;
};
