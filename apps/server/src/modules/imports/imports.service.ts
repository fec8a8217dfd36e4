import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import type { JobDefinition } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { auditActorOf, recordAudit } from '../audit/index.ts';
import { contactCustomFields } from '../contacts/index.ts';
import { importsError } from './imports.errors.ts';
import {
  countCsvRecords,
  csvRows,
  type Delimiter,
  dataRows,
  decodeText,
  detectDelimiter,
  EncodingProbe,
  HEAD_BYTES,
  readLayout,
  type SheetRow,
  sniffKind,
  xlsxRows,
} from './imports.file.ts';
import { planRows, suggestMapping } from './imports.mapping.ts';
import * as repo from './imports.repository.ts';
import {
  type ImportErrorView,
  type ImportView,
  PREVIEW_ROWS,
  type ReadingOptions,
  type StartImportInput,
  storedMappingSchema,
  storedOptionsSchema,
  storedRowErrorSchema,
} from './imports.schema.ts';
import type { ImportEncoding, ImportFileKind } from './imports.tables.ts';

/**
 * The use cases of an import, as its owner drives them through the API: upload (the file is
 * stored in chunks and read once for its columns, a preview and its row count), change how it
 * is read, start (checks the mapping and queues the job), follow, read the error report,
 * cancel, delete. The job's side is imports.runner.ts.
 */

export type ImportsDeps = {
  db: Kysely<Tables>;
  queue: JobQueue;
  runJob: JobDefinition<{ importId: string }>;
  /** The largest file accepted, in bytes. */
  maxFileBytes: number;
};

/** The bytes are stored in chunks of this size, each in its own short transaction (4 MiB: ~30,000 rows). */
export const CHUNK_BYTES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The stored file
// ---------------------------------------------------------------------------------------------

/** The stored file, chunk by chunk, each read in its own transaction (none held open between). */
export function storedBytes(
  db: Kysely<Tables>,
  tenantId: string,
  importId: string,
): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let seq = 0; ; seq++) {
        const chunk = await withTenant(db, tenantId, (tx) => repo.readChunk(tx, importId, seq));
        if (!chunk) return;
        yield chunk;
      }
    },
  };
}

export type Reading = {
  kind: ImportFileKind;
  encoding: ImportEncoding | null;
  delimiter: Delimiter | null;
  sheet: string | null;
};

/** Every row of the stored file (blank ones and the header included), as it is to be read. */
export function fileRows(
  bytes: AsyncIterable<Uint8Array>,
  reading: Reading,
): { rows: AsyncGenerator<SheetRow>; sheets: string[] } {
  if (reading.kind === 'csv') {
    return {
      rows: csvRows(bytes, { encoding: reading.encoding ?? 'utf-8', delimiter: reading.delimiter ?? ',' }),
      sheets: [],
    };
  }
  return xlsxRows(bytes, reading.sheet ?? undefined);
}

async function headText(bytes: AsyncIterable<Uint8Array>, encoding: ImportEncoding): Promise<string> {
  let text = '';
  for await (const piece of decodeText(firstBytes(bytes, HEAD_BYTES), encoding)) text += piece;
  return text;
}

async function* firstBytes(bytes: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let taken = 0;
  for await (const chunk of bytes) {
    const piece = chunk.subarray(0, limit - taken);
    taken += piece.length;
    yield piece;
    if (taken >= limit) return;
  }
}

/**
 * Reads the stored file as asked (else as detected): columns, preview, row count, and for a
 * workbook its sheets. Changes nothing.
 */
async function analyse(
  db: Kysely<Tables>,
  tenantId: string,
  importId: string,
  kind: ImportFileKind,
  detectedEncoding: ImportEncoding | null,
  asked: ReadingOptions,
) {
  const bytes = storedBytes(db, tenantId, importId);
  let reading: Reading;
  if (kind === 'csv') {
    const encoding = asked.encoding ?? detectedEncoding ?? 'utf-8';
    const delimiter = asked.delimiter ?? detectDelimiter(await headText(bytes, encoding));
    reading = { kind, encoding, delimiter, sheet: null };
  } else {
    reading = { kind, encoding: null, delimiter: null, sheet: asked.sheet ?? null };
  }
  const file = fileRows(bytes, reading);
  // A CSV file is parsed only as far as the preview goes, and its records counted by a scan.
  const { encoding, delimiter } = reading;
  const count =
    kind === 'csv' && encoding && delimiter
      ? () => countCsvRecords(decodeText(bytes, encoding), delimiter)
      : undefined;
  const layout = await readLayout(file.rows, PREVIEW_ROWS, count);
  if (kind === 'xlsx') reading = { ...reading, sheet: reading.sheet ?? file.sheets[0] ?? null };
  return { reading, layout, sheets: file.sheets };
}

