import type { z } from 'zod';
import type { TenantTx } from '../db/tenancy.ts';

/**
 * A job type, declared by the module that owns it (`<module>.jobs.ts`). The payload schema is
 * checked when a job is sent and again when it runs; `version` travels with every job so a
 * handler can refuse payloads of a shape it no longer knows.
 */
export type JobDefinition<P> = {
  /** Queue name, `<module>.<what>` in kebab-case, e.g. `kernel.prune-job-effects`. */
  readonly name: string;
  readonly version: number;
  readonly schema: z.ZodType<P>;
  /** Retries after the first attempt (default 5), with exponential backoff from `retryDelaySeconds`. */
  readonly retryLimit?: number;
  readonly retryDelaySeconds?: number;
  /** An attempt that runs longer than this is treated as crashed and retried (default 300). */
  readonly expireInSeconds?: number;
  /**
   * For long jobs: the worker refreshes the job's heartbeat every half of this (≥ 10 s), and a
   * job whose heartbeat stops (its process died) is retried after this long, not only after
   * `expireInSeconds`.
   */
  readonly heartbeatSeconds?: number;
  /** Cron expression (UTC) for a system job that runs on a schedule. */
  readonly cron?: string;
  /** Tenant jobs carry a tenant id; system jobs (cron) run without one. */
  readonly scope: 'tenant' | 'system';
  readonly handler: (job: RunningJob<P>, ctx: JobContext) => Promise<void>;
};

export type RunningJob<P> = {
  readonly id: string;
  readonly queue: string;
  readonly data: P;
  readonly tenantId: string | null;
  /** The key effects are recorded under: the sender's idempotency key, or the job id. */
  readonly idempotencyKey: string;
  /** 0 for the first attempt. */
  readonly attempt: number;
};

export type JobContext = {
  /**
   * Runs `effect` in a transaction of the job's tenant, once per idempotency key: a job that is
   * delivered again (after a crash, a retry or a duplicate send) finds its key recorded in the
   * same transaction as the effect and skips it. Returns whether the effect ran now.
   */
  once(effect: (tx: TenantTx) => Promise<void>, key?: string): Promise<boolean>;
  /** A transaction of the job's tenant, without the idempotency record. */
  inTenant<T>(work: (tx: TenantTx) => Promise<T>): Promise<T>;
};

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  if (!/^[a-z0-9]+\.[a-z0-9-]+$/.test(definition.name)) {
    throw new Error(`job name ${definition.name} must be <module>.<kebab-case-name>`);
  }
  if (definition.cron && definition.scope !== 'system') {
    throw new Error(`job ${definition.name}: only system jobs run on a schedule`);
  }
  return definition;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every payload type
export type AnyJobDefinition = JobDefinition<any>;
