import type { Kysely } from 'kysely';
import type { BlobStore } from './kernel/blob/blob-store.ts';
import { sweepBlobsJob } from './kernel/blob/sweep.ts';
import type { Tables } from './kernel/db/tables.ts';
import type { AnyJobDefinition } from './kernel/jobs/jobs.ts';
import type { Logger } from './kernel/logger.ts';
import { type ApprovalHandler, createApprovals, expireApprovalsJob } from './modules/approvals/index.ts';
import { exportsApprovalHandler, exportsJobs } from './modules/exports/index.ts';
import { pruneImportsJob, runImportJob } from './modules/imports/index.ts';
import { pruneJob } from './modules/jobs/index.ts';
import { pruneAccessLogJob } from './modules/privacy/index.ts';

/** Every module's job types and schedules, in one list the queue registers. */
export function jobDefinitions(deps: {
  db: Kysely<Tables>;
  logger: Logger;
  blobs: BlobStore;
}): AnyJobDefinition[] {
  return [
    pruneJob(deps),
    pruneAccessLogJob(deps),
    sweepBlobsJob(deps),
    ...exportsJobs(deps),
    runImportJob(deps),
    pruneImportsJob(deps),
    expireApprovalsJob({ ...deps, approvals: createApprovals({ handlers: approvalHandlers(deps) }) }),
  ];
}

/** What a decided approval starts, one handler per kind (the compliance engine adds its kinds here). */
export function approvalHandlers(deps: {
  db: Kysely<Tables>;
  logger: Logger;
  blobs: BlobStore;
}): ApprovalHandler[] {
  return [exportsApprovalHandler(deps)];
}
