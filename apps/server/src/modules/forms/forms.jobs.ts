import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { Logger } from '../../kernel/logger.ts';
import { pruneChallenges, staleReceived } from './forms.repository.ts';
import {
  INTAKE_BATCH_SIZE,
  PROCESS_JOB_NAME,
  PROCESS_JOB_VERSION,
  processJobSchema,
  processSubmissionJobRef,
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

/** A received submission this old that is still received gets a processing job from the sweep. */
export const SWEEP_AFTER_SECONDS = 120;
/** At most this many of a tenant's submissions per sweep (a job per INTAKE_BATCH_SIZE of them). */
const SWEEP_MAX = 10 * INTAKE_BATCH_SIZE;

/**
 * Every minute: a submission still received two minutes after it arrived gets a processing job.
 * The intake sends the jobs after the submissions' commit (forms.intake.ts); a process that died
 * in between, or a send that failed, leaves submissions no job covers, and this finds them. A
 * backlog that jobs already cover gets a few more, which take the oldest received submissions
 * (or nothing) and end: a job processes its tenant's batches one at a time.
 */
export function intakeSweepJob(deps: {
  db: Kysely<Tables>;
  logger: Logger;
  queue?: (() => JobQueue) | undefined;
  config?: { baseUrl?: string | undefined } | undefined;
}) {
  return defineJob({
    name: 'forms.intake-sweep',
    version: 1,
    scope: 'system',
    cron: '* * * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const queue = deps.queue?.();
      if (!queue) throw new Error('forms.intake-sweep needs the job queue (jobDefinitions deps.queue)');
      // The links in staff notices; composition always passes the server's.
      const baseUrl = deps.config?.baseUrl ?? 'http://localhost:3000';
      const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
      let sent = 0;
      for (const { id: tenantId } of tenants.rows) {
        const ids = await withTenant(deps.db, tenantId, (tx) =>
          staleReceived(tx, SWEEP_AFTER_SECONDS, SWEEP_MAX),
        );
        for (let i = 0; i < ids.length; i += INTAKE_BATCH_SIZE) {
          const first = ids[i] as string;
          await queue.send(
            processSubmissionJobRef,
            { submissionId: first, baseUrl },
            { tenantId, idempotencyKey: `form-sweep:${first}` },
          );
          sent += 1;
        }
      }
      if (sent > 0)
        deps.logger.warn({ jobs: sent }, 'sent processing jobs for form submissions left received');
    },
  });
}

/**
 * One per tenant and 100 stored submissions (sent by the intake after their commit, or by the
 * intake sweep): processes its submission and up to 99 other received submissions of the tenant
 * in one transaction (see `processSubmissions`); when an earlier batch took its submission, the
 * oldest received ones, or nothing. A crash rolls the batch back; the jobs
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
