import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

const tagSchema = z.object({
  name: z.string(),
  contactCount: z.number().optional(),
  companyCount: z.number().optional(),
});
export type Tag = z.infer<typeof tagSchema>;

/** The business's tags by name (the first 200), for filters and suggestions. */
export async function listTags(signal?: AbortSignal): Promise<Tag[]> {
  const page = await apiFetch(
    `/api/v1/tags${queryString({ limit: 200 })}`,
    parseWith(pageSchema(tagSchema)),
    {
      signal,
    },
  );
  return page.items;
}
