import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { Tables } from '../../kernel/db/tables.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordAudit } from '../audit/index.ts';
import { type DeliverPayload, deliverJobSpec, scheduleAttempt } from './webhooks.delivery.ts';
import * as repo from './webhooks.repository.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from './webhooks.schema.ts';
import { secretContext } from './webhooks.service.ts';
import type { DeliveryStatus } from './webhooks.tables.ts';
import { DeliveryNetworkError, postWebhook, type TargetPolicy } from './webhooks.target.ts';

export type WebhookJobDeps = {
  db: Kysely<Tables>;
  logger: Logger;
  /** Opens the endpoints' sealed secrets; the same key as the HTTP side's. */
  secrets?: SecretBox | undefined;
  /** The queue the next attempt is sent to (late-bound: the queue is built from these jobs). */
  queue?: (() => Pick<JobQueue, 'send'>) | undefined;
  policy?: TargetPolicy | undefined;
};

/** An attempt holds its delivery this long (10 s timeout plus room); a crashed one is retried after it. */
const LEASE_SECONDS = 60;
const DAY = 24 * 60 * 60 * 1000;
/** Events (and their deliveries) whose deliveries are all done are deleted after this. */
export const EVENT_RETENTION_DAYS = 30;
const USER_AGENT = 'Kontor-Webhooks/1';

type Attempted = {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  snippet: string | null;
};

/** The `webhook-signature` value: the current secret's, and the previous one's while it is valid. */
function signatureOf(claimed: repo.ClaimedDelivery, secrets: SecretBox, at: Date): string {
  const context = secretContext(claimed.endpointId);
  const keys = [secrets.open(claimed.secret, context)];
  if (
    claimed.previousSecret &&
    claimed.previousSecretExpiresAt &&
    new Date(claimed.previousSecretExpiresAt) > at
  ) {
    keys.push(secrets.open(claimed.previousSecret, context));
  }
  return keys.map((key) => new Webhook(key).sign(claimed.eventId, at, claimed.payload)).join(' ');
}

async function attempt(claimed: repo.ClaimedDelivery, deps: WebhookJobDeps, at: Date): Promise<Attempted> {
  if (!deps.secrets) throw new Error('webhooks.deliver needs the secret box (jobDefinitions deps.secrets)');
  let signature: string;
  try {
    signature = signatureOf(claimed, deps.secrets, at);
  } catch {
    return {
      statusCode: null,
      durationMs: 0,
      error: 'the signing secret does not open (was KONTOR_SECRET changed?)',
      snippet: null,
    };
  }
  try {
    const response = await postWebhook(
      claimed.url,
      claimed.payload,
      {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': claimed.eventId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      deps.policy ?? { allowPrivateTargets: false },
    );
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      statusCode: response.statusCode,
      durationMs: response.durationMs,
      error: ok ? null : `HTTP ${response.statusCode}`,
      snippet: response.snippet,
    };
  } catch (error) {
    if (!(error instanceof DeliveryNetworkError)) throw error;
    return {
      statusCode: null,
      durationMs: Math.round(Date.now() - at.getTime()),
      error: error.message.slice(0, 300),
      snippet: null,
    };
  }
}

/** succeeded on 2xx; failed on 410 Gone or after the last attempt; else retrying. */
export function nextStep(
  statusCode: number | null,
  attemptIndex: number,
): { status: DeliveryStatus; delaySeconds: number | null } {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300)
    return { status: 'succeeded', delaySeconds: null };
  if (statusCode === 410) return { status: 'failed', delaySeconds: null };
  const delay = RETRY_DELAYS_SECONDS[attemptIndex];
  if (attemptIndex + 1 >= MAX_ATTEMPTS || delay === undefined)
    return { status: 'failed', delaySeconds: null };
  return { status: 'retrying', delaySeconds: delay };
}

