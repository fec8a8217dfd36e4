import {
  CUSTOM_FIELD_DATA_CATEGORIES,
  CUSTOM_FIELD_OBJECT_TYPES,
  CUSTOM_FIELD_TYPES,
  type CustomFieldDataCategory,
  type CustomFieldObjectType,
  type CustomFieldType,
} from '@kontor/contracts';
import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, parseWith } from '../../../api/schemas.ts';

const labelsSchema = z.object({
  de: z.string().optional(),
  en: z.string().optional(),
  fr: z.string().optional(),
});
export type Labels = z.infer<typeof labelsSchema>;

export const customFieldSchema = z.object({
  id: z.string(),
  objectType: z.enum(CUSTOM_FIELD_OBJECT_TYPES),
  key: z.string(),
  label: z.string(),
  labels: labelsSchema,
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.object({ value: z.string(), label: z.string(), labels: labelsSchema })),
  required: z.boolean(),
  unique: z.boolean(),
  dataCategory: z.enum(CUSTOM_FIELD_DATA_CATEGORIES),
  position: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomField = z.infer<typeof customFieldSchema>;

const listSchema = z.object({ items: z.array(customFieldSchema) });

const basePath = '/api/v1/custom-fields';
const fieldPath = (id: string) => `${basePath}/${encodeURIComponent(id)}`;

/** The tenant's custom fields of one object type, in form order (all on one page). */
export async function listCustomFields(
  objectType: CustomFieldObjectType,
  signal?: AbortSignal,
): Promise<CustomField[]> {
  const page = await apiFetch(`${basePath}?objectType=${objectType}`, parseWith(listSchema), { signal });
  return page.items;
}

export type CustomFieldOptionInput = { value: string; label: string; labels?: Labels };

export type CreateCustomFieldInput = {
  objectType: CustomFieldObjectType;
  key: string;
  label: string;
  labels: Labels;
  type: CustomFieldType;
  options: CustomFieldOptionInput[];
  required: boolean;
  unique: boolean;
  dataCategory: CustomFieldDataCategory;
};

export function createCustomField(input: CreateCustomFieldInput): Promise<CustomField> {
  return apiFetch(basePath, parseWith(customFieldSchema), { method: 'POST', json: input });
}

/** Key, type and object type are fixed here; the key changes through `renameCustomField`. */
export type UpdateCustomFieldInput = Partial<
  Pick<CreateCustomFieldInput, 'label' | 'labels' | 'options' | 'required' | 'unique' | 'dataCategory'>
> & { position?: number };

export function updateCustomField(id: string, changes: UpdateCustomFieldInput): Promise<CustomField> {
  return apiFetch(fieldPath(id), parseWith(customFieldSchema), { method: 'PATCH', json: changes });
}

/** Moves every record's value to the new key (one transaction on the server). */
export function renameCustomField(id: string, key: string): Promise<CustomField> {
  return apiFetch(`${fieldPath(id)}/rename`, parseWith(customFieldSchema), {
    method: 'POST',
    json: { key },
  });
}

/** Deletes the field and its value from every record. */
export function deleteCustomField(id: string): Promise<void> {
  return apiFetch(fieldPath(id), ignoreBody, { method: 'DELETE' });
}
