import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import type { JobDefinition } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { ApprovalHandler, ApprovalsService } from '../approvals/index.ts';
import { getSelection, selectContactIds, visibleContactIds } from '../contacts/index.ts';
import { exportsError } from './exports.errors.ts';
import { type ExportFormat, FILE_EXTENSIONS } from './exports.formats.ts';
import { orderedFields } from './exports.layout.ts';
import * as repo from './exports.repository.ts';
import {
  type CreatedExport,
  type CreateExportInput,
  type ExportSource,
  type ExportSubject,
  type ExportView,
  exportSubjectSchema,
  MAX_EXPORT_RECORDS,
} from './exports.schema.ts';

/**
 * Use cases of exports. Asking resolves the records — all, ids, a filter or a saved selection —
 * under the requester's rights (RLS and contact scope of the caller's transaction, field access
 * for the filter) and fixes them: an export holds those records, an approval covers exactly
 * those. Up to the tenant's threshold the job is queued at once; above it, an approval request
 * goes to the privacy officer and nothing is read until it is approved.
 */

export type ProduceExportPayload = { exportId: string };

export type ExportsDeps = {
  queue: Pick<JobQueue, 'send'>;
  approvals: ApprovalsService;
  /** The job that produces a file (exports.jobs.ts). */
  produceJob: JobDefinition<ProduceExportPayload>;
};

/** One idempotency key per export: a job sent twice (a retried decision) produces one file. */
export const produceKeyOf = (exportId: string) => `exports.produce:${exportId}`;

const ID_PAGE = 10_000;

/** The records of a source, as the principal sees them (at most MAX_EXPORT_RECORDS + 1). */
async function resolveIds(
  tx: TenantTx,
  principal: Principal,
  source: ExportSource,
  filter: unknown,
  purpose: 'general' | 'marketing' = 'general',
) {
  if (source.kind === 'all' || source.kind === 'ids') {
    return visibleContactIds(tx, source, MAX_EXPORT_RECORDS + 1);
  }
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    // A marketing selection exports what it matches for marketing: prohibitions suppressed.
    const page = await selectContactIds(tx, principal, filter, { limit: ID_PAGE, cursor }, { purpose });
    ids.push(...page.ids);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length <= MAX_EXPORT_RECORDS);
  return ids;
}

/** A saved selection's name and filter; an unknown one is a bad field of the request. */
async function selectionOf(tx: TenantTx, id: string) {
  try {
    const selection = await getSelection(tx, id);
    return {
      name: selection.name,
      filter: z.record(z.string(), z.json()).parse(selection.filter),
      purpose: selection.purpose,
    };
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') {
      throw exportsError('EXPORTS_SELECTION_NOT_FOUND', 'There is no such selection.', [
        { path: 'selectionId', message: 'is not a selection of this tenant' },
      ]);
    }
    throw error;
  }
}

export async function requestExport(
  tx: TenantTx,
  principal: Principal,
  input: CreateExportInput,
  deps: ExportsDeps,
): Promise<CreatedExport> {
  const selection = input.selectionId ? await selectionOf(tx, input.selectionId) : undefined;
  const source: ExportSource = input.ids
    ? { kind: 'ids', ids: [...new Set(input.ids)].sort() }
    : input.filter
      ? { kind: 'filter', filter: z.record(z.string(), z.json()).parse(input.filter) }
      : input.selectionId
        ? { kind: 'selection', selectionId: input.selectionId }
        : { kind: 'all' };
  const filter = source.kind === 'filter' ? source.filter : selection?.filter;
  const ids = await resolveIds(
    tx,
    principal,
    source,
    filter,
    source.kind === 'selection' ? selection?.purpose : undefined,
  );
  const path = { ids: 'ids', filter: 'filter', selection: 'selectionId', all: undefined }[source.kind];
  if (ids.length === 0) {
    throw exportsError(
      'EXPORTS_NOTHING_TO_EXPORT',
      'None of the contacts asked for are ones you may see.',
      path ? [{ path, message: 'matches no contact you may see' }] : undefined,
    );
  }
  if (ids.length > MAX_EXPORT_RECORDS) {
    throw exportsError(
      'EXPORTS_TOO_LARGE',
      `An export holds at most ${MAX_EXPORT_RECORDS} contacts; narrow it down with a selection.`,
      [{ path: path ?? '(body)', message: `matches more than ${MAX_EXPORT_RECORDS} contacts` }],
    );
  }
  const fields = input.fields ? orderedFields(input.fields) : null;
  const options: Record<string, string> = input.format === 'csv' ? { delimiter: input.delimiter ?? ',' } : {};
  const threshold = await repo.bulkExportThreshold(tx);
  const exportId = randomUUID();
  const row = {
    id: exportId,
    tenantId: principal.tenantId,
    requestedBy: principal.userId,
    format: input.format,
    source: JSON.stringify(source),
    recordIds: ids,
    recordCount: ids.length,
    fields,
    options: JSON.stringify(options),
    reason: input.reason ?? null,
  };

  if (ids.length <= threshold) {
    await repo.insertExport(tx, { ...row, status: 'queued', approvalId: null });
    await deps.queue.send(
      deps.produceJob,
      { exportId },
      { tenantId: principal.tenantId, tx, idempotencyKey: produceKeyOf(exportId) },
    );
    return { id: exportId, status: 'queued', count: ids.length, approvalId: null };
  }

  // Above the threshold: nothing is read until the privacy officer approves.
  const shown: ExportSubject['source'] =
    source.kind === 'selection'
      ? {
          kind: 'selection',
          selectionId: source.selectionId,
          name: selection?.name ?? '',
          filter: selection?.filter ?? {},
        }
      : source.kind === 'filter'
        ? source
        : source.kind === 'ids'
          ? { kind: 'ids' }
          : { kind: 'all' };
  const subject: ExportSubject = {
    exportId,
    recordType: 'contact',
    format: input.format,
    fields,
    count: ids.length,
    threshold,
    source: shown,
    options,
  };
  const { approval, created } = await deps.approvals.request(tx, principal, {
    kind: 'export',
    subject,
    // The audit log keeps no filter: its values may be personal data.
    outline: {
      exportId,
      format: input.format,
      fields,
      count: ids.length,
      threshold,
      source:
        source.kind === 'selection'
          ? { kind: 'selection', selectionId: source.selectionId }
          : { kind: source.kind },
    },
    sameAs: { recordType: 'contact', format: input.format, fields, options, source },
    reason: input.reason ?? null,
  });
  if (!created) {
    // The same export is already waiting: that request (and its export) stands.
    const waiting = exportSubjectSchema.parse(approval.subject);
    return {
      id: waiting.exportId,
      status: 'awaiting_approval',
      count: waiting.count,
      approvalId: approval.id,
    };
  }
  await repo.insertExport(tx, { ...row, status: 'awaiting_approval', approvalId: approval.id });
  return { id: exportId, status: 'awaiting_approval', count: ids.length, approvalId: approval.id };
}

