import { type SqlBool, sql, type Transaction } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import type { ExportStatus, ExportsTables } from './exports.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant.
 */
type Db = Transaction<Tables & ExportsTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<ExportsTables>();
}

function selectExports(db: Db) {
  return db.selectFrom('dataExport').select([
    'dataExport.id',
    'dataExport.tenantId',
    'dataExport.requestedBy',
    'dataExport.format',
    // As text: the CamelCasePlugin would rename the keys of a jsonb value.
    sql<string>`data_export.source::text`.as('source'),
    sql<string>`data_export.options::text`.as('options'),
    'dataExport.recordCount',
    'dataExport.fields',
    'dataExport.reason',
    'dataExport.status',
    'dataExport.approvalId',
    'dataExport.exportedCount',
    'dataExport.errorCode',
    'dataExport.fileName',
    'dataExport.byteSize',
    'dataExport.startedAt',
    'dataExport.finishedAt',
    'dataExport.expiresAt',
    'dataExport.createdAt',
    sql<string>`to_char(data_export.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
      'cursorTs',
    ),
  ]);
}

export type ExportRow = Awaited<ReturnType<ReturnType<typeof selectExports>['execute']>>[number];

/** The tenant's bulk-export threshold (exports of more records wait for an approval). */
export async function bulkExportThreshold(tx: TenantTx): Promise<number> {
  const row = await tx.selectFrom('tenant').select('bulkExportThreshold').executeTakeFirstOrThrow();
  return row.bulkExportThreshold;
}

export type NewExport = {
  id: string;
  tenantId: string;
  requestedBy: string;
  format: string;
  source: string;
  recordIds: string[];
  recordCount: number;
  fields: string[] | null;
  options: string;
  reason: string | null;
  status: 'queued' | 'awaiting_approval';
  approvalId: string | null;
};

export async function insertExport(tx: TenantTx, values: NewExport): Promise<void> {
  await own(tx).insertInto('dataExport').values(values).execute();
}

export async function findExport(tx: TenantTx, id: string): Promise<ExportRow | undefined> {
  return selectExports(own(tx)).where('dataExport.id', '=', id).executeTakeFirst();
}

/** A user's exports, newest first, `limit + 1` rows for toPage(). */
export async function listExports(
  tx: TenantTx,
  requestedBy: string,
  page: { limit: number; after: Keyset | undefined },
): Promise<ExportRow[]> {
  let query = selectExports(own(tx))
    .where('dataExport.requestedBy', '=', requestedBy)
    .orderBy('dataExport.createdAt', 'desc')
    .orderBy('dataExport.id', 'desc')
    .limit(page.limit + 1);
  if (page.after) {
    query = query.where(
      sql<SqlBool>`(data_export.created_at, data_export.id) < (${page.after.t}::timestamptz, ${page.after.i}::uuid)`,
    );
  }
  return query.execute();
}

/** An approved export is queued; false when it no longer waited for this approval. */
export async function markQueued(tx: TenantTx, id: string, approvalId: string): Promise<boolean> {
  const result = await own(tx)
    .updateTable('dataExport')
    .set({ status: 'queued' })
    .where('id', '=', id)
    .where('approvalId', '=', approvalId)
    .where('status', '=', 'awaiting_approval')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An export whose approval was rejected, withdrawn or lapsed: it will never run. */
export async function closeAwaiting(
  tx: TenantTx,
  id: string,
  approvalId: string,
  status: 'rejected' | 'cancelled' | 'expired',
): Promise<void> {
  await own(tx)
    .updateTable('dataExport')
    .set({ status, finishedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('approvalId', '=', approvalId)
    .where('status', '=', 'awaiting_approval')
    .execute();
}

export type ClaimedExport = {
  id: string;
  requestedBy: string;
  format: string;
  recordIds: string[];
  fields: string[] | null;
  options: string;
};

/**
 * Takes a queued export to `running` (or takes over one whose earlier attempt crashed while
 * running); undefined when it is not to be run (done, failed, or waiting for an approval).
 */
export async function claim(tx: TenantTx, id: string): Promise<ClaimedExport | undefined> {
  return own(tx)
    .updateTable('dataExport')
    .set({ status: 'running', startedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returning([
      'id',
      'requestedBy',
      'format',
      'recordIds',
      'fields',
      sql<string>`options::text`.as('options'),
    ])
    .executeTakeFirst();
}

/**
 * Makes the export ready for `ttlHours` with its file, already written to the blob store under
 * a reserved key (setting the key claims the reservation); false when it was not running.
 */
export async function complete(
  tx: TenantTx,
  id: string,
  file: {
    blobKey: string;
    fileName: string;
    contentType: string;
    byteSize: number;
    exportedCount: number;
    ttlHours: number;
  },
): Promise<boolean> {
  const result = await own(tx)
    .updateTable('dataExport')
    .set({
      status: 'ready',
      exportedCount: file.exportedCount,
      fileName: file.fileName,
      contentType: file.contentType,
      blobKey: file.blobKey,
      byteSize: file.byteSize,
      finishedAt: sql<Date>`now()`,
      expiresAt: sql<Date>`now() + make_interval(hours => ${file.ttlHours})`,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function fail(tx: TenantTx, id: string, errorCode: string): Promise<void> {
  await own(tx)
    .updateTable('dataExport')
    .set({ status: 'failed', errorCode, finishedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'] satisfies ExportStatus[])
    .execute();
}

/** Where the file of a ready export that has not expired is. */
export async function findFile(
  tx: TenantTx,
  id: string,
): Promise<{ blobKey: string; contentType: string; byteSize: number } | undefined> {
  const row = await own(tx)
    .selectFrom('dataExport')
    .select(['blobKey', 'contentType', 'byteSize'])
    .where('id', '=', id)
    .where('status', '=', 'ready')
    .where(sql<SqlBool>`expires_at > now()`)
    .executeTakeFirst();
  if (!row?.blobKey || !row.contentType || row.byteSize === null) return undefined;
  return { blobKey: row.blobKey, contentType: row.contentType, byteSize: row.byteSize };
}

/**
 * Marks the tenant's exports past their expiry (at `now`, default the database's clock) as
 * expired and lets go of their files: clearing the key hands it to the blob sweep (trigger).
 * Returns how many.
 */
export async function expireFiles(tx: TenantTx, now: Date | undefined): Promise<number> {
  const at = now ?? sql<Date>`now()`;
  const expired = await own(tx)
    .updateTable('dataExport')
    .set({ status: 'expired', blobKey: null })
    .where('status', '=', 'ready')
    .where('expiresAt', '<=', at)
    .returning('id')
    .execute();
  return expired.length;
}