function safeFileName(name: string | undefined): string {
  const base = path.basename((name ?? '').replaceAll('\\', '/'));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean.slice(0, 255) || 'import';
}

// ---------------------------------------------------------------------------------------------
// Upload, read, change
// ---------------------------------------------------------------------------------------------

export type Upload = {
  fileName: string | undefined;
  bytes: AsyncIterable<Uint8Array>;
  /** Whether the upload was cut off at the size limit (the multipart parser stops there). */
  truncated?: () => boolean;
};

/**
 * Stores an uploaded file (in 4 MiB chunks, each its own transaction, so no transaction stays
 * open while the bytes arrive) and reads it once: kind (sniffed from the bytes), encoding and
 * delimiter (CSV), sheets (XLSX), columns, the suggested mapping, a preview and the row count.
 * A file that cannot be read leaves nothing behind.
 */
export async function uploadImport(
  deps: ImportsDeps,
  principal: Principal,
  upload: Upload,
  asked: ReadingOptions,
): Promise<ImportView> {
  const fileName = safeFileName(upload.fileName);
  const inTenant = <T>(work: (tx: TenantTx) => Promise<T>) => withPrincipal(deps.db, principal, work);
  const id = await inTenant((tx) =>
    repo.insertImport(tx, {
      tenantId: principal.tenantId,
      createdBy: principal.userId,
      actorKind: principal.via.kind === 'api_token' ? 'api_token' : 'user',
      fileName,
      fileKind: 'csv',
    }),
  );
  try {
    const probe = new EncodingProbe();
    let head: Buffer | undefined;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let size = 0;
    let seq = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending);
        const chunk = joined.subarray(0, CHUNK_BYTES);
        const rest = joined.subarray(chunk.length);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
        head ??= chunk.subarray(0, HEAD_BYTES);
        const at = seq++;
        await inTenant((tx) => repo.insertChunk(tx, principal.tenantId, id, at, chunk));
      }
    };
    try {
      for await (const piece of upload.bytes) {
        size += piece.length;
        if (size > deps.maxFileBytes) throw tooLarge(deps.maxFileBytes);
        probe.push(piece);
        pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
        pendingBytes += piece.length;
        await flush(false);
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(deps.maxFileBytes);
      throw error;
    }
    if (upload.truncated?.()) throw tooLarge(deps.maxFileBytes);
    await flush(true);
    if (size === 0 || head === undefined) {
      throw importsError('IMPORTS_UNREADABLE_FILE', 'The file is empty.', [
        { path: 'file', message: 'is empty' },
      ]);
    }
    const kind = await sniffKind(head, fileName);
    const detected = kind === 'csv' ? probe.result() : null;
    const { reading, layout, sheets } = await analyse(deps.db, principal.tenantId, id, kind, detected, asked);
    return await inTenant(async (tx) => {
      const definitions = await contactCustomFields(tx);
      await repo.updateImport(tx, id, {
        fileKind: kind,
        byteSize: size,
        encoding: reading.encoding,
        delimiter: reading.delimiter,
        sheet: reading.sheet,
        sheets,
        columns: layout.columns,
        suggestedMapping: JSON.stringify(suggestMapping(layout.columns, definitions)),
        totalRows: layout.totalRows,
        status: 'uploaded',
      });
      return toView(await mustFind(tx, principal, id), layout.preview);
    });
  } catch (error) {
    await inTenant((tx) => repo.deleteImport(tx, id)).catch(() => undefined);
    throw error;
  }
}

function tooLarge(maxBytes: number): AppError {
  const mib = Math.round(maxBytes / 1024 / 1024);
  return importsError('IMPORTS_FILE_TOO_LARGE', `The file is larger than the ${mib} MiB an import accepts.`, [
    { path: 'file', message: `must be at most ${mib} MiB` },
  ]);
}

