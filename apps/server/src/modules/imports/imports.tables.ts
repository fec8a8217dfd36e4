import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Count = ColumnType<number, number | undefined, number>;
/** jsonb written as JSON text; read as text (`::text`) and parsed with its schema. */
type Json = ColumnType<unknown, string | undefined, string>;
type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type ImportStatus = 'uploading' | 'uploaded' | 'running' | 'completed' | 'failed' | 'cancelled';
export type ImportFileKind = 'csv' | 'xlsx';
export type ImportEncoding = 'utf-8' | 'utf-16le' | 'windows-1252';

export type DataImportTable = {
  id: Id;
  tenantId: TenantId;
  createdBy: ColumnType<string, string, never>;
  actorKind: ColumnType<'user' | 'api_token', 'user' | 'api_token', never>;
  fileName: ColumnType<string, string, never>;
  fileKind: ColumnType<ImportFileKind, ImportFileKind, ImportFileKind>;
  byteSize: ColumnType<string | number, number | undefined, number>;
  encoding: ColumnType<ImportEncoding | null, ImportEncoding | null | undefined, ImportEncoding | null>;
  delimiter: ColumnType<string | null, string | null | undefined, string | null>;
  sheet: ColumnType<string | null, string | null | undefined, string | null>;
  sheets: TextArray;
  columns: TextArray;
  suggestedMapping: Json;
  mapping: NullableJson;
  options: NullableJson;
  status: ColumnType<ImportStatus, ImportStatus, ImportStatus>;
  totalRows: Count;
  nextRow: Count;
  createdCount: Count;
  updatedCount: Count;
  skippedCount: Count;
  failedCount: Count;
  errorCode: ColumnType<string | null, string | null | undefined, string | null>;
  startedAt: NullableTimestamp;
  finishedAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type DataImportChunkTable = {
  tenantId: TenantId;
  importId: string;
  seq: number;
  /** The chunk's bytes in base64 (see the migration for why not bytea). */
  data: ColumnType<string, string, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type DataImportErrorTable = {
  tenantId: TenantId;
  importId: string;
  rowNumber: number;
  cells: ColumnType<unknown, string, never>;
  errors: ColumnType<unknown, string, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** Read through `$extendTables<ImportsTables>()`. */
export type ImportsTables = {
  dataImport: DataImportTable;
  dataImportChunk: DataImportChunkTable;
  dataImportError: DataImportErrorTable;
};
