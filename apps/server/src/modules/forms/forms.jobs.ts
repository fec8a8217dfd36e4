import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';
import { pruneChallenges } from './forms.repository.ts';

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