/** One export of the caller's; another user's (or tenant's) is not found. */
export async function getExport(tx: TenantTx, principal: Principal, id: string): Promise<ExportView> {
  return toView(await ownExport(tx, principal, id));
}

export async function listExports(
  tx: TenantTx,
  principal: Principal,
  query: { limit: number; cursor?: string | undefined },
) {
  const rows = await repo.listExports(tx, principal.userId, {
    limit: query.limit,
    after: decodeCursor(query.cursor),
  });
  return toPage(rows, query.limit, toView);
}

export type ExportFile = { fileName: string; contentType: string; byteSize: number; blobKey: string };

/** Where the file of a ready export is, for its requester only. */
export async function findExportFile(tx: TenantTx, principal: Principal, id: string): Promise<ExportFile> {
  const row = await ownExport(tx, principal, id);
  if (row.status === 'expired') throw fileGone();
  if (row.status !== 'ready' || row.fileName === null) {
    throw exportsError(
      'EXPORTS_NOT_READY',
      `The export is ${row.status}; there is no file to download.`,
      undefined,
      {
        members: { exportStatus: row.status },
      },
    );
  }
  const file = await repo.findFile(tx, id);
  if (!file) throw fileGone();
  return { fileName: row.fileName, ...file };
}

export const fileGone = () =>
  exportsError('EXPORTS_FILE_GONE', 'The file was deleted 24 hours after it was made; export again.');

/** `kontor-contacts-20261130-1015.csv` */
export function fileNameOf(format: ExportFormat, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  return `kontor-contacts-${stamp}.${FILE_EXTENSIONS[format]}`;
}

/**
 * What an approval of kind `export` starts: the export's job, sent in the decision's
 * transaction. A rejected, withdrawn or lapsed request leaves the export rejected, cancelled or
 * expired, and no file is ever made.
 */
export function exportApprovalHandler(produceJob: JobDefinition<ProduceExportPayload>): ApprovalHandler {
  return {
    kind: 'export',
    async onApproved(tx, request, ctx) {
      const { exportId } = exportSubjectSchema.parse(request.subject);
      if (await repo.markQueued(tx, exportId, request.id)) {
        await ctx.queue.send(
          produceJob,
          { exportId },
          { tenantId: request.tenantId, tx, idempotencyKey: produceKeyOf(exportId) },
        );
      }
    },
    async onClosed(tx, request, outcome) {
      const { exportId } = exportSubjectSchema.parse(request.subject);
      await repo.closeAwaiting(tx, exportId, request.id, outcome);
    },
  };
}

async function ownExport(tx: TenantTx, principal: Principal, id: string): Promise<repo.ExportRow> {
  const row = await repo.findExport(tx, id);
  if (!row || row.requestedBy !== principal.userId) {
    throw exportsError('EXPORTS_NOT_FOUND', 'There is no such export of yours.');
  }
  return row;
}

const iso = (d: Date | string | null) =>
  d === null ? null : (typeof d === 'string' ? new Date(d) : d).toISOString();

function toView(row: repo.ExportRow): ExportView {
  return {
    id: row.id,
    status: row.status,
    format: row.format as ExportFormat,
    count: row.recordCount,
    exportedCount: row.exportedCount,
    fields: row.fields,
    reason: row.reason,
    approvalId: row.approvalId,
    errorCode: row.errorCode,
    fileName: row.fileName,
    byteSize: row.byteSize,
    createdAt: row.createdAt.toISOString(),
    finishedAt: iso(row.finishedAt),
    expiresAt: iso(row.expiresAt),
  };
}
