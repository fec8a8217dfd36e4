import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

const companyOptionSchema = z.object({ id: z.string(), name: z.string(), city: z.string().nullable() });
export type CompanyOption = z.infer<typeof companyOptionSchema>;

/**
 * Companies to pick from: the best matches of `q` (the server's ranked search), or the newest
 * ones while nothing is typed.
 */
export async function lookUpCompanies(q: string, signal?: AbortSignal): Promise<CompanyOption[]> {
  const page = await apiFetch(
    `/api/v1/companies${queryString({ q: q.trim(), limit: 20 })}`,
    parseWith(pageSchema(companyOptionSchema)),
    { signal },
  );
  return page.items;
}
