import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../../kernel/db/tables.ts';
import { withTenant } from '../../../kernel/db/tenancy.ts';
import { defineJob } from '../../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../../kernel/jobs/queue.ts';
import type { Logger } from '../../../kernel/logger.ts';
import { LINK_REQUEST_WINDOW_SECONDS } from '../preferences/preferences.service.ts';
import { pruneLinkRequests } from './newsletters.repository.ts';
import { purgeExpired } from './newsletters.subscriptions.ts';

export type NewslettersJobDeps = {
  db: Kysely<Tables>;
  logger: Logger;
  /** For the `subscription.changed` webhook of an expired request; bound once the queue exists. */
  queue?: (() => JobQueue) | undefined;
  now?: () => Date;
};

/** Runs the purge of every tenant once (the job's handler; tests call it directly). */
export async function purgePendingSubscriptions(
  deps: NewslettersJobDeps,
): Promise<{ expired: number; tokens: number }> {
  const now = (deps.now ?? (() => new Date()))();
  const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
  const queue = deps.queue?.();
  let expired = 0;
  let tokens = 0;
  for (const { id } of tenants.rows) {
    const result = await withTenant(deps.db, id, (tx) => purgeExpired(tx, queue, now));
    expired += result.expired;
    tokens += result.tokens;
  }
  await pruneLinkRequests(deps.db, LINK_REQUEST_WINDOW_SECONDS);
  return { expired, tokens };
}

/**
 * Hourly: unconfirmed subscription requests past their 7 days become an `expired` event and
 * their row goes (with its tokens); expired tokens and old used ones go; the link-request
 * throttle forgets past windows. Contacts stay.
 */
export function purgePendingJob(deps: NewslettersJobDeps) {
  return defineJob({
    name: 'newsletters.purge-pending',
    version: 1,
    scope: 'system',
    cron: '41 * * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const result = await purgePendingSubscriptions(deps);
      if (result.expired + result.tokens > 0)
        deps.logger.info(result, 'purged unconfirmed newsletter requests');
    },
  });
}

/** Every job of the newsletters part (worker.ts registers them). */
export function newslettersJobs(deps: NewslettersJobDeps) {
  return [purgePendingJob(deps)];
}
