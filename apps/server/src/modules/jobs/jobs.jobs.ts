import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';
import { allTenantIds, pruneJobEffects, pruneRequeuedDeadLetters } from './jobs.repository.ts';

const DAY = 24 * 60 * 60 * 1000;
/** Idempotency records outlive every retry window by far; after this a job id is never redelivered. */
export const JOB_EFFECT_RETENTION_DAYS = 30;
export const DEAD_LETTER_RETENTION_DAYS = 90;

/** Nightly clean-up of idempotency records and of dead letters that were sent back long ago. */
export function pruneJob(deps: { db: Kysely<Tables>; logger: Logger; now?: () => Date }) {
  return defineJob({
    name: 'kernel.prune-job-records',
    version: 1,
    scope: 'system',
    cron: '17 3 * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const now = (deps.now ?? (() => new Date()))().getTime();
      let effects = 0;
      let letters = 0;
      for (const tenantId of await allTenantIds(deps.db)) {
        await withTenant(deps.db, tenantId, async (tx) => {
          effects += await pruneJobEffects(tx, new Date(now - JOB_EFFECT_RETENTION_DAYS * DAY));
          letters += await pruneRequeuedDeadLetters(tx, new Date(now - DEAD_LETTER_RETENTION_DAYS * DAY));
        });
      }
      deps.logger.info({ effects, letters }, 'pruned job records');
    },
  });
}
