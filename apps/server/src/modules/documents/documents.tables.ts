import type { ColumnType } from 'kysely';

/** `document` (migration 20261130100000_documents_core.sql); read through `$extendTables`. */
export type DocumentTable = {
  id: ColumnType<string, string | undefined, never>;
  tenantId: ColumnType<string, string, never>;
  contactId: ColumnType<string | null, string | null | undefined, never>;
  companyId: ColumnType<string | null, string | null | undefined, never>;
  fileName: ColumnType<string, string, never>;
  contentType: ColumnType<string, string, never>;
  size: ColumnType<number, number, never>;
  sha256: ColumnType<string, string, never>;
  blobKey: ColumnType<string, string, never>;
  uploadedBy: ColumnType<string | null, string | null, never>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, never>;
};

export type DocumentsTables = { document: DocumentTable };
