import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { Logger } from '../../kernel/logger.ts';
import { importsError } from './imports.errors.ts';
import { runImportJob } from './imports.jobs.ts';
import {
  errorPageSchema,
  errorsQuerySchema,
  idParams,
  importPageSchema,
  importSchema,
  listImportsQuerySchema,
  readingSchema,
  startImportSchema,
} from './imports.schema.ts';
import * as service from './imports.service.ts';

export type ImportsRoutesDeps = {
  database: Database;
  queue: JobQueue;
  logger: Logger;
  /** The largest file accepted (default 256 MiB). */
  maxFileBytes?: number | undefined;
};

export const DEFAULT_MAX_IMPORT_BYTES = 256 * 1024 * 1024;

const access = { area: 'contacts', action: 'create' } as const;

/**
 * Contact imports from CSV and XLSX (right `contacts:create`; dedupe `update` also needs
 * `contacts:update`). An import, its preview and its error report are its uploader's only.
 */
export function importsRoutes(deps: ImportsRoutesDeps) {
  const maxFileBytes = deps.maxFileBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  const services: service.ImportsDeps = {
    db: deps.database.db,
    queue: deps.queue,
    runJob: runImportJob({ db: deps.database.db, logger: deps.logger }),
    maxFileBytes,
  };

  return async (app: FastifyInstance) => {
    // Encapsulated: multipart bodies are parsed for these routes only, with the import's limits.
    await app.register(multipart, {
      limits: { fileSize: maxFileBytes, files: 1, fields: 10, parts: 11, fieldSize: 1024 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/v1/imports',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary:
            'Upload a CSV or XLSX file of contacts (multipart/form-data, part `file`): answers its columns, a preview, the suggested mapping and the row count',
          description:
            'CSV: the delimiter (; , tab |) and the encoding (UTF-8 with or without BOM, UTF-16 LE, else Windows-1252) are detected; the query overrides them. XLSX: the first sheet, or `sheet`. The first non-blank row holds the column names.',
          querystring: readingSchema,
          response: { 201: importSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!request.isMultipart()) {
          throw importsError(
            'IMPORTS_FILE_MISSING',
            'Send the file as multipart/form-data, in a part named "file".',
            [{ path: 'file', message: 'is required' }],
          );
        }
        const part = await request.file();
        if (part?.fieldname !== 'file') {
          throw importsError('IMPORTS_FILE_MISSING', 'The request has no part named "file".', [
            { path: 'file', message: 'is required' },
          ]);
        }
        const created = await service.uploadImport(
          services,
          principal,
          { fileName: part.filename, bytes: part.file, truncated: () => part.file.truncated },
          request.query,
        );
        return reply.status(201).send(created);
      },
    );

    r.get(
      '/api/v1/imports',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary: 'Your imports, newest first',
          querystring: listImportsQuerySchema,
          response: { 200: importPageSchema },
        },
      },
      async (request) => service.listImports(services, principalOf(request), request.query),
    );

    r.get(
      '/api/v1/imports/:id',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary:
            'One import: status and counts (poll about once a second while it runs), and while it waits for start its preview',
          params: idParams,
          response: { 200: importSchema },
        },
      },
      async (request) => service.getImport(services, principalOf(request), request.params.id),
    );

    r.patch(
      '/api/v1/imports/:id',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary: 'Read an uploaded file another way: another sheet, delimiter or encoding',
          params: idParams,
          body: readingSchema,
          response: { 200: importSchema },
        },
      },
      async (request) =>
        service.changeReading(services, principalOf(request), request.params.id, request.body),
    );

    r.post(
      '/api/v1/imports/:id/start',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary: 'Start an uploaded import with a column mapping and a dedupe mode',
          params: idParams,
          body: startImportSchema,
          response: { 202: importSchema },
        },
      },
      async (request, reply) => {
        const started = await service.startImport(
          services,
          principalOf(request),
          request.params.id,
          request.body,
        );
        return reply.status(202).send(started);
      },
    );

    r.post(
      '/api/v1/imports/:id/cancel',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary:
            'Stop a running import after its current batch (what was imported stays), or drop an uploaded one',
          params: idParams,
          response: { 200: importSchema },
        },
      },
      async (request) => service.cancelImport(services, principalOf(request), request.params.id),
    );

    r.delete(
      '/api/v1/imports/:id',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary:
            'Remove an import and its error report (a running one is cancelled; imported contacts stay)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await service.deleteImport(services, principalOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/imports/:id/errors',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary: 'The rows not imported, in row order: their values and each error by field',
          params: idParams,
          querystring: errorsQuerySchema,
          response: { 200: errorPageSchema },
        },
      },
      async (request) =>
        service.listImportErrors(services, principalOf(request), request.params.id, request.query),
    );

    r.get(
      '/api/v1/imports/:id/errors.csv',
      {
        config: { access },
        schema: {
          tags: ['imports'],
          summary:
            'The error report as CSV (UTF-8 with BOM, the file’s delimiter): row, the original values, and errors as `field: message`',
          params: idParams,
        },
      },
      async (request, reply) => {
        const { row, pages } = await service.reportSource(services, principalOf(request), request.params.id);
        const delimiter =
          row.delimiter === ',' || row.delimiter === '\t' || row.delimiter === '|' ? row.delimiter : ';';
        const body = Readable.from(errorReportCsv(row.columns, pages, delimiter));
        const base = row.fileName.replace(/\.[^.]*$/, '') || 'import';
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(`${base}-errors.csv`)}`,
          )
          .header('cache-control', 'no-store')
          .send(body);
      },
    );
  };
}

/**
 * A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a formula (CSV injection):
 * such a text gets a leading apostrophe. Phone-number-like values (`+41 44 668 18 00`) stay.
 */
function guardFormula(value: string): string {
  if (!/^[=+\-@\t\r]/.test(value)) return value;
  if (/^[+-]?[\d\s().*/-]+$/.test(value) && /\d/.test(value)) return value;
  return `'${value}`;
}

async function* errorReportCsv(
  columns: readonly string[],
  pages: AsyncIterable<
    { rowNumber: number; values: Record<string, string>; errors: { path: string; message: string }[] }[]
  >,
  delimiter: string,
): AsyncGenerator<string> {
  const options = { delimiter, record_delimiter: 'windows' as const };
  yield `\ufeff${stringify([['row', ...columns, 'errors'].map(guardFormula)], options)}`;
  for await (const page of pages) {
    yield stringify(
      page.map((e) => [
        String(e.rowNumber),
        ...columns.map((c) => guardFormula(e.values[c] ?? '')),
        guardFormula(e.errors.map((x) => `${x.path}: ${x.message}`).join('; ')),
      ]),
      options,
    );
  }
}
