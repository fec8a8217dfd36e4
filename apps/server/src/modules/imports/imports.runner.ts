import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import type { JobContext } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordAudit } from '../audit/index.ts';
import {
  type CustomFieldDefinition,
  contactCustomFields,
  type ImportPrincipal,
  importContacts,
} from '../contacts/index.ts';
import { grantsOfUser } from '../identity/index.ts';
import type { DataRow, RowOutcome } from './imports.check.ts';
import { inlineChecker, threadChecker } from './imports.checker.ts';
import { IMPORT_FAILURES } from './imports.errors.ts';
import { type Delimiter, dataRows } from './imports.file.ts';
import { columnOfError, planRows, type RowPlan } from './imports.mapping.ts';
import * as repo from './imports.repository.ts';
import { BATCH_ROWS, storedMappingSchema, storedOptionsSchema } from './imports.schema.ts';
import { countsOf, endImport, fileRows, storedBytes } from './imports.service.ts';

/**
 * The job's side of an import. The file is read from its stored chunks in order; rows are
 * checked as they come (mapping, then the contact rules) and written in batches of
 * BATCH_ROWS, each in one transaction together with the checkpoint (`next_row`) and the rows'
 * error report. A run that starts again (after a crash, a retry, a second delivery) skips the
 * rows before the checkpoint: every row is written exactly once. A batch commits only if the
 * checkpoint is still where this run expects it and the import still running, so a cancelled
 * import stops after the batch in flight, and two runs of one import never both write a batch.
 *
 * While the database writes a batch, the next one is checked (in a worker thread, see
 * imports.checker.ts) and the one after it read: on PostgreSQL three things at once, on the
 * embedded database (whose queries run on this thread) still two.
 */

type RunnerDeps = { db: Kysely<Tables>; logger: Logger };

type Batch = { start: number; rows: RowOutcome[] };

export type RunOptions = {
  batchRows?: number;
  /** false: check rows on the job's own thread (default: a worker thread for larger imports). */
  checkInThread?: boolean;
};

