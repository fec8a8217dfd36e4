import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith } from '../../../api/schemas.ts';
import { SELECTION_PURPOSES, type SelectionPurpose } from '../filter.ts';

/** A filter in the server's language: `{ all: [...] }`, `{ any: [...] }`, `{ not }` or a leaf. */
export type FilterJson = Record<string, unknown>;

export const selectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  /** general: any use; marketing: never holds a contact with a prohibition. */
  purpose: z.enum(SELECTION_PURPOSES).default('general'),
  filter: z.record(z.string(), z.unknown()),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Selection = z.infer<typeof selectionSchema>;

const selectionPageSchema = pageSchema(selectionSchema);
const countSchema = z.object({ count: z.number() });

const selectionPath = (id: string) => `/api/v1/selections/${encodeURIComponent(id)}`;

export function listSelections(signal?: AbortSignal) {
  return apiFetch('/api/v1/selections?limit=100', parseWith(selectionPageSchema), { signal });
}

export function getSelection(id: string, signal?: AbortSignal): Promise<Selection> {
  return apiFetch(selectionPath(id), parseWith(selectionSchema), { signal });
}

/** How many contacts a filter matches now (the live count while it is edited). */
export async function countFilter(
  filter: FilterJson,
  purpose: SelectionPurpose,
  signal?: AbortSignal,
): Promise<number> {
  const { count } = await apiFetch('/api/v1/selections/count', parseWith(countSchema), {
    method: 'POST',
    json: { filter, purpose },
    signal,
  });
  return count;
}

export function createSelection(input: {
  name: string;
  description?: string | null;
  purpose: SelectionPurpose;
  filter: FilterJson;
}) {
  return apiFetch('/api/v1/selections', parseWith(selectionSchema), { method: 'POST', json: input });
}

export function updateSelection(
  id: string,
  changes: { name?: string; description?: string | null; purpose?: SelectionPurpose; filter?: FilterJson },
): Promise<Selection> {
  return apiFetch(selectionPath(id), parseWith(selectionSchema), { method: 'PATCH', json: changes });
}

export function deleteSelection(id: string): Promise<void> {
  return apiFetch(selectionPath(id), ignoreBody, { method: 'DELETE' });
}
