import { z } from 'zod';
import { ApiError, apiFetch, isRecord, readCookie } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

/** Whose documents: a contact's or a company's (`/api/v1/<owner>/{id}/documents`). */
export type DocumentOwner = 'contacts' | 'companies';

const documentSchema = z.object({
  id: z.string(),
  // Null, or masked (`V***.pdf`), when the user's roles do not show documents in full.
  fileName: z.string().nullable(),
  contentType: z.string(),
  size: z.number(),
  createdAt: z.string(),
  // Who uploaded it; null for uploads of the system (a form) and of deleted users.
  uploadedBy: z.object({ userId: z.string(), email: z.string() }).nullable().optional(),
});
export type StoredDocument = z.infer<typeof documentSchema>;

const documentPageSchema = pageSchema(documentSchema);
export type DocumentPage = z.infer<typeof documentPageSchema>;

const documentsPath = (owner: DocumentOwner, ownerId: string) =>
  `/api/v1/${owner}/${encodeURIComponent(ownerId)}/documents`;

export function listDocuments(
  owner: DocumentOwner,
  ownerId: string,
  params: { limit: number; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<DocumentPage> {
  return apiFetch(`${documentsPath(owner, ownerId)}${queryString(params)}`, parseWith(documentPageSchema), {
    signal,
  });
}

/** Where the browser downloads a document from (the session cookie authorises it). */
export function documentContentUrl(documentId: string): string {
  return `/api/v1/documents/${encodeURIComponent(documentId)}/content`;
}

export function deleteDocument(documentId: string): Promise<void> {
  return apiFetch(`/api/v1/documents/${encodeURIComponent(documentId)}`, ignoreBody, { method: 'DELETE' });
}

/**
 * Uploads one file as the multipart part `file`. `apiFetch` sends JSON only, so this does the
 * same steps by hand: the CSRF header, and a problem+json answer turned into an `ApiError`
 * (413 too large, 415 or 400 for a type the server does not take).
 */
export async function uploadDocument(owner: DocumentOwner, ownerId: string, file: File): Promise<void> {
  const body = new FormData();
  body.append('file', file, file.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrfToken = readCookie('kontor_csrf');
  if (csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(documentsPath(owner, ownerId), {
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
  // The list is read again after an upload; the answer's body is not needed.
}
