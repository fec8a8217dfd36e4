import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith } from '../../../api/schemas.ts';
import { customFieldsSchema } from '../../contacts/index.ts';

const personal = z.string().nullable();

export const companySchema = z.object({
  id: z.string(),
  name: z.string(),
  street: personal,
  addressLine1: personal,
  addressLine2: personal,
  postalCode: personal,
  city: personal,
  region: personal,
  country: personal,
  email: personal,
  phone: personal,
  website: personal,
  vatId: personal,
  tags: z.array(z.string()),
  customFields: customFieldsSchema,
  /** How many persons belong to it: they are deleted with it. */
  contactCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Company = z.infer<typeof companySchema>;

const companyPageSchema = pageSchema(companySchema);
export type CompanyPage = z.infer<typeof companyPageSchema>;

export type CompanyFilter = { q?: string | undefined; tags?: readonly string[] | undefined };

export function listCompanies(
  filter: CompanyFilter & { limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<CompanyPage> {
  const search = new URLSearchParams();
  if (filter.q) search.set('q', filter.q);
  for (const tag of filter.tags ?? []) search.append('tag', tag);
  if (filter.limit !== undefined) search.set('limit', String(filter.limit));
  if (filter.cursor) search.set('cursor', filter.cursor);
  const query = search.toString();
  return apiFetch(`/api/v1/companies${query ? `?${query}` : ''}`, parseWith(companyPageSchema), { signal });
}

const companyPath = (id: string) => `/api/v1/companies/${encodeURIComponent(id)}`;

export function getCompany(id: string, signal?: AbortSignal): Promise<Company> {
  return apiFetch(companyPath(id), parseWith(companySchema), { signal });
}

export type CompanyInput = Partial<
  Record<
    Exclude<keyof Company, 'id' | 'tags' | 'customFields' | 'contactCount' | 'createdAt' | 'updatedAt'>,
    string | null
  >
> & { tags?: string[]; customFields?: Record<string, string | boolean | string[] | null> };

export function createCompany(input: CompanyInput): Promise<Company> {
  return apiFetch('/api/v1/companies', parseWith(companySchema), { method: 'POST', json: input });
}

export function updateCompany(id: string, changes: CompanyInput): Promise<Company> {
  return apiFetch(companyPath(id), parseWith(companySchema), { method: 'PATCH', json: changes });
}

/** Deletes the company and, with it, its persons (and their tags, timelines and documents). */
export function deleteCompany(id: string): Promise<void> {
  return apiFetch(companyPath(id), ignoreBody, { method: 'DELETE' });
}
