import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith } from '../../../api/schemas.ts';

/** A personal field: the value, a masked picture of it, or null (empty, or hidden from this user). */
const personal = z.string().nullable();

/**
 * Custom fields by key; a string or null when the user's field access masks or hides them (a
 * masked object arrives with every value replaced by `***`). Values are scalars or, for
 * multi-select fields, lists; anything else a newer server sends is shown as it comes.
 */
export const customFieldsSchema = z.union([z.record(z.string(), z.unknown()), z.string()]).nullable();
export type CustomFieldsValue = z.infer<typeof customFieldsSchema>;

export const contactSchema = z.object({
  id: z.string(),
  salutation: personal,
  firstName: personal,
  lastName: personal,
  companyId: z.string().nullable(),
  companyName: z.string().nullable(),
  street: personal,
  addressLine1: personal,
  addressLine2: personal,
  postalCode: personal,
  city: personal,
  region: personal,
  country: personal,
  email: personal,
  language: z.string().nullable(),
  phone: personal,
  fax: personal,
  mobile: personal,
  website: personal,
  birthday: personal,
  iban: personal,
  bic: personal,
  paymentMethod: personal,
  accountHolder: personal,
  vatId: personal,
  notes: personal,
  tags: z.array(z.string()),
  customFields: customFieldsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof contactSchema>;

const contactPageSchema = pageSchema(contactSchema);
export type ContactPage = z.infer<typeof contactPageSchema>;

export type ContactFilter = {
  /** The one-box search: ranked, at most 50 hits, no further pages. */
  q?: string | undefined;
  /** Contacts carrying every one of these tags. */
  tags?: readonly string[] | undefined;
  companyId?: string | undefined;
  /** The contacts of a saved selection (the other filters do not apply then). */
  selectionId?: string | undefined;
};

function contactQuery(filter: ContactFilter & { limit?: number; cursor?: string | undefined }): string {
  const search = new URLSearchParams();
  if (filter.q) search.set('q', filter.q);
  for (const tag of filter.tags ?? []) search.append('tag', tag);
  if (filter.companyId) search.set('companyId', filter.companyId);
  if (filter.limit !== undefined) search.set('limit', String(filter.limit));
  if (filter.cursor) search.set('cursor', filter.cursor);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export function listContacts(
  filter: ContactFilter & { limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<ContactPage> {
  if (filter.selectionId) {
    const query = new URLSearchParams();
    if (filter.limit !== undefined) query.set('limit', String(filter.limit));
    if (filter.cursor) query.set('cursor', filter.cursor);
    const text = query.toString();
    return apiFetch(
      `/api/v1/selections/${encodeURIComponent(filter.selectionId)}/contacts${text === '' ? '' : `?${text}`}`,
      parseWith(contactPageSchema),
      { signal },
    );
  }
  return apiFetch(`/api/v1/contacts${contactQuery(filter)}`, parseWith(contactPageSchema), { signal });
}

const contactPath = (id: string) => `/api/v1/contacts/${encodeURIComponent(id)}`;

export function getContact(id: string, signal?: AbortSignal): Promise<Contact> {
  return apiFetch(contactPath(id), parseWith(contactSchema), { signal });
}

/** What a create or change sends: text fields ('' or null = no value), the company and the tags. */
export type ContactInput = Partial<
  Record<
    Exclude<keyof Contact, 'id' | 'companyName' | 'tags' | 'customFields' | 'createdAt' | 'updatedAt'>,
    string | null
  >
> & { tags?: string[]; customFields?: Record<string, string | boolean | string[] | null> };

export function createContact(input: ContactInput): Promise<Contact> {
  return apiFetch('/api/v1/contacts', parseWith(contactSchema), { method: 'POST', json: input });
}

/** PATCH: absent = unchanged, null clears, `tags` replaces the tags. */
export function updateContact(id: string, changes: ContactInput): Promise<Contact> {
  return apiFetch(contactPath(id), parseWith(contactSchema), { method: 'PATCH', json: changes });
}

export function deleteContact(id: string): Promise<void> {
  return apiFetch(contactPath(id), ignoreBody, { method: 'DELETE' });
}

const bulkResultSchema = z.object({
  items: z.array(z.object({ id: z.string(), ok: z.boolean(), code: z.string().nullish() })),
});
export type BulkTagResult = z.infer<typeof bulkResultSchema>;

/** Adds and removes tags on many contacts; each contact's outcome comes back on its own. */
export function bulkTagContacts(input: {
  ids: string[];
  add?: string[] | undefined;
  remove?: string[] | undefined;
}): Promise<BulkTagResult> {
  return apiFetch('/api/v1/contacts/bulk/tags', parseWith(bulkResultSchema), {
    method: 'POST',
    json: input,
  });
}
