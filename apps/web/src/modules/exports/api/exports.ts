import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith } from '../../../api/schemas.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'vcard'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_STATUSES = [
  'awaiting_approval',
  'queued',
  'running',
  'ready',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

const createdSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'awaiting_approval']),
  count: z.number(),
  approvalId: z.string().nullable(),
});
export type CreatedExport = z.infer<typeof createdSchema>;

export const exportSchema = z.object({
  id: z.string(),
  status: z.enum(EXPORT_STATUSES),
  format: z.enum(EXPORT_FORMATS),
  count: z.number(),
  exportedCount: z.number().nullable(),
  reason: z.string().nullable(),
  approvalId: z.string().nullable(),
  errorCode: z.string().nullable(),
  fileName: z.string().nullable(),
  byteSize: z.number().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type Export = z.infer<typeof exportSchema>;

/** Which contacts: these ids, a selection filter, a saved selection, or (none given) all. */
export type ExportSource =
  | { kind: 'all' }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'filter'; filter: Record<string, unknown> }
  | { kind: 'selection'; selectionId: string; name: string };

export type CreateExportInput = {
  format: ExportFormat;
  source: ExportSource;
  delimiter?: ',' | ';' | undefined;
  reason?: string | undefined;
};

export function createExport({
  format,
  source,
  delimiter,
  reason,
}: CreateExportInput): Promise<CreatedExport> {
  const body: Record<string, unknown> = { format };
  if (source.kind === 'ids') body.ids = source.ids;
  if (source.kind === 'filter') body.filter = source.filter;
  if (source.kind === 'selection') body.selectionId = source.selectionId;
  if (format === 'csv' && delimiter) body.delimiter = delimiter;
  if (reason && reason.trim() !== '') body.reason = reason.trim();
  return apiFetch('/api/v1/exports', parseWith(createdSchema), { method: 'POST', json: body });
}

export function getExport(id: string, signal?: AbortSignal): Promise<Export> {
  return apiFetch(`/api/v1/exports/${encodeURIComponent(id)}`, parseWith(exportSchema), { signal });
}

/** Where the browser downloads a ready export (an attachment, streamed by the server). */
export const exportDownloadUrl = (id: string) => `/api/v1/exports/${encodeURIComponent(id)}/download`;