/**
 * One attempt of one delivery: claim it (skipped when this attempt was made already or another
 * holds it), sign the stored payload (Standard Webhooks; `webhook-id` = the event id on every
 * attempt, a fresh timestamp), POST it outside any transaction, then write the attempt and —
 * in the same transaction — send the next attempt's job (retrying), or switch the endpoint off
 * (410 Gone, audited). No URL, payload or response body is logged.
 */
export async function deliverOnce(
  deps: WebhookJobDeps,
  tenantId: string,
  payload: DeliverPayload,
): Promise<void> {
  const { deliveryId, attempt: attemptIndex } = payload;
  const claimed = await withTenant(deps.db, tenantId, (tx) =>
    repo.claimDelivery(tx, deliveryId, attemptIndex, LEASE_SECONDS),
  );
  if (!claimed) return;
  if (!claimed.active) {
    await withTenant(deps.db, tenantId, (tx) =>
      repo.failWithoutAttempt(tx, deliveryId, 'the endpoint was switched off'),
    );
    return;
  }
  const at = new Date();
  const result = await attempt(claimed, deps, at);
  const step = nextStep(result.statusCode, attemptIndex);
  const nextAttemptAt = step.delaySeconds === null ? null : new Date(Date.now() + step.delaySeconds * 1000);
  await withTenant(deps.db, tenantId, async (tx) => {
    const written = await repo.recordAttempt(tx, deliveryId, attemptIndex, {
      status: step.status,
      at,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      error: result.error,
      snippet: result.snippet,
      nextAttemptAt,
    });
    if (!written) return;
    if (step.status === 'retrying' && nextAttemptAt) {
      if (!deps.queue) throw new Error('webhooks.deliver needs the job queue (jobDefinitions deps.queue)');
      await scheduleAttempt(tx, deps.queue(), {
        tenantId,
        deliveryId,
        attempt: attemptIndex + 1,
        at: nextAttemptAt,
      });
    }
    if (result.statusCode === 410) {
      const disabled = await repo.updateEndpoint(tx, claimed.endpointId, {
        active: false,
        disabledReason: 'gone',
        disabledAt: at,
      });
      if (disabled) {
        await recordAudit(tx, {
          tenantId,
          actor: { kind: 'system' },
          action: 'webhook_endpoint.disabled',
          entityType: 'webhook_endpoint',
          entityId: claimed.endpointId,
          changes: { kind: 'settings', before: { active: true }, after: { active: false, reason: 'gone' } },
        });
      }
    }
  });
  deps.logger.info(
    {
      deliveryId,
      endpointId: claimed.endpointId,
      attempt: attemptIndex + 1,
      statusCode: result.statusCode,
      outcome: step.status,
      durationMs: result.durationMs,
    },
    'webhook delivery attempt',
  );
}

/** The job that makes one attempt (see deliverOnce); sent by emits, retries and manual retries. */
export function deliverWebhookJob(deps: WebhookJobDeps) {
  return defineJob<DeliverPayload>({
    ...deliverJobSpec,
    handler: async (job) => {
      if (!job.tenantId) throw new Error('webhooks.deliver needs a tenant');
      await deliverOnce(deps, job.tenantId, job.data);
    },
  });
}

/** Nightly: events older than 30 days with no delivery left to make go, with their deliveries. */
export function pruneWebhookEventsJob(deps: WebhookJobDeps & { now?: () => Date }) {
  return defineJob({
    name: 'webhooks.prune-events',
    version: 1,
    scope: 'system',
    cron: '29 3 * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const now = (deps.now ?? (() => new Date()))().getTime();
      let events = 0;
      for (const tenantId of await repo.allTenantIds(deps.db)) {
        events += await withTenant(deps.db, tenantId, (tx) =>
          repo.pruneEvents(tx, new Date(now - EVENT_RETENTION_DAYS * DAY)),
        );
      }
      deps.logger.info({ events }, 'pruned webhook events');
    },
  });
}

export function webhooksJobs(deps: WebhookJobDeps) {
  return [deliverWebhookJob(deps), pruneWebhookEventsJob(deps)];
}
