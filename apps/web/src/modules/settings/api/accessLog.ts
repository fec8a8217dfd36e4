import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

export const accessRecordTypes = ['contact', 'company'] as const;
export type AccessRecordType = (typeof accessRecordTypes)[number];

export const accessKinds = ['read', 'search', 'export'] as const;

const accessEntrySchema = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  recordType: z.string(),
  recordIds: z.array(z.string()),
  purpose: z.string().nullable(),
  // An unknown kind from a newer server is shown as-is rather than breaking the page.
  kind: z.string(),
  occurredAt: z.string(),
});
export type AccessEntry = z.infer<typeof accessEntrySchema>;

const accessPageSchema = pageSchema(accessEntrySchema);
export type AccessPage = z.infer<typeof accessPageSchema>;

export type AccessFilter = {
  userId?: string | undefined;
  recordType?: AccessRecordType | undefined;
  recordId?: string | undefined;
  /** ISO date-times: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
};

export function listAccessLog(
  filter: AccessFilter & { limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<AccessPage> {
  return apiFetch(`/api/v1/access-log${queryString(filter)}`, parseWith(accessPageSchema), { signal });
}
