import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BlobStore } from '../../kernel/blob/blob-store.ts';
import type { Database } from '../../kernel/db/database.ts';
import { type TenantTx, withPrincipal } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Area } from '../../kernel/http/access.ts';
import { type Principal, principalOf } from '../../kernel/http/auth.ts';
import type { Logger } from '../../kernel/logger.ts';
import { documentsError, documentTooLarge } from './documents.errors.ts';
import { contentDisposition } from './documents.files.ts';
import {
  documentPageSchema,
  documentSchema,
  idParams,
  listDocumentsQuerySchema,
} from './documents.schema.ts';
import * as documents from './documents.service.ts';

export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

/** Room for the multipart envelope (boundaries, part headers) around the file itself. */
const ENVELOPE_BYTES = 64 * 1024;

export type DocumentsRoutesDeps = {
  database: Database;
  blobs: BlobStore;
  logger: Logger;
  maxFileBytes?: number | undefined;
};

/** What a read is logged for: the route pattern, never the URL. */
function purposeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url?.replace(/:(\w+)/g, '{$1}') ?? ''}`;
}

const UPLOAD_DESCRIPTION =
  'multipart/form-data with exactly one part: the file, named `file`. Its type is sniffed from ' +
  'the bytes (the declared type is ignored): PDF, PNG, JPEG, GIF, WebP, docx, xlsx, pptx, odt, ' +
  'ods, and text files named .txt or .csv. 400 for an empty file or any other part, 413 when ' +
  'larger than the limit (KONTOR_DOCUMENT_MAX_MB, default 25 MiB), 415 for a refused type.';

export function documentsRoutes(deps: DocumentsRoutesDeps) {
  const maxFileBytes = deps.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const service: documents.DocumentsDeps = {
    db: deps.database.db,
    blobs: deps.blobs,
    logger: deps.logger,
    maxFileBytes,
  };
  const inTenant = <T>(principal: Principal, work: (tx: TenantTx) => Promise<T>) =>
    withPrincipal(deps.database.db, principal, work);

  return async (app: FastifyInstance) => {
    // Only this plugin parses multipart bodies; the byte limit is enforced while streaming
    // (one byte over the limit is enough to refuse).
    await app.register(multipart, {
      limits: { fileSize: maxFileBytes + 1, files: 1, fields: 0, parts: 1, headerPairs: 20 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();

    for (const { area, kind } of [
      { area: 'contacts', kind: 'contact' },
      { area: 'companies', kind: 'company' },
    ] as const satisfies readonly { area: Area; kind: documents.Parent['kind'] }[]) {
      const noun = kind === 'contact' ? 'person' : 'company';

      r.get(
        `/api/v1/${area}/:id/documents`,
        {
          config: { access: { area, action: 'read' } },
          schema: {
            tags: ['documents'],
            summary: `A ${noun}'s documents, newest first (cursor pages)`,
            params: idParams,
            querystring: listDocumentsQuerySchema,
            response: { 200: documentPageSchema },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          const page = await inTenant(principal, (tx) =>
            documents.listDocuments(
              tx,
              principal,
              { kind, id: request.params.id },
              { limit: request.query.limit, cursor: request.query.cursor },
              purposeOf(request),
            ),
          );
          return {
            items: page.items.map((d) => documents.presentDocument(principal, d)),
            nextCursor: page.nextCursor,
          };
        },
      );

      r.post(
        `/api/v1/${area}/:id/documents`,
        {
          config: { access: { area, action: 'update' } },
          schema: {
            tags: ['documents'],
            summary: `Upload a document to a ${noun}`,
            description: UPLOAD_DESCRIPTION,
            consumes: ['multipart/form-data'],
            params: idParams,
            response: { 201: documentSchema },
          },
        },
        async (request, reply) => {
          const principal = principalOf(request);
          try {
            const document = await documents.uploadDocument(
              service,
              principal,
              { kind, id: request.params.id },
              await uploadSource(request, maxFileBytes),
            );
            return reply.status(201).send(documents.presentDocument(principal, document));
          } catch (error) {
            // The rest of a refused upload is not read: end the connection after the answer
            // rather than leave the client sending into a socket nobody reads.
            reply.header('Connection', 'close');
            throw error;
          }
        },
      );
    }

    r.get(
      '/api/v1/documents/:id',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['documents'],
          summary: "One document's metadata (a company's needs companies:read too)",
          params: idParams,
          response: { 200: documentSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const document = await inTenant(principal, (tx) =>
          documents.readDocument(tx, principal, request.params.id, purposeOf(request)),
        );
        return documents.presentDocument(principal, document);
      },
    );

    r.get(
      '/api/v1/documents/:id/content',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['documents'],
          summary: "Download a document's file (needs the documents data category in full)",
          description:
            'Answers the stored bytes as an attachment with the sniffed content type, ' +
            '`X-Content-Type-Options: nosniff` and `Cache-Control: private, no-store`.',
          params: idParams,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { document, content } = await documents.openDocument(
          service,
          principal,
          request.params.id,
          purposeOf(request),
        );
        return reply
          .header('Content-Type', document.contentType)
          .header('Content-Length', String(document.size))
          .header('Content-Disposition', contentDisposition(document.fileName ?? 'document'))
          .header('X-Content-Type-Options', 'nosniff')
          .header('Cache-Control', 'private, no-store')
          .header('Content-Security-Policy', "default-src 'none'; sandbox")
          .send(content);
      },
    );

    r.delete(
      '/api/v1/documents/:id',
      {
        config: { access: { area: 'contacts', action: 'update' } },
        schema: {
          tags: ['documents'],
          summary: "Delete a document and its file (a company's needs companies:update too)",
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal, (tx) => documents.deleteDocument(tx, principal, request.params.id));
        return reply.status(204).send(null);
      },
    );
  };
}

