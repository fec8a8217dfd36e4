import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { type BlobStore, newBlobKey } from '../../kernel/blob/blob-store.ts';
import { discardBlob, reserveBlobKey } from '../../kernel/blob/sweep.ts';
import type { Tables } from '../../kernel/db/tables.ts';
import { withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';
import { CONTACT_FIELD_CATEGORIES, type Contact, categoriesByKey, contactsByIds } from '../contacts/index.ts';
import { grantsOfUser } from '../identity/index.ts';
import { type DataCategory, presentFields, recordAccess } from '../privacy/index.ts';
import { EXPORT_FAILURES } from './exports.errors.ts';
import { CONTENT_TYPES, type ExportFormat, toCsv, toVcards, toXlsx } from './exports.formats.ts';
import { orderedFields, tableOf, vcardOf, visibleFields } from './exports.layout.ts';
import * as repo from './exports.repository.ts';
import { FILE_TTL_HOURS, storedOptionsSchema } from './exports.schema.ts';
import { exportApprovalHandler, fileNameOf, type ProduceExportPayload } from './exports.service.ts';

type JobDeps = { db: Kysely<Tables>; logger: Logger; blobs: BlobStore };

/** Contacts read (and logged) per transaction: short transactions, the embedded database stays responsive. */
const READ_BATCH = 500;
const RETRY_LIMIT = 2;

/**
 * Produces an export's file. Runs for the requester with their grants as they are now (rights,
 * field access, contact scope): a user who lost `contacts:export` meanwhile gets no file, and
 * nobody gets more than they would see in a request. The records are read in batches, each in a
 * transaction under the requester's contact scope that also writes the access-log entry
 * (kind `export`, the record ids); then the file is stored and the export made ready for 24 h.
 */
export function produceExportJob(deps: JobDeps) {
  return defineJob<ProduceExportPayload>({
    name: 'exports.produce',
    version: 1,
    scope: 'tenant',
    retryLimit: RETRY_LIMIT,
    retryDelaySeconds: 15,
    expireInSeconds: 900,
    schema: z.object({ exportId: z.uuid() }).strict(),
    handler: async (job) => {
      const tenantId = job.tenantId;
      if (!tenantId) throw new Error('exports.produce needs a tenant');
      const { exportId } = job.data;
      const claimed = await withTenant(deps.db, tenantId, (tx) => repo.claim(tx, exportId));
      if (!claimed) return;
      try {
        await produce(deps, tenantId, claimed);
      } catch (error) {
        if (job.attempt >= RETRY_LIMIT) {
          await withTenant(deps.db, tenantId, (tx) => repo.fail(tx, exportId, EXPORT_FAILURES.failed));
        }
        throw error;
      }
    },
  });
}

async function produce(deps: JobDeps, tenantId: string, claimed: repo.ClaimedExport): Promise<void> {
  const grants = await withTenant(deps.db, tenantId, (tx) => grantsOfUser(tx, claimed.requestedBy));
  if (!grants?.rights.has('contacts:export')) {
    await withTenant(deps.db, tenantId, (tx) =>
      repo.fail(tx, claimed.id, EXPORT_FAILURES.requesterLacksRight),
    );
    deps.logger.info(
      { exportId: claimed.id },
      'export not produced: the requester no longer holds contacts:export',
    );
    return;
  }
  const purpose = `export ${claimed.id} (POST /api/v1/exports)`;
  const shaped: Contact[] = [];
  // Each custom field by the data category of its definition, exactly as API responses show it.
  let custom: Record<string, DataCategory> | undefined;
  for (let i = 0; i < claimed.recordIds.length; i += READ_BATCH) {
    const batch = claimed.recordIds.slice(i, i + READ_BATCH);
    await withPrincipal(deps.db, { tenantId, contactScope: grants.contactScope }, async (tx) => {
      const contacts = await contactsByIds(tx, batch);
      custom ??= await categoriesByKey(tx, 'contact');
      await recordAccess(tx, {
        tenantId,
        userId: claimed.requestedBy,
        recordType: 'contact',
        recordIds: contacts.map((c) => c.id),
        purpose,
        kind: 'export',
      });
      for (const c of contacts) {
        shaped.push(presentFields(c, CONTACT_FIELD_CATEGORIES, grants.fieldAccess, { customFields: custom }));
      }
    });
  }
  const format = claimed.format as ExportFormat;
  const fields = visibleFields(orderedFields(claimed.fields), grants.fieldAccess);
  const options = storedOptionsSchema.parse(JSON.parse(claimed.options));
  const content =
    format === 'csv'
      ? toCsv(tableOf(shaped, fields), { delimiter: options.delimiter ?? ',' })
      : format === 'xlsx'
        ? await toXlsx(tableOf(shaped, fields), { sheetName: 'Contacts' })
        : toVcards(shaped.map((c) => vcardOf(c, fields)));
  // The bytes go to the blob store under a key reserved first: if anything fails before the
  // export row claims it, the sweep deletes whatever was written once the reservation falls due.
  const blobKey = newBlobKey(tenantId);
  await reserveBlobKey(deps.db, blobKey);
  let stored = false;
  try {
    await deps.blobs.put(blobKey, content, { contentType: CONTENT_TYPES[format] });
    stored = await withTenant(deps.db, tenantId, (tx) =>
      repo.complete(tx, claimed.id, {
        blobKey,
        fileName: fileNameOf(format, new Date()),
        contentType: CONTENT_TYPES[format],
        byteSize: content.length,
        exportedCount: shaped.length,
        ttlHours: FILE_TTL_HOURS,
      }),
    );
  } finally {
    if (!stored) await discardBlob(deps.db, deps.blobs, blobKey);
  }
  deps.logger.info(
    { exportId: claimed.id, format, records: shaped.length, bytes: content.length, stored },
    'export produced',
  );
}

/**
 * Every 15 minutes: exports past their 24 hours are marked expired and let go of their files,
 * which the blob sweep (kernel.sweep-blobs, every minute) then deletes.
 */
export function deleteExpiredExportsJob(deps: Omit<JobDeps, 'blobs'>) {
  return defineJob({
    name: 'exports.delete-expired',
    version: 1,
    scope: 'system',
    cron: '*/15 * * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
      let deleted = 0;
      for (const { id } of tenants.rows) {
        deleted += await withTenant(deps.db, id, (tx) => repo.expireFiles(tx, undefined));
      }
      if (deleted > 0) deps.logger.info({ deleted }, 'deleted expired export files');
    },
  });
}

/** Every job of the module, for worker.ts. */
export function exportsJobs(deps: JobDeps) {
  return [produceExportJob(deps), deleteExpiredExportsJob(deps)];
}

/** The approval handler of kind `export` (worker.ts `approvalHandlers`). */
export function exportsApprovalHandler(deps: JobDeps) {
  return exportApprovalHandler(produceExportJob(deps));
}
