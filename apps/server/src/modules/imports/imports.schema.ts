import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import { IMPORTABLE_CONTACT_FIELDS } from '../contacts/index.ts';
import { DELIMITERS, type Delimiter, ENCODINGS } from './imports.file.ts';
import type { ImportTarget } from './imports.mapping.ts';
import { countryCode } from './imports.mapping.ts';

export const IMPORT_STATUSES = [
  'uploading',
  'uploaded',
  'running',
  'completed',
  'failed',
  'cancelled',
] as const;
export const DEDUPE_MODES = ['update', 'skip', 'create'] as const;
export type DedupeMode = (typeof DEDUPE_MODES)[number];

/** Rows shown before an import starts. */
export const PREVIEW_ROWS = 20;
/** Rows an import writes per transaction (with its checkpoint). */
export const BATCH_ROWS = 2000;

const FIELD_SET = new Set<string>(IMPORTABLE_CONTACT_FIELDS);
const CUSTOM_TARGET = /^customFields\.[a-z][a-z0-9_]{0,62}$/;

export function isImportTarget(value: string): value is ImportTarget {
  return value === 'tags' || value === 'ignore' || FIELD_SET.has(value) || CUSTOM_TARGET.test(value);
}

const targetSchema = z
  .string()
  .refine(isImportTarget, {
    message: `must be a contact field (${IMPORTABLE_CONTACT_FIELDS.join(', ')}), tags, customFields.<key> or ignore`,
  })
  .transform((v) => v as ImportTarget);

const DELIMITER_NAMES: Record<string, Delimiter> = { semicolon: ';', comma: ',', tab: '\t', pipe: '|' };

const delimiterSchema = z
  .enum([...DELIMITERS, ...(Object.keys(DELIMITER_NAMES) as [string, ...string[]])])
  .transform((v): Delimiter => DELIMITER_NAMES[v] ?? (v as Delimiter))
  .describe(
    'CSV: the delimiter, instead of the detected one: `;`, `,`, tab or `|` (or semicolon, comma, tab, pipe)',
  );

/** How to read the file, instead of what was detected. */
export const readingSchema = z.object({
  sheet: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('XLSX: the sheet to import, by name (default: the first)'),
  delimiter: delimiterSchema.optional(),
  encoding: z
    .enum(ENCODINGS)
    .optional()
    .describe('CSV: the text encoding, instead of the detected one (UTF-8, UTF-16 LE or Windows-1252)'),
});
export type ReadingOptions = z.output<typeof readingSchema>;

const tagName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const startImportSchema = z.object({
  mapping: z
    .record(z.string().min(1).max(220), targetSchema)
    .describe(
      'By column name (as in `columns`): a contact field, `tags` (split on , or ;), `customFields.<key>` or `ignore`. Columns left out are ignored.',
    ),
  dedupe: z
    .enum(DEDUPE_MODES)
    .default('skip')
    .describe(
      'A row whose email a contact (or an earlier row) already has: `update` fills that contact (empty cells keep its values, tags are added; needs contacts:update), `skip` leaves it, `create` adds another.',
    ),
  tags: z.array(tagName).max(20, 'at most 20 tags').default([]).describe('Tags every imported contact gets'),
  defaultCountry: z
    .string()
    .trim()
    .max(60)
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null;
      const code = countryCode(v);
      if (!code) ctx.addIssue({ code: 'custom', message: 'must be a country, e.g. DE, CH, AT or FR' });
      return code ?? null;
    })
    .describe(
      'For rows without a country: stored as their country, and the region national phone numbers are read in (else DE)',
    ),
});
export type StartImportInput = z.output<typeof startImportSchema>;

export const idParams = z.object({ id: z.uuid() });

export const listImportsQuerySchema = listQuerySchema;

export const errorsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Rows per page, 1–1000.'),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'must be the nextCursor of the previous page')
    .optional()
    .describe('The nextCursor of the previous page.'),
});

/** The import's options as stored (options column). */
export const storedOptionsSchema = z.object({
  dedupe: z.enum(DEDUPE_MODES),
  tags: z.array(z.string()),
  defaultCountry: z.string().nullable(),
});
export type StoredOptions = z.infer<typeof storedOptionsSchema>;
export const storedMappingSchema = z.record(
  z.string(),
  z
    .string()
    .refine(isImportTarget)
    .transform((v) => v as ImportTarget),
);

const previewRow = z.object({ rowNumber: z.number().int(), cells: z.array(z.string()) });

export const importSchema = z.object({
  id: z.uuid(),
  status: z
    .enum(IMPORT_STATUSES)
    .describe(
      'uploading (the file is arriving), uploaded (waiting for start), running, completed, failed or cancelled. Poll GET /api/v1/imports/{id} about once a second while running.',
    ),
  fileName: z.string(),
  fileKind: z.enum(['csv', 'xlsx']),
  byteSize: z.number().int(),
  encoding: z.enum(ENCODINGS).nullable(),
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  sheets: z.array(z.string()),
  columns: z.array(z.string()),
  suggestedMapping: z.record(z.string(), z.string()),
  preview: z
    .array(previewRow)
    .nullable()
    .describe(`The first ${PREVIEW_ROWS} data rows, while the import is uploaded (not yet started)`),
  mapping: z.record(z.string(), z.string()).nullable(),
  dedupe: z.enum(DEDUPE_MODES).nullable(),
  tags: z.array(z.string()).nullable(),
  defaultCountry: z.string().nullable(),
  totalRows: z.number().int().describe('Data rows in the file (the header and blank rows not counted)'),
  processedRows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int().describe('Rows not imported; see /errors'),
  progress: z.number().min(0).max(1),
  errorCode: z.string().nullable().describe('Why the import as a whole failed or ended'),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ImportView = z.infer<typeof importSchema>;

export const importErrorSchema = z.object({
  rowNumber: z.number().int().describe('The row as a spreadsheet numbers it (the header is row 1)'),
  values: z.record(z.string(), z.string()).describe("The row's values by column, as they were in the file"),
  errors: z.array(
    z.object({
      path: z.string().describe('The contact field, e.g. iban or customFields.member_no'),
      column: z.string().nullable(),
      message: z.string(),
    }),
  ),
});
export type ImportErrorView = z.infer<typeof importErrorSchema>;

export const errorPageSchema = z.object({
  items: z.array(importErrorSchema),
  nextCursor: z.string().nullable(),
});
export const importPageSchema = z.object({ items: z.array(importSchema), nextCursor: z.string().nullable() });

/** One error of a row as stored (errors column). */
export const storedRowErrorSchema = z.object({
  path: z.string(),
  column: z.string().nullable(),
  message: z.string(),
});
