import { z } from 'zod';
import { ApiError, apiFetch, isRecord, readCookie } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith } from '../../../api/schemas.ts';

export const IMPORT_STATUSES = [
  'uploading',
  'uploaded',
  'running',
  'completed',
  'failed',
  'cancelled',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const DEDUPE_MODES = ['update', 'skip', 'create'] as const;
export type DedupeMode = (typeof DEDUPE_MODES)[number];

export const importSchema = z.object({
  id: z.string(),
  status: z.enum(IMPORT_STATUSES),
  fileName: z.string(),
  fileKind: z.enum(['csv', 'xlsx']),
  byteSize: z.number(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  sheets: z.array(z.string()),
  columns: z.array(z.string()),
  suggestedMapping: z.record(z.string(), z.string()),
  preview: z.array(z.object({ rowNumber: z.number(), cells: z.array(z.string()) })).nullable(),
  mapping: z.record(z.string(), z.string()).nullable(),
  dedupe: z.enum(DEDUPE_MODES).nullable(),
  tags: z.array(z.string()).nullable(),
  defaultCountry: z.string().nullable(),
  totalRows: z.number(),
  processedRows: z.number(),
  created: z.number(),
  updated: z.number(),
  skipped: z.number(),
  failed: z.number(),
  progress: z.number(),
  errorCode: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Import = z.infer<typeof importSchema>;

const importPageSchema = pageSchema(importSchema);

const importPath = (id: string) => `/api/v1/imports/${encodeURIComponent(id)}`;

export function listImports(signal?: AbortSignal) {
  return apiFetch('/api/v1/imports?limit=50', parseWith(importPageSchema), { signal });
}

export function getImport(id: string, signal?: AbortSignal): Promise<Import> {
  return apiFetch(importPath(id), parseWith(importSchema), { signal });
}

/** Where the browser downloads the rows that were not imported (CSV, the file's delimiter). */
export const errorReportUrl = (id: string) => `${importPath(id)}/errors.csv`;

/**
 * Uploads a CSV or XLSX file as the multipart part `file`. `apiFetch` sends JSON only, so this
 * does its steps by hand: the CSRF header, and a problem+json answer turned into an `ApiError`.
 */
export async function uploadImport(file: File): Promise<Import> {
  const body = new FormData();
  body.append('file', file, file.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrfToken = readCookie('kontor_csrf');
  if (csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  const response = await fetch('/api/v1/imports', {
    method: 'POST',
    credentials: 'same-origin',
    headers,
    body,
  });
  const text = await response.text();
  let decoded: unknown = text;
  try {
    decoded = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // not JSON: kept as text
  }
  if (!response.ok) {
    const problem = isRecord(decoded) ? decoded : {};
    throw new ApiError(
      {
        type: typeof problem.type === 'string' ? problem.type : 'about:blank',
        title: typeof problem.title === 'string' ? problem.title : response.statusText,
        status: response.status,
        detail: typeof problem.detail === 'string' ? problem.detail : undefined,
        code: typeof problem.code === 'string' ? problem.code : undefined,
        errors: Array.isArray(problem.errors)
          ? problem.errors.filter(
              (e): e is { path: string; message: string } =>
                isRecord(e) && typeof e.path === 'string' && typeof e.message === 'string',
            )
          : undefined,
      },
      decoded,
    );
  }
  return importSchema.parse(decoded);
}

export type ReadingInput = { sheet?: string; delimiter?: string; encoding?: string };

/** Reads the uploaded file again with another sheet, delimiter or encoding. */
export function rereadImport(id: string, reading: ReadingInput): Promise<Import> {
  return apiFetch(importPath(id), parseWith(importSchema), { method: 'PATCH', json: reading });
}

export type StartImportInput = {
  mapping: Record<string, string>;
  dedupe: DedupeMode;
  tags: string[];
  defaultCountry: string | null;
};

export function startImport(id: string, input: StartImportInput): Promise<Import> {
  return apiFetch(`${importPath(id)}/start`, parseWith(importSchema), { method: 'POST', json: input });
}

export function cancelImport(id: string): Promise<void> {
  return apiFetch(`${importPath(id)}/cancel`, ignoreBody, { method: 'POST' });
}

export function deleteImport(id: string): Promise<void> {
  return apiFetch(importPath(id), ignoreBody, { method: 'DELETE' });
}
