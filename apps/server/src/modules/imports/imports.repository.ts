import { sql, type Transaction, type Updateable } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import type { DataImportTable, ImportFileKind, ImportStatus, ImportsTables } from './imports.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant (inserts set tenant_id).
 */
type Db = Transaction<Tables & ImportsTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<ImportsTables>();
}

function selectImports(db: Db) {
  return db
    .selectFrom('dataImport')
    .select([
      'id',
      'createdBy',
      'actorKind',
      'fileName',
      'fileKind',
      'byteSize',
      'encoding',
      'delimiter',
      'sheet',
      'sheets',
      'columns',
      sql<string>`suggested_mapping::text`.as('suggestedMapping'),
      sql<string | null>`mapping::text`.as('mapping'),
      sql<string | null>`options::text`.as('options'),
      'status',
      'totalRows',
      'nextRow',
      'createdCount',
      'updatedCount',
      'skippedCount',
      'failedCount',
      'errorCode',
      'startedAt',
      'finishedAt',
      'createdAt',
      'updatedAt',
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursorTs'),
    ]);
}

export type ImportRow = Awaited<ReturnType<ReturnType<typeof selectImports>['execute']>>[number];

export async function insertImport(
  tx: TenantTx,
  values: {
    tenantId: string;
    createdBy: string;
    actorKind: 'user' | 'api_token';
    fileName: string;
    fileKind: ImportFileKind;
  },
): Promise<string> {
  const row = await own(tx)
    .insertInto('dataImport')
    .values({ ...values, status: 'uploading' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An import of this user (imports are private to who uploaded them). */
export async function findImport(tx: TenantTx, id: string, userId: string): Promise<ImportRow | undefined> {
  return selectImports(own(tx)).where('id', '=', id).where('createdBy', '=', userId).executeTakeFirst();
}

/** The import, locked until the transaction ends (the job's checkpoint; state changes). */
export async function lockImport(tx: TenantTx, id: string): Promise<ImportRow | undefined> {
  return selectImports(own(tx)).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function listImports(
  tx: TenantTx,
  userId: string,
  page: { limit: number; after: Keyset | undefined },
): Promise<ImportRow[]> {
  let query = selectImports(own(tx))
    .where('createdBy', '=', userId)
    .where('status', '<>', 'uploading')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.after) {
    const { t, i } = page.after;
    query = query.where(sql<boolean>`(created_at, id) < (${t}::timestamptz, ${i}::uuid)`);
  }
  return query.execute();
}

export type ImportValues = Omit<Updateable<DataImportTable>, 'updatedAt'>;

export async function updateImport(tx: TenantTx, id: string, values: ImportValues): Promise<void> {
  await own(tx).updateTable('dataImport').set(values).where('id', '=', id).execute();
}

/** Adds a batch's outcomes to the counters and moves the checkpoint past it. */
export async function advanceImport(
  tx: TenantTx,
  id: string,
  counts: { rows: number; created: number; updated: number; skipped: number; failed: number },
): Promise<void> {
  await sql`
    update data_import set
      -- A file read to more rows than counted at upload (it never should) still fits the check.
      total_rows = greatest(total_rows, next_row + ${counts.rows}::int),
      next_row = next_row + ${counts.rows}::int,
      created_count = created_count + ${counts.created}::int,
      updated_count = updated_count + ${counts.updated}::int,
      skipped_count = skipped_count + ${counts.skipped}::int,
      failed_count = failed_count + ${counts.failed}::int
    where id = ${id}::uuid`.execute(tx);
}

export async function deleteImport(tx: TenantTx, id: string): Promise<void> {
  await own(tx).deleteFrom('dataImport').where('id', '=', id).execute();
}

// -- the file ------------------------------------------------------------------------------------

export async function insertChunk(
  tx: TenantTx,
  tenantId: string,
  importId: string,
  seq: number,
  data: Uint8Array,
): Promise<void> {
  const base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  await own(tx).insertInto('dataImportChunk').values({ tenantId, importId, seq, data: base64 }).execute();
}

export async function readChunk(
  tx: TenantTx,
  importId: string,
  seq: number,
): Promise<Uint8Array | undefined> {
  const row = await own(tx)
    .selectFrom('dataImportChunk')
    .select('data')
    .where('importId', '=', importId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row ? Buffer.from(row.data, 'base64') : undefined;
}

export async function deleteChunks(tx: TenantTx, importId: string): Promise<void> {
  await own(tx).deleteFrom('dataImportChunk').where('importId', '=', importId).execute();
}

/**
 * An array parameter as PostgreSQL array text (`{"a",NULL}`): the embedded database's driver
 * sends a JS array as `a,b`, so arrays go as text and are cast in SQL (`::text[]`, `::uuid[]` …).
 */
function arrayParam(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) {
      out += 'NULL';
      continue;
    }
    const text = String(v);
    out += `"${text.includes('"') || text.includes('\\') ? text.replace(/[\\"]/g, (c) => `\\${c}`) : text}"`;
  }
  return `${out}}`;
}

// -- the error report ----------------------------------------------------------------------------

export type ErrorRowValues = { rowNumber: number; cells: string[]; errors: unknown[] };

export async function insertErrors(
  tx: TenantTx,
  tenantId: string,
  importId: string,
  rows: readonly ErrorRowValues[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into data_import_error (tenant_id, import_id, row_number, cells, errors)
    select ${tenantId}::uuid, ${importId}::uuid, v.row_number, v.cells::jsonb, v.errors::jsonb
    from unnest(
      ${arrayParam(rows.map((r) => r.rowNumber))}::int[],
      ${arrayParam(rows.map((r) => JSON.stringify(r.cells)))}::text[],
      ${arrayParam(rows.map((r) => JSON.stringify(r.errors)))}::text[]
    ) as v (row_number, cells, errors)`.execute(tx);
}

export type StoredErrorRow = { rowNumber: number; cells: string; errors: string };

/** Error rows in row order after `afterRow`, at most `limit`. */
export async function listErrors(
  tx: TenantTx,
  importId: string,
  afterRow: number,
  limit: number,
): Promise<StoredErrorRow[]> {
  return own(tx)
    .selectFrom('dataImportError')
    .select(['rowNumber', sql<string>`cells::text`.as('cells'), sql<string>`errors::text`.as('errors')])
    .where('importId', '=', importId)
    .where('rowNumber', '>', afterRow)
    .orderBy('rowNumber')
    .limit(limit)
    .execute();
}

// -- housekeeping --------------------------------------------------------------------------------

/** Imports in one of the states whose last change is older than `before`. */
export async function staleImports(
  tx: TenantTx,
  statuses: readonly ImportStatus[],
  before: Date,
): Promise<{ id: string; status: ImportStatus }[]> {
  return own(tx)
    .selectFrom('dataImport')
    .select(['id', 'status'])
    .where('status', 'in', [...statuses])
    .where('updatedAt', '<', before)
    .execute();
}