/**
 * The request's single file part as an UploadSource. A body larger than the limit by its
 * Content-Length is refused before it is read; multipart limits and broken bodies become the
 * module's errors.
 */
async function uploadSource(request: FastifyRequest, maxFileBytes: number): Promise<documents.UploadSource> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxFileBytes + ENVELOPE_BYTES) {
    throw documentTooLarge(maxFileBytes);
  }
  if (!request.isMultipart()) {
    throw documentsError(
      'DOCUMENTS_NOT_MULTIPART',
      'Send the file as multipart/form-data, in a part named file.',
    );
  }
  const parts = request.parts()[Symbol.asyncIterator]() as AsyncIterator<Multipart>;
  const first = await guard(() => parts.next(), maxFileBytes);
  if (first.done || first.value.type !== 'file' || first.value.fieldname !== 'file') {
    throw oneFile();
  }
  const part: MultipartFile = first.value;
  const chunks = part.file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    fileName: part.filename,
    chunks: { next: () => guard(() => chunks.next(), maxFileBytes) },
    truncated: () => part.file.truncated,
    finish: async () => {
      const rest = await guard(() => parts.next(), maxFileBytes);
      if (!rest.done) throw oneFile();
    },
  };
}

function oneFile(): AppError {
  return documentsError('DOCUMENTS_ONE_FILE', 'Send exactly one part: the file, named file.', [
    { path: 'file', message: 'must be the one and only part of the form' },
  ]);
}

/** Runs a step of the multipart parser, turning its errors into the module's. */
async function guard<T>(step: () => Promise<T>, maxFileBytes: number): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    switch (code) {
      case 'FST_REQ_FILE_TOO_LARGE':
        throw documentTooLarge(maxFileBytes);
      case 'FST_PARTS_LIMIT':
      case 'FST_FILES_LIMIT':
      case 'FST_FIELDS_LIMIT':
        throw oneFile();
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        throw documentsError('DOCUMENTS_NOT_MULTIPART', 'Send the file as multipart/form-data.');
      default:
        throw documentsError(
          'DOCUMENTS_MALFORMED',
          'The multipart body is broken or ended early; send the file again.',
          [{ path: 'file', message: 'could not be read' }],
        );
    }
  }
}