async function mustFind(tx: TenantTx, principal: Principal, id: string): Promise<repo.ImportRow> {
  const row = await repo.findImport(tx, id, principal.userId);
  if (!row || row.status === 'uploading') throw importsError('IMPORTS_NOT_FOUND', 'There is no such import.');
  return row;
}

/** The first rows of an uploaded import's file, read again from the stored chunks. */
async function previewOf(db: Kysely<Tables>, tenantId: string, row: repo.ImportRow): Promise<SheetRow[]> {
  const bytes = storedBytes(db, tenantId, row.id);
  const file = fileRows(bytes, {
    kind: row.fileKind,
    encoding: row.encoding,
    delimiter: row.delimiter as Delimiter | null,
    sheet: row.sheet,
  });
  const preview: SheetRow[] = [];
  for await (const r of dataRows(file.rows, row.columns.length)) {
    preview.push({ rowNumber: r.rowNumber, cells: r.cells });
    if (preview.length >= PREVIEW_ROWS) break;
  }
  return preview;
}

export async function getImport(
  deps: Pick<ImportsDeps, 'db'>,
  principal: Principal,
  id: string,
): Promise<ImportView> {
  const row = await withPrincipal(deps.db, principal, (tx) => mustFind(tx, principal, id));
  const preview = row.status === 'uploaded' ? await previewOf(deps.db, principal.tenantId, row) : null;
  return toView(row, preview);
}

export async function listImports(
  deps: Pick<ImportsDeps, 'db'>,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: ImportView[]; nextCursor: string | null }> {
  const rows = await withPrincipal(deps.db, principal, (tx) =>
    repo.listImports(tx, principal.userId, { limit: page.limit, after: decodeCursor(page.cursor) }),
  );
  return toPage(rows, page.limit, (r) => toView(r, null));
}

/** Reads an uploaded file again in another way: another sheet, delimiter or encoding. */
export async function changeReading(
  deps: Pick<ImportsDeps, 'db'>,
  principal: Principal,
  id: string,
  asked: ReadingOptions,
): Promise<ImportView> {
  const row = await withPrincipal(deps.db, principal, (tx) => mustFind(tx, principal, id));
  assertUploaded(row);
  const errors = [
    ...(row.fileKind === 'csv' && asked.sheet !== undefined
      ? [{ path: 'sheet', message: 'only a workbook (.xlsx) has sheets' }]
      : []),
    ...(row.fileKind === 'xlsx' && (asked.delimiter !== undefined || asked.encoding !== undefined)
      ? [
          {
            path: asked.delimiter !== undefined ? 'delimiter' : 'encoding',
            message: 'only a CSV file has one',
          },
        ]
      : []),
  ];
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'bad_request', 'These options do not fit the file.', errors);
  }
  const current: ReadingOptions = {
    ...(row.sheet ? { sheet: row.sheet } : {}),
    ...(row.encoding ? { encoding: row.encoding } : {}),
    ...(asked.encoding === undefined && row.delimiter ? { delimiter: row.delimiter as Delimiter } : {}),
  };
  const { reading, layout, sheets } = await analyse(
    deps.db,
    principal.tenantId,
    id,
    row.fileKind,
    row.encoding,
    { ...current, ...asked },
  );
  return withPrincipal(deps.db, principal, async (tx) => {
    const locked = await lockOwn(tx, principal, id);
    assertUploaded(locked);
    const definitions = await contactCustomFields(tx);
    await repo.updateImport(tx, id, {
      encoding: reading.encoding,
      delimiter: reading.delimiter,
      sheet: reading.sheet,
      sheets,
      columns: layout.columns,
      suggestedMapping: JSON.stringify(suggestMapping(layout.columns, definitions)),
      totalRows: layout.totalRows,
    });
    return toView(await mustFind(tx, principal, id), layout.preview);
  });
}

async function lockOwn(tx: TenantTx, principal: Principal, id: string): Promise<repo.ImportRow> {
  const row = await repo.lockImport(tx, id);
  if (!row || row.createdBy !== principal.userId || row.status === 'uploading') {
    throw importsError('IMPORTS_NOT_FOUND', 'There is no such import.');
  }
  return row;
}

