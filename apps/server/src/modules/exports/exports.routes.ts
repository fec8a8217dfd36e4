import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BlobNotFoundError, type BlobStore } from '../../kernel/blob/blob-store.ts';
import type { Database } from '../../kernel/db/database.ts';
import { withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { ApprovalsService } from '../approvals/index.ts';
import { produceExportJob } from './exports.jobs.ts';
import {
  createdExportSchema,
  createExportSchema,
  exportSchema,
  exportsPageSchema,
  idParams,
  listExportsQuerySchema,
} from './exports.schema.ts';
import * as exportsService from './exports.service.ts';

export type ExportsRoutesDeps = {
  database: Database;
  queue: JobQueue;
  blobs: BlobStore;
  logger: Logger;
  approvals: ApprovalsService;
};

/** Contact exports (right `contacts:export`); an export's status and file are its requester's only. */
export function exportsRoutes(deps: ExportsRoutesDeps) {
  const { database } = deps;
  const service = {
    queue: deps.queue,
    approvals: deps.approvals,
    produceJob: produceExportJob({ db: database.db, logger: deps.logger, blobs: deps.blobs }),
  };
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/v1/exports',
      {
        config: { access: { area: 'contacts', action: 'export' } },
        schema: {
          tags: ['exports'],
          summary:
            'Export contacts as CSV, XLSX or vCard: queued at once up to the tenant’s bulk-export threshold, above it only after the privacy officer approves',
          body: createExportSchema,
          response: { 202: createdExportSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        // The records are resolved under the principal: row-level security and the contact scope.
        const created = await withPrincipal(database.db, principal, (tx) =>
          exportsService.requestExport(tx, principal, request.body, service),
        );
        return reply.status(202).send(created);
      },
    );

    r.get(
      '/api/v1/exports',
      {
        config: { access: { area: 'contacts', action: 'export' } },
        schema: {
          tags: ['exports'],
          summary: 'Your exports, newest first',
          querystring: listExportsQuerySchema,
          response: { 200: exportsPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          exportsService.listExports(tx, principal, request.query),
        );
      },
    );

    r.get(
      '/api/v1/exports/:id',
      {
        config: { access: { area: 'contacts', action: 'export' } },
        schema: {
          tags: ['exports'],
          summary: 'One export of yours: its status, and when its file expires',
          params: idParams,
          response: { 200: exportSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          exportsService.getExport(tx, principal, request.params.id),
        );
      },
    );

    r.get(
      '/api/v1/exports/:id/download',
      {
        config: { access: { area: 'contacts', action: 'export' } },
        schema: {
          tags: ['exports'],
          summary: 'The file of a ready export of yours (for 24 hours after it was made)',
          params: idParams,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const file = await withTenant(database.db, principal.tenantId, (tx) =>
          exportsService.findExportFile(tx, principal, request.params.id),
        );
        // Streamed from the blob store after the transaction has ended.
        let body: Readable;
        try {
          body = await deps.blobs.get(file.blobKey);
        } catch (error) {
          if (error instanceof BlobNotFoundError) throw exportsService.fileGone();
          throw error;
        }
        return reply
          .header('Content-Type', file.contentType)
          .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
          .header('Cache-Control', 'no-store')
          .header('Content-Length', String(file.byteSize))
          .send(body);
      },
    );
  };
}
