import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith, queryString } from '../../../api/schemas.ts';

export const CHANGE_STATUSES = ['open', 'done'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** One change a contact made that staff may have to act on (e.g. take them off a mailing list). */
export const changeSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  /** The contact's display name where the server gives one. */
  contactName: z.string().nullish(),
  kind: z.enum(['consent', 'subscription']),
  summary: z.object({
    questionId: z.string().nullish(),
    newsletterId: z.string().nullish(),
    from: z.string().nullable(),
    to: z.string(),
  }),
  /** Kind consent: the question as worded in the version answered, and the answers' labels. */
  question: z.string().nullish(),
  from: z.string().nullish(),
  to: z.string().nullish(),
  createdAt: z.string(),
  processedAt: z.string().nullable(),
  processedBy: z.string().nullable(),
  actionTaken: z.string().nullable(),
});
export type ConsentChange = z.infer<typeof changeSchema>;

const changePageSchema = z.object({ items: z.array(changeSchema), nextCursor: z.string().nullable() });

export const openCountSchema = z.object({ open: z.number(), oldestOpenAt: z.string().nullable() });
export type OpenCount = z.infer<typeof openCountSchema>;

const basePath = '/api/v1/consent-changes';

export function listChanges(
  params: { status: ChangeStatus; lang?: string; limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
) {
  return apiFetch(`${basePath}${queryString(params)}`, parseWith(changePageSchema), { signal });
}

export function countOpenChanges(signal?: AbortSignal): Promise<OpenCount> {
  return apiFetch(`${basePath}/count`, parseWith(openCountSchema), { signal });
}

export function processChange(id: string, actionTaken: string): Promise<ConsentChange> {
  return apiFetch(`${basePath}/${encodeURIComponent(id)}/process`, parseWith(changeSchema), {
    method: 'POST',
    json: { actionTaken },
  });
}
