import { z } from 'zod';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';

/** One attempt of one delivery: `attempt` is the number of attempts made before it (0 = the first). */
export const deliverPayloadSchema = z
  .object({ deliveryId: z.uuid(), attempt: z.number().int().min(0).max(1000) })
  .strict();
export type DeliverPayload = z.infer<typeof deliverPayloadSchema>;

/**
 * The job `webhooks.deliver` as senders see it (name, version, schema, queue options). The
 * worker registers it with its handler (`deliverWebhookJob` in webhooks.jobs.ts); this copy only
 * sends, which needs no handler. pg-boss's own retries (3, from 30 s) cover only crashes and
 * database errors: a receiver's failure is an attempt, and the next attempt is its own job
 * scheduled by the handler (RETRY_DELAYS_SECONDS).
 */
export const deliverJobSpec = defineJob<DeliverPayload>({
  name: 'webhooks.deliver',
  version: 1,
  scope: 'tenant',
  schema: deliverPayloadSchema,
  retryLimit: 3,
  retryDelaySeconds: 30,
  expireInSeconds: 120,
  handler: async () => {
    throw new Error('webhooks.deliver runs only as registered by the worker (deliverWebhookJob)');
  },
});

/** Sends the job of one attempt in the caller's transaction: it exists only if that commits. */
export async function scheduleAttempt(
  tx: TenantTx,
  queue: Pick<JobQueue, 'send'>,
  target: { tenantId: string; deliveryId: string; attempt: number; at?: Date },
): Promise<void> {
  await queue.send(
    deliverJobSpec,
    { deliveryId: target.deliveryId, attempt: target.attempt },
    {
      tenantId: target.tenantId,
      tx,
      idempotencyKey: `webhooks.deliver:${target.deliveryId}:${target.attempt}`,
      ...(target.at ? { startAfter: target.at } : {}),
    },
  );
}