/** Runs (or resumes) an import to its end; returns without work when it is not running. */
export async function runImport(
  deps: RunnerDeps,
  ctx: JobContext,
  job: { tenantId: string; importId: string; idempotencyKey: string },
  options: RunOptions = {},
): Promise<void> {
  const { db } = deps;
  const { tenantId, importId } = job;
  const inTenant = <T>(work: (tx: TenantTx) => Promise<T>) => withTenant(db, tenantId, work);
  const row = await inTenant((tx) => repo.lockImport(tx, importId));
  if (row?.status !== 'running') return;
  const settings = storedOptionsSchema.parse(JSON.parse(row.options ?? 'null'));
  const mapping = storedMappingSchema.parse(JSON.parse(row.mapping ?? 'null'));

  // The creator's grants now: someone who lost the right imports nothing more.
  const grants = await inTenant((tx) => grantsOfUser(tx, row.createdBy));
  if (
    !grants?.rights.has('contacts:create') ||
    (settings.dedupe === 'update' && !grants.rights.has('contacts:update'))
  ) {
    await fail(deps, tenantId, importId, IMPORT_FAILURES.creatorLacksRight);
    return;
  }
  const principal: ImportPrincipal = { tenantId, contactScope: grants.contactScope };
  const definitions = await inTenant((tx) => contactCustomFields(tx));
  let plan: RowPlan;
  try {
    plan = planRows(row.columns, { mapping, ...settings }, definitions);
  } catch (error) {
    // A custom field of the mapping was deleted since the start.
    if (error instanceof AppError) {
      await fail(deps, tenantId, importId, error.code);
      return;
    }
    throw error;
  }

  const batchRows = options.batchRows ?? BATCH_ROWS;
  const file = fileRows(storedBytes(db, tenantId, importId), {
    kind: row.fileKind,
    encoding: row.encoding,
    delimiter: row.delimiter as Delimiter | null,
    sheet: row.sheet,
  });
  const context: BatchContext = {
    ...job,
    principal,
    dedupe: settings.dedupe,
    definitions,
    actorKind: row.actorKind,
    createdBy: row.createdBy,
    columnOf: (path) => columnOfError(plan, path) ?? null,
  };
  const setup = { columns: row.columns, settings: { mapping, ...settings }, definitions };
  // A worker thread pays off beyond a couple of batches; it starts in ~0.3 s.
  const checker =
    row.totalRows - row.nextRow > 2 * batchRows && options.checkInThread !== false
      ? threadChecker(setup)
      : inlineChecker(setup);

  // Three stages at once: this thread reads batch N+1 while the checker checks batch N and the
  // database writes batch N-1. Batches commit in order, each after the one before.
  let index = 0;
  let start = row.nextRow;
  let raw: DataRow[] = [];
  let inFlight: Promise<boolean> | undefined;
  const took = { started: performance.now(), waitMs: 0 };
  const settled = async (pending: Promise<boolean>) => {
    const waiting = performance.now();
    const goOn = await pending;
    took.waitMs += performance.now() - waiting;
    return goOn;
  };
  const send = async (): Promise<boolean> => {
    const batch = { start, rows: raw };
    const checked = checker.check(raw);
    checked.catch(() => undefined);
    start += raw.length;
    raw = [];
    if (inFlight && !(await settled(inFlight))) return false;
    inFlight = checked.then((rows) => commitBatch(deps, ctx, context, { start: batch.start, rows }));
    // Handled when awaited; marked handled now, so a failure while the next batch is read is no crash.
    inFlight.catch(() => undefined);
    return true;
  };
  try {
    for await (const data of dataRows(file.rows, row.columns.length)) {
      // Rows arrive as resolved promises: without a pause now and then, timers and I/O (the
      // HTTP requests of an embedded server, the database's answers) would wait for the file.
      if (index % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
      if (index++ < row.nextRow) continue;
      raw.push(data);
      if (raw.length >= batchRows && !(await send())) return;
    }
    if (raw.length > 0 && !(await send())) return;
    if (inFlight && !(await settled(inFlight))) return;
  } catch (error) {
    await inFlight?.catch(() => undefined);
    if (error instanceof AppError && error.code === 'IMPORTS_UNREADABLE_FILE') {
      await fail(deps, tenantId, importId, IMPORT_FAILURES.unreadable);
      return;
    }
    throw error;
  } finally {
    await checker.close();
  }
  // What the run spent its time on: all of it, and how much of it this thread waited for the
  // checker and the database.
  deps.logger.info(
    {
      importId,
      rows: index - row.nextRow,
      seconds: Math.round(performance.now() - took.started) / 1000,
      waitSeconds: Math.round(took.waitMs) / 1000,
    },
    'import read to its end',
  );
  await ctx.once(async (tx) => {
    const current = await repo.lockImport(tx, importId);
    if (current?.status !== 'running') return;
    await repo.updateImport(tx, importId, { totalRows: current.nextRow });
    await endImport(tx, current, 'completed', null);
    await recordAudit(tx, {
      tenantId,
      actor: { kind: current.actorKind, userId: current.createdBy },
      action: 'import.completed',
      entityType: 'data_import',
      entityId: importId,
      changes: {
        kind: 'settings',
        before: { status: 'running' },
        after: { status: 'completed', ...countsOf({ ...current, totalRows: current.nextRow }) },
      },
    });
  }, `${job.idempotencyKey}:done`);
}

type BatchContext = {
  tenantId: string;
  importId: string;
  idempotencyKey: string;
  principal: ImportPrincipal;
  dedupe: 'update' | 'skip' | 'create';
  definitions: readonly CustomFieldDefinition[];
  actorKind: 'user' | 'api_token';
  createdBy: string;
  /** The column an error of a field is reported under. */
  columnOf: (path: string) => string | null;
};

/**
 * Writes one batch with its checkpoint, once (ctx.once, keyed by the batch's first row).
 * Answers whether the import goes on: false when it was cancelled, or when the checkpoint is not
 * where this run expects it (another run of the same import got there first).
 */
async function commitBatch(
  deps: RunnerDeps,
  ctx: JobContext,
  b: BatchContext,
  batch: Batch,
): Promise<boolean> {
  let goOn = true;
  await ctx.once(async (tx) => {
    const current = await repo.lockImport(tx, b.importId);
    if (current?.status !== 'running' || current.nextRow !== batch.start) {
      goOn = false;
      return;
    }
    if (b.principal.contactScope) {
      await sql`select set_config('app.contact_scope', ${JSON.stringify(b.principal.contactScope)}, true)`.execute(
        tx,
      );
    }
    const prepared = batch.rows.flatMap((r) => (r.kind === 'prepared' ? [r.row] : []));
    const result = await importContacts(tx, b.principal, prepared, {
      dedupe: b.dedupe,
      definitions: b.definitions,
    });
    const outcomes = new Map(result.outcomes.map((o) => [o.ref, o]));
    const counts = { rows: batch.rows.length, created: 0, updated: 0, skipped: 0, failed: 0 };
    const errorRows: repo.ErrorRowValues[] = [];
    for (const r of batch.rows) {
      if (r.kind === 'failed') {
        counts.failed += 1;
        errorRows.push({ rowNumber: r.rowNumber, cells: r.cells, errors: r.errors });
        continue;
      }
      const outcome = outcomes.get(r.row.ref);
      if (!outcome) throw new Error('importContacts answered no outcome for a row');
      if (outcome.outcome === 'failed') {
        counts.failed += 1;
        errorRows.push({
          rowNumber: r.row.ref,
          cells: r.cells,
          errors: outcome.errors.map((e) => ({
            path: e.path,
            column: b.columnOf(e.path),
            message: e.message,
          })),
        });
      } else counts[outcome.outcome] += 1;
    }
    await repo.insertErrors(tx, b.tenantId, b.importId, errorRows);
    await repo.advanceImport(tx, b.importId, counts);
    if (result.fields.length > 0) {
      // One entry per batch, in its transaction: the import and the names of the fields written.
      // The import's record holds the counts; per-contact entries would cost a chained hash each.
      await recordAudit(tx, {
        tenantId: b.tenantId,
        actor: { kind: b.actorKind, userId: b.createdBy },
        action: 'contact.imported',
        entityType: 'data_import',
        entityId: b.importId,
        changes: { kind: 'personal-data', fields: result.fields },
      });
    }
  }, `${b.idempotencyKey}:rows:${batch.start}`);
  if (!goOn) deps.logger.info({ importId: b.importId }, 'import stopped: cancelled, or another run is ahead');
  return goOn;
}

/** Ends the import as failed, with why; the rows committed so far stay imported. */
export async function fail(
  deps: RunnerDeps,
  tenantId: string,
  importId: string,
  errorCode: string,
): Promise<void> {
  await withTenant(deps.db, tenantId, async (tx) => {
    const current = await repo.lockImport(tx, importId);
    if (!current || (current.status !== 'running' && current.status !== 'uploaded')) return;
    await endImport(tx, current, 'failed', errorCode);
    await recordAudit(tx, {
      tenantId,
      actor: { kind: 'system' },
      action: 'import.failed',
      entityType: 'data_import',
      entityId: importId,
      changes: {
        kind: 'settings',
        before: { status: current.status },
        after: { status: 'failed', errorCode, ...countsOf(current) },
      },
    });
  });
  deps.logger.warn({ importId, errorCode }, 'import failed');
}
