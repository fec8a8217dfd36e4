import {
  CUSTOM_FIELD_DATA_CATEGORIES,
  CUSTOM_FIELD_KEY_PATTERN,
  CUSTOM_FIELD_OBJECT_TYPES,
  CUSTOM_FIELD_SELECT_TYPES,
  CUSTOM_FIELD_TYPES,
  CUSTOM_FIELD_UNIQUE_TYPES,
  type CustomFieldDataCategory,
  type CustomFieldObjectType,
  type CustomFieldType,
  MAX_CUSTOM_FIELD_OPTIONS,
} from '@kontor/contracts';
import { z } from 'zod';

export { CUSTOM_FIELD_OBJECT_TYPES, CUSTOM_FIELD_TYPES, type CustomFieldObjectType, type CustomFieldType };

// ---------------------------------------------------------------------------------------------
// Definitions as the service hands them out
// ---------------------------------------------------------------------------------------------

export type Labels = { de?: string; en?: string; fr?: string };
export type CustomFieldOption = { value: string; label: string; labels: Labels };

export type CustomFieldDefinition = {
  id: string;
  objectType: CustomFieldObjectType;
  key: string;
  label: string;
  labels: Labels;
  type: CustomFieldType;
  options: CustomFieldOption[];
  required: boolean;
  unique: boolean;
  dataCategory: CustomFieldDataCategory;
  position: number;
  createdAt: string;
  updatedAt: string;
};

export const isSelectType = (type: CustomFieldType) =>
  (CUSTOM_FIELD_SELECT_TYPES as readonly string[]).includes(type);
export const mayBeUnique = (type: CustomFieldType) =>
  (CUSTOM_FIELD_UNIQUE_TYPES as readonly string[]).includes(type);

// ---------------------------------------------------------------------------------------------
// Stored JSON (labels, options), parsed as everything read from a JSON column is
// ---------------------------------------------------------------------------------------------

const label = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const labelsSchema = z
  .object({ de: label.optional(), en: label.optional(), fr: label.optional() })
  .strict()
  .describe('The label in German, English and French; each optional (the label is the fallback).');

const optionValue = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^\S(.*\S)?$/, 'must not start or end with spaces')
  .describe('Stable: stored in the records, never changes; the label may.');

export const optionSchema = z.object({
  value: optionValue,
  label,
  labels: labelsSchema.optional().default({}),
});

export const storedLabelsSchema = z.object({ de: z.string(), en: z.string(), fr: z.string() }).partial();
export const storedOptionsSchema = z.array(
  z.object({ value: z.string(), label: z.string(), labels: storedLabelsSchema.default({}) }),
);

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

const optionsInput = z
  .array(optionSchema)
  .max(MAX_CUSTOM_FIELD_OPTIONS, `at most ${MAX_CUSTOM_FIELD_OPTIONS} options`)
  .superRefine((options, ctx) => {
    const seen = new Set<string>();
    options.forEach((o, i) => {
      const folded = o.value.toLowerCase();
      if (seen.has(folded)) {
        ctx.addIssue({ code: 'custom', path: [i, 'value'], message: 'is given twice (case does not count)' });
      }
      seen.add(folded);
    });
  })
  .describe('For single_select and multi_select: the choices, in order.');

const keySchema = z
  .string()
  .regex(
    CUSTOM_FIELD_KEY_PATTERN,
    'must be lower-case letters, digits and _, start with a letter, at most 63 characters',
  )
  .describe('Stable key under which records carry the value (`customFields.<key>`).');

const dataCategorySchema = z
  .enum(CUSTOM_FIELD_DATA_CATEGORIES)
  .describe('The data category: decides who sees the value in full, masked or not at all.');

export const createCustomFieldSchema = z
  .object({
    objectType: z.enum(CUSTOM_FIELD_OBJECT_TYPES),
    key: keySchema,
    label,
    labels: labelsSchema.optional().default({}),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: optionsInput.optional().default([]),
    required: z.boolean().optional().default(false),
    unique: z
      .boolean()
      .optional()
      .default(false)
      .describe(`Only for ${CUSTOM_FIELD_UNIQUE_TYPES.join(', ')}`),
    dataCategory: dataCategorySchema.optional().default('custom'),
    position: z.number().int().min(0).max(10_000).optional().describe('Order in forms; default: last'),
  })
  .superRefine((body, ctx) => {
    if (isSelectType(body.type) && body.options.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'a select field needs at least one option',
      });
    }
    if (!isSelectType(body.type) && body.options.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only select fields have options' });
    }
    if (body.unique && !mayBeUnique(body.type)) {
      ctx.addIssue({ code: 'custom', path: ['unique'], message: `a ${body.type} field cannot be unique` });
    }
  });
export type CreateCustomFieldInput = z.output<typeof createCustomFieldSchema>;

const fixed = (message: string) =>
  z
    .unknown()
    .optional()
    .refine((v) => v === undefined, message);

export const updateCustomFieldSchema = z.object({
  label: label.optional(),
  labels: labelsSchema.optional().describe('Replaces the translated labels'),
  options: optionsInput
    .optional()
    .describe(
      'Replaces the options: add, relabel, reorder. Removing an option that records still use is refused (409).',
    ),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  dataCategory: dataCategorySchema.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  key: fixed('is changed with POST /api/v1/custom-fields/{id}/rename'),
  type: fixed('cannot be changed; create a new field'),
  objectType: fixed('cannot be changed; create a new field'),
});
export type UpdateCustomFieldInput = z.output<typeof updateCustomFieldSchema>;

export const renameCustomFieldSchema = z.object({ key: keySchema });

export const listCustomFieldsQuerySchema = z.object({
  objectType: z
    .enum(CUSTOM_FIELD_OBJECT_TYPES)
    .optional()
    .describe('Only the fields of contacts or of companies'),
});

export const idParams = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const labelsOut = z.object({
  de: z.string().optional(),
  en: z.string().optional(),
  fr: z.string().optional(),
});

export const customFieldSchema = z.object({
  id: z.uuid(),
  objectType: z.enum(CUSTOM_FIELD_OBJECT_TYPES),
  key: z.string(),
  label: z.string(),
  labels: labelsOut,
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.object({ value: z.string(), label: z.string(), labels: labelsOut })),
  required: z.boolean(),
  unique: z.boolean(),
  dataCategory: z.enum(CUSTOM_FIELD_DATA_CATEGORIES),
  position: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const customFieldListSchema = z.object({
  items: z.array(customFieldSchema),
  nextCursor: z.null().describe('Always null: all of a tenant’s fields fit on one page.'),
});
