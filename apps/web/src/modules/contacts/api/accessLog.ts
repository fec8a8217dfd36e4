import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

const accessEntrySchema = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  recordType: z.string(),
  recordIds: z.array(z.string()),
  purpose: z.string().nullable(),
  // An unknown kind from a newer server is shown as-is rather than breaking the panel.
  kind: z.string(),
  occurredAt: z.string(),
});
export type AccessEntry = z.infer<typeof accessEntrySchema>;

const accessPageSchema = pageSchema(accessEntrySchema);
export type AccessPage = z.infer<typeof accessPageSchema>;

/** Who read, searched or exported one record ("who looked at this person"), newest first. */
export function listRecordAccess(
  params: { recordId: string; limit: number; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<AccessPage> {
  return apiFetch(`/api/v1/access-log${queryString(params)}`, parseWith(accessPageSchema), { signal });
}

const userSchema = z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable() });
export type DirectoryUser = z.infer<typeof userSchema>;

/** Up to 200 users of the business by id, to put names to the ids of the access log. */
export async function listUserDirectory(signal?: AbortSignal): Promise<Map<string, DirectoryUser>> {
  const page = await apiFetch(
    `/api/v1/users${queryString({ limit: 200 })}`,
    parseWith(pageSchema(userSchema)),
    {
      signal,
    },
  );
  return new Map(page.items.map((user) => [user.id, user]));
}
