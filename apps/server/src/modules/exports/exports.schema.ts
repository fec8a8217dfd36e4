import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import { EXPORT_FORMATS } from './exports.formats.ts';
import { EXPORT_FIELDS } from './exports.layout.ts';
import type { ExportStatus } from './exports.tables.ts';

/** Most records one export holds; larger sets are split (by selection) or asked for separately. */
export const MAX_EXPORT_RECORDS = 100_000;
/** Most ids one request names (the body limit is 1 MiB). */
export const MAX_EXPORT_IDS = 20_000;
/** How long a produced file can be downloaded before the clean-up job deletes it. */
export const FILE_TTL_HOURS = 24;

export const EXPORT_STATUSES = [
  'awaiting_approval',
  'queued',
  'running',
  'ready',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const satisfies readonly ExportStatus[];

export const createExportSchema = z
  .object({
    format: z.enum(EXPORT_FORMATS).describe('csv, xlsx or vcard (vCard 4.0, one .vcf file).'),
    ids: z
      .array(z.uuid())
      .min(1, 'must name at least one contact')
      .max(MAX_EXPORT_IDS, `at most ${MAX_EXPORT_IDS} ids; use a selection for more`)
      .optional()
      .describe('These contacts; without ids, filter or selectionId: every contact you see.'),
    filter: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The contacts a selection filter matches (the filter language of /api/v1/selections).'),
    selectionId: z.uuid().optional().describe('The contacts a saved selection matches now.'),
    fields: z
      .array(z.enum(EXPORT_FIELDS))
      .min(1, 'must name at least one field')
      .max(EXPORT_FIELDS.length)
      .optional()
      .describe('The fields (columns) to export; default: all. Fields your roles hide are left out.'),
    delimiter: z
      .enum([',', ';'])
      .optional()
      .describe('CSV only: `;` for German and French Excel; default `,`.'),
    reason: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(1000, 'must be at most 1000 characters')
      .optional()
      .describe('Why you need it: shown to the privacy officer when the export needs approval.'),
  })
  .strict()
  .superRefine((body, ctx) => {
    const sources = (['ids', 'filter', 'selectionId'] as const).filter((k) => body[k] !== undefined);
    for (const extra of sources.slice(1)) {
      ctx.addIssue({
        code: 'custom',
        path: [extra],
        message: `name the contacts one way: ${sources[0]} or ${extra}, not both`,
      });
    }
    if (body.delimiter !== undefined && body.format !== 'csv') {
      ctx.addIssue({ code: 'custom', path: ['delimiter'], message: 'applies to the csv format only' });
    }
  });
export type CreateExportInput = z.output<typeof createExportSchema>;

export const createdExportSchema = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'awaiting_approval']),
  count: z.number().int().describe('How many contacts the export holds (at the time of asking).'),
  approvalId: z.uuid().nullable().describe('The approval request, when the export waits for one.'),
});
export type CreatedExport = z.infer<typeof createdExportSchema>;

export const exportSchema = z.object({
  id: z.uuid(),
  status: z.enum(EXPORT_STATUSES),
  format: z.enum(EXPORT_FORMATS),
  count: z.number().int().describe('Contacts asked for.'),
  exportedCount: z.number().int().nullable().describe('Contacts in the file (some may have gone meanwhile).'),
  fields: z.array(z.string()).nullable().describe('Fields asked for; null: all.'),
  reason: z.string().nullable(),
  approvalId: z.uuid().nullable(),
  errorCode: z.string().nullable(),
  fileName: z.string().nullable(),
  byteSize: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable().describe('When the file is deleted.'),
});
export type ExportView = z.infer<typeof exportSchema>;

export const exportsPageSchema = z.object({
  items: z.array(exportSchema),
  nextCursor: z.string().nullable(),
});

export const listExportsQuerySchema = listQuerySchema;

export const idParams = z.object({ id: z.uuid() });

/** What the export's approval request shows: what would run, without any personal data. */
export const exportSubjectSchema = z.object({
  exportId: z.uuid(),
  recordType: z.literal('contact'),
  format: z.enum(EXPORT_FORMATS),
  fields: z.array(z.string()).nullable(),
  count: z.number().int(),
  threshold: z.number().int(),
  /** How the records were chosen: a filter is shown as it is; ids only as their number (count). */
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('ids') }),
    z.object({ kind: z.literal('filter'), filter: z.record(z.string(), z.json()) }),
    z.object({
      kind: z.literal('selection'),
      selectionId: z.uuid(),
      name: z.string(),
      filter: z.record(z.string(), z.json()),
    }),
  ]),
  options: z.record(z.string(), z.string()),
});
export type ExportSubject = z.infer<typeof exportSubjectSchema>;

/** The stored source (jsonb), parsed at the edge. */
export const storedSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('ids'), ids: z.array(z.uuid()) }),
  z.object({ kind: z.literal('filter'), filter: z.record(z.string(), z.json()) }),
  z.object({ kind: z.literal('selection'), selectionId: z.uuid() }),
]);
export type ExportSource = z.infer<typeof storedSourceSchema>;

export const storedOptionsSchema = z.object({ delimiter: z.enum([',', ';']).optional() });
