import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** jsonb: written as JSON text; read it as text (`…::text`) and parse it (see the repository). */
type Json = ColumnType<unknown, string | undefined, string>;

export type ExportStatus =
  | 'awaiting_approval'
  | 'queued'
  | 'running'
  | 'ready'
  | 'failed'
  | 'rejected'
  | 'cancelled'
  | 'expired';

export type DataExportTable = {
  id: Id;
  tenantId: TenantId;
  requestedBy: ColumnType<string, string, never>;
  recordType: ColumnType<'contact', 'contact' | undefined, never>;
  format: ColumnType<string, string, never>;
  source: Json;
  recordIds: ColumnType<string[], string[], never>;
  recordCount: ColumnType<number, number, never>;
  fields: ColumnType<string[] | null, string[] | null | undefined, never>;
  options: Json;
  reason: ColumnType<string | null, string | null | undefined, never>;
  status: ColumnType<ExportStatus, ExportStatus, ExportStatus>;
  approvalId: ColumnType<string | null, string | null | undefined, never>;
  exportedCount: Nullable<number>;
  errorCode: Nullable<string>;
  fileName: Nullable<string>;
  contentType: Nullable<string>;
  /** The file's key in the blob store while the export is ready. */
  blobKey: Nullable<string>;
  byteSize: Nullable<number>;
  startedAt: Nullable<Date | string>;
  finishedAt: Nullable<Date | string>;
  expiresAt: Nullable<Date | string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** This module's tables, read through `$extendTables` (see exports.repository.ts). */
export type ExportsTables = {
  dataExport: DataExportTable;
};
