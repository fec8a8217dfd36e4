import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { Logger } from '../../kernel/logger.ts';
import { pruneChallenges } from './forms.repository.ts';
import {
  PROCESS_JOB_NAME,
  PROCESS_JOB_VERSION,
  processJobSchema,
  processSubmissions,
} from './forms.submit.ts';

/** Hourly: forgets solved challenges that have expired (an expired challenge is refused anyway). */
export function pruneChallengesJob(deps: { db: Kysely<Tables>; logger: Logger; now?: () => Date }) {
  return defineJob({
    name: 'forms.prune-challenges',
    version: 1,
    scope: 'system',
    cron: '23 * * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const pruned = await pruneChallenges(deps.db, (deps.now ?? (() => new Date()))());
      deps.logger.info({ pruned }, 'pruned used form challenges');
    },
  });
}

/**
 * One per public submission (sent in the submission's transaction): processes it and up to 99
 * other received submissions of the tenant in one transaction (see `processSubmissions`). A job
 * whose submission a batch already took does nothing. A crash rolls the batch back; the jobs
 * retry; the mail keys, the timeline ref and the webhook key are per submission.
 */
export function processSubmissionJob(deps: {
  logger: Logger;
  queue?: (() => JobQueue) | undefined;
  retryDelaySeconds?: number;
  /** Tests: runs before the batch's transaction opens (hold a batch back). */
  beforeBatch?: (attempt: number) => Promise<void>;
  /** Tests: runs after each submission of a batch, inside its transaction (crash mid-batch). */
  afterEach?: (done: number, attempt: number) => void | Promise<void>;
}) {
  return defineJob({
    name: PROCESS_JOB_NAME,
    version: PROCESS_JOB_VERSION,
    scope: 'tenant',
    schema: processJobSchema,
    retryLimit: 10,
    retryDelaySeconds: deps.retryDelaySeconds ?? 2,
    handler: async (job, ctx) => {
      await deps.beforeBatch?.(job.attempt);
      const { afterEach } = deps;
      const queue = deps.queue?.();
      if (!queue) throw new Error('forms.process-submission needs the job queue (jobDefinitions deps.queue)');
      if (!job.tenantId) throw new Error('forms.process-submission is a tenant job');
      const tenantId = job.tenantId;
      const result = await ctx.inTenant((tx) =>
        processSubmissions(tx, tenantId, job.data.submissionId, {
          queue,
          baseUrl: job.data.baseUrl,
          attempt: job.attempt,
          ...(afterEach ? { afterEach: (done: number) => afterEach(done, job.attempt) } : {}),
        }),
      );
      if (result.processed + result.failed > 0) deps.logger.info(result, 'processed form submissions');
    },
  });
}
