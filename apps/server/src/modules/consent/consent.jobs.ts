import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { Logger } from '../../kernel/logger.ts';
import { queueMail } from '../mail/index.ts';
import { getSettings } from './consent.changes.ts';
import * as repo from './consent.repository.ts';
import { tenantLanguage } from './consent.service.ts';
import { digestText } from './consent.texts.ts';

export const DIGEST_JOB_NAME = 'consent.digest';

/** Where the web app shows the queue of changes (the digest links there). */
export const QUEUE_PATH = '/privacy/consent-changes';

export type ConsentJobDeps = {
  db: Kysely<Tables>;
  logger: Logger;
  /** The queue the digest mails are sent through (bound once it exists, as for webhooks). */
  queue?: (() => JobQueue) | undefined;
  /** The server's public URL, for the link to the queue (none: the mail has no link). */
  baseUrl?: string | undefined;
  now?: () => Date;
};

/**
 * One tenant's digest: when it is switched on and changes are open, one mail per recipient (the
 * chosen users, else the users holding the Privacy Officer role). Idempotent per tenant and UTC
 * day: the mail key is `consent.digest:<day>:<user>`, so a second run that day queues nothing.
 * Returns how many mails were queued now.
 */
export async function sendDigest(
  tx: TenantTx,
  queue: JobQueue,
  options: { now: Date; baseUrl?: string | undefined },
): Promise<number> {
  const settings = await getSettings(tx);
  if (!settings.digestEnabled) return 0;
  const ages = await repo.openChangeAges(tx, options.now);
  const open = Number(ages?.open ?? 0);
  if (open === 0 || !ages?.oldest) return 0;
  const recipients =
    settings.digestRecipientUserIds.length > 0
      ? await repo.usersByIds(tx, settings.digestRecipientUserIds)
      : await repo.privacyOfficers(tx);
  const language = await tenantLanguage(tx);
  const day = options.now.toISOString().slice(0, 10);
  const { subject, text } = digestText(language, {
    open,
    oldestOpenAt: new Date(ages.oldest),
    overdue: Number(ages.lt7 ?? 0) + Number(ages.older ?? 0),
    queueUrl: options.baseUrl ? `${options.baseUrl.replace(/\/$/, '')}${QUEUE_PATH}` : null,
    day,
  });
  let queued = 0;
  for (const user of recipients) {
    const { created } = await queueMail(tx, queue, {
      key: `consent.digest:${day}:${user.id}`,
      kind: 'notification',
      to: { address: user.email, name: user.displayName },
      subject,
      text,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (created) queued += 1;
  }
  return queued;
}

/** Daily (06:17 UTC): the digest of open changes to each tenant's privacy officers. */
export function consentDigestJob(deps: ConsentJobDeps) {
  return defineJob({
    name: DIGEST_JOB_NAME,
    version: 1,
    scope: 'system',
    cron: '17 6 * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const queue = deps.queue?.();
      if (!queue) throw new Error('consent.digest needs the job queue (jobDefinitions deps.queue)');
      const now = (deps.now ?? (() => new Date()))();
      const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
      let queued = 0;
      for (const { id } of tenants.rows) {
        queued += await withTenant(deps.db, id, (tx) =>
          sendDigest(tx, queue, { now, baseUrl: deps.baseUrl }),
        );
      }
      if (queued > 0) deps.logger.info({ queued }, 'queued consent digests');
    },
  });
}

/** Every job of the consent core, for worker.ts. */
export function consentJobs(deps: ConsentJobDeps) {
  return [consentDigestJob(deps)];
}
