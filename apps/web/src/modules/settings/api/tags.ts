import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

const tagSchema = z.object({ name: z.string(), contactCount: z.number().optional() });

/** The names of the business's tags (the first 200, by name), to suggest as contact scopes. */
export async function listTagNames(signal?: AbortSignal): Promise<string[]> {
  const page = await apiFetch(
    `/api/v1/tags${queryString({ limit: 200 })}`,
    parseWith(pageSchema(tagSchema)),
    {
      signal,
    },
  );
  return page.items.map((tag) => tag.name);
}
