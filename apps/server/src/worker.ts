import type { Kysely } from 'kysely';
import type { BlobStore } from './kernel/blob/blob-store.ts';
import { sweepBlobsJob } from './kernel/blob/sweep.ts';
import type { Config } from './kernel/config.ts';
import type { SecretBox } from './kernel/crypto/secret-box.ts';
import type { Tables } from './kernel/db/tables.ts';
import type { AnyJobDefinition } from './kernel/jobs/jobs.ts';
import type { JobQueue } from './kernel/jobs/queue.ts';
import type { Logger } from './kernel/logger.ts';
import { type ApprovalHandler, createApprovals, expireApprovalsJob } from './modules/approvals/index.ts';
import { consentJobs, newslettersJobs } from './modules/consent/index.ts';
import { exportsApprovalHandler, exportsJobs } from './modules/exports/index.ts';
import { intakeSweepJob, processSubmissionJob, pruneChallengesJob } from './modules/forms/index.ts';
import { pruneImportsJob, runImportJob } from './modules/imports/index.ts';
import { pruneJob } from './modules/jobs/index.ts';
import { mailJobs } from './modules/mail/index.ts';
import { pruneAccessLogJob } from './modules/privacy/index.ts';
import { webhooksJobs } from './modules/webhooks/index.ts';

/** Every module's job types and schedules, in one list the queue registers. */
export function jobDefinitions(deps: {
  db: Kysely<Tables>;
  logger: Logger;
  blobs: BlobStore;
  /** Opens sealed secrets jobs need (DKIM keys); composition passes the server's. */
  secrets?: SecretBox;
  config?: Partial<Pick<Config, 'smtpUrl' | 'mailFrom' | 'webhooks' | 'baseUrl'>>;
  /** The queue, for jobs that send the next job themselves (webhook retries); bound once it exists. */
  queue?: () => JobQueue;
}): AnyJobDefinition[] {
  return [
    pruneJob(deps),
    pruneAccessLogJob(deps),
    sweepBlobsJob(deps),
    ...exportsJobs(deps),
    runImportJob(deps),
    pruneImportsJob(deps),
    pruneChallengesJob(deps),
    processSubmissionJob(deps),
    intakeSweepJob(deps),
    ...mailJobs({
      db: deps.db,
      logger: deps.logger,
      secrets: deps.secrets,
      smtpUrl: deps.config?.smtpUrl,
      defaultFrom: deps.config?.mailFrom,
    }),
    ...webhooksJobs({
      db: deps.db,
      logger: deps.logger,
      secrets: deps.secrets,
      queue: deps.queue,
      policy: deps.config?.webhooks,
    }),
    ...consentJobs({ db: deps.db, logger: deps.logger, queue: deps.queue, baseUrl: deps.config?.baseUrl }),
    ...newslettersJobs({ db: deps.db, logger: deps.logger, queue: deps.queue }),
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