function assertUploaded(row: repo.ImportRow): void {
  if (row.status !== 'uploaded') {
    throw importsError(
      'IMPORTS_WRONG_STATE',
      `The import is ${row.status}; only an uploaded import can be changed or started.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Start, cancel, delete
// ---------------------------------------------------------------------------------------------

/**
 * Starts an uploaded import: checks the mapping against the file and the tenant's custom fields,
 * stores it with the options, and queues the job in the same transaction (both or neither).
 * dedupe `update` changes existing contacts and needs contacts:update as well.
 */
export async function startImport(
  deps: ImportsDeps,
  principal: Principal,
  id: string,
  input: StartImportInput,
): Promise<ImportView> {
  if (input.dedupe === 'update' && !principal.rights.has('contacts:update')) {
    throw importsError(
      'IMPORTS_UPDATE_FORBIDDEN',
      'Updating existing contacts (dedupe "update") needs the right contacts:update, which your roles do not give.',
    );
  }
  return withPrincipal(deps.db, principal, async (tx) => {
    const row = await lockOwn(tx, principal, id);
    assertUploaded(row);
    const definitions = await contactCustomFields(tx);
    const plan = planRows(row.columns, { ...input, tags: input.tags }, definitions);
    if (principal.contactScope && !plan.mapped.some((m) => m.target === 'tags')) {
      const scope = new Set(principal.contactScope.map((t) => t.toLowerCase()));
      if (!input.tags.some((t) => scope.has(t.toLowerCase()))) {
        throw importsError(
          'IMPORTS_INVALID_MAPPING',
          'Your contacts are limited to some groups; tag the imported ones with one of them.',
          [{ path: 'tags', message: `must include one of: ${principal.contactScope.join(', ')}` }],
        );
      }
    }
    const options = { dedupe: input.dedupe, tags: input.tags, defaultCountry: input.defaultCountry };
    const mapping = Object.fromEntries(plan.mapped.map((m) => [m.column, m.target]));
    await repo.updateImport(tx, id, {
      mapping: JSON.stringify(mapping),
      options: JSON.stringify(options),
      status: 'running',
      startedAt: new Date(),
    });
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      actor: auditActorOf(principal),
      action: 'import.started',
      entityType: 'data_import',
      entityId: id,
      changes: {
        kind: 'settings',
        before: null,
        // No column names (a header may hold anything): the fields filled, the options, the size.
        after: {
          fileKind: row.fileKind,
          totalRows: row.totalRows,
          fields: [...new Set(plan.mapped.map((m) => m.target))].sort(),
          ...options,
        },
      },
    });
    await deps.queue.send(
      deps.runJob,
      { importId: id },
      { tenantId: principal.tenantId, tx, idempotencyKey: `imports.run:${id}` },
    );
    return toView(await mustFind(tx, principal, id), null);
  });
}

/** Stops a running import after its current batch (what was committed stays), or drops an uploaded one's file. */
export async function cancelImport(
  deps: Pick<ImportsDeps, 'db'>,
  principal: Principal,
  id: string,
): Promise<ImportView> {
  return withPrincipal(deps.db, principal, async (tx) => {
    const row = await lockOwn(tx, principal, id);
    if (row.status !== 'running' && row.status !== 'uploaded') {
      throw importsError(
        'IMPORTS_WRONG_STATE',
        `The import is ${row.status}; only an uploaded or running import can be cancelled.`,
      );
    }
    await endImport(tx, row, 'cancelled', null);
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      actor: auditActorOf(principal),
      action: 'import.cancelled',
      entityType: 'data_import',
      entityId: id,
      changes: {
        kind: 'settings',
        before: { status: row.status },
        after: { status: 'cancelled', ...countsOf(row) },
      },
    });
    return toView(await mustFind(tx, principal, id), null);
  });
}

/** Removes an import and its error report; a running one is cancelled first. */
export async function deleteImport(
  deps: Pick<ImportsDeps, 'db'>,
  principal: Principal,
  id: string,
): Promise<void> {
  await withPrincipal(deps.db, principal, async (tx) => {
    const row = await lockOwn(tx, principal, id);
    await repo.deleteImport(tx, id);
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      actor: auditActorOf(principal),
      action: 'import.deleted',
      entityType: 'data_import',
      entityId: id,
      changes: { kind: 'settings', before: { status: row.status, ...countsOf(row) }, after: null },
    });
  });
}

/** Ends an import for good: its status, when, why; the stored file goes. */
export async function endImport(
  tx: TenantTx,
  row: Pick<repo.ImportRow, 'id'>,
  status: 'completed' | 'failed' | 'cancelled',
  errorCode: string | null,
): Promise<void> {
  await repo.updateImport(tx, row.id, { status, errorCode, finishedAt: new Date() });
  await repo.deleteChunks(tx, row.id);
}

export function countsOf(row: repo.ImportRow) {
  return {
    totalRows: row.totalRows,
    processedRows: row.nextRow,
    created: row.createdCount,
    updated: row.updatedCount,
    skipped: row.skippedCount,
    failed: row.failedCount,
  };
}

// ---------------------------------------------------------------------------------------------
// The error report
// ---------------------------------------------------------------------------------------------

export async function listImportErrors(
  deps: Pick<ImportsDeps, 'db'>,
  principal: Principal,
  id: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: ImportErrorView[]; nextCursor: string | null }> {
  return withPrincipal(deps.db, principal, async (tx) => {
    const row = await mustFind(tx, principal, id);
    const after = page.cursor === undefined ? 0 : Number(page.cursor);
    const stored = await repo.listErrors(tx, id, after, page.limit + 1);
    const more = stored.length > page.limit;
    const items = (more ? stored.slice(0, page.limit) : stored).map((e) => errorView(row.columns, e));
    const last = items.at(-1);
    return { items, nextCursor: more && last ? String(last.rowNumber) : null };
  });
}

function errorView(columns: readonly string[], stored: repo.StoredErrorRow): ImportErrorView {
  const cells = JSON.parse(stored.cells) as unknown[];
  return {
    rowNumber: stored.rowNumber,
    values: Object.fromEntries(
      columns.map((c, i) => [c, typeof cells[i] === 'string' ? (cells[i] as string) : '']),
    ),
    errors: storedRowErrorSchema.array().parse(JSON.parse(stored.errors)),
  };
}

/** The owner's import, for the CSV report (checked before the first byte is sent). */
export async function reportSource(
  deps: Pick<ImportsDeps, 'db'>,
  principal: Principal,
  id: string,
): Promise<{ row: repo.ImportRow; pages: AsyncIterable<ImportErrorView[]> }> {
  const row = await withPrincipal(deps.db, principal, (tx) => mustFind(tx, principal, id));
  async function* pages(): AsyncGenerator<ImportErrorView[]> {
    let after = 0;
    for (;;) {
      const stored = await withPrincipal(deps.db, principal, (tx) => repo.listErrors(tx, id, after, 1000));
      if (stored.length === 0) return;
      yield stored.map((e) => errorView(row.columns, e));
      after = stored.at(-1)?.rowNumber ?? after;
      if (stored.length < 1000) return;
    }
  }
  return { row, pages: pages() };
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export function toView(row: repo.ImportRow, preview: SheetRow[] | null): ImportView {
  const options = row.options ? storedOptionsSchema.parse(JSON.parse(row.options)) : null;
  const processed = row.nextRow;
  return {
    id: row.id,
    status: row.status,
    fileName: row.fileName,
    fileKind: row.fileKind,
    byteSize: Number(row.byteSize),
    encoding: row.encoding,
    delimiter: row.delimiter,
    sheet: row.sheet,
    sheets: row.sheets,
    columns: row.columns,
    suggestedMapping: storedMappingSchema.parse(JSON.parse(row.suggestedMapping)),
    preview,
    mapping: row.mapping ? storedMappingSchema.parse(JSON.parse(row.mapping)) : null,
    dedupe: options?.dedupe ?? null,
    tags: options?.tags ?? null,
    defaultCountry: options?.defaultCountry ?? null,
    totalRows: row.totalRows,
    processedRows: processed,
    created: row.createdCount,
    updated: row.updatedCount,
    skipped: row.skippedCount,
    failed: row.failedCount,
    progress:
      row.status === 'completed' ? 1 : row.totalRows === 0 ? 0 : Math.min(1, processed / row.totalRows),
    errorCode: row.errorCode,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
