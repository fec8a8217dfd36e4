import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { fromPglite, type Db as IDatabase, type JobResult, type JobWithMetadata, PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { type TenantTx, withTenant } from '../db/tenancy.ts';
import type { Logger } from '../logger.ts';
import { scrubText } from '../logger.ts';
import type { AnyJobDefinition, JobContext, JobDefinition, RunningJob } from './jobs.ts';

export const DEAD_LETTER_QUEUE = 'kernel.dead-letter';
const SCHEMA = 'pgboss';

/** What travels in pg-boss's `data` column: a versioned envelope around the module's payload. */
const envelopeSchema = z.object({
  v: z.number().int().positive(),
  tenantId: z.string().uuid().nullable(),
  key: z.string().min(1).max(300).nullable(),
  data: z.unknown(),
});
type Envelope = z.infer<typeof envelopeSchema>;

export type SendOptions = {
  /** Required for tenant jobs. */
  tenantId?: string;
  /**
   * Enqueue inside this transaction: the job exists only if the transaction commits (the
   * business change and its follow-up job are atomic). Required when sending from inside a
   * transaction on the embedded database, whose single session is held by that transaction.
   */
  tx?: TenantTx;
  /** The same key sent twice produces one effect (see JobContext.once). */
  idempotencyKey?: string;
  startAfter?: Date | number;
};

export type JobQueue = {
  send<P>(definition: JobDefinition<P>, data: P, options?: SendOptions): Promise<string>;
  /** Starts the queue: always for sending; with `work`, also runs handlers and schedules. */
  start(options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Sends a dead-lettered job's payload to its queue again. */
  resend(queue: string, envelope: unknown, originalJobId: string, tx?: TenantTx): Promise<string>;
};

export type JobQueueDeps = {
  database: Database;
  logger: Logger;
  definitions: readonly AnyJobDefinition[];
  /** Handlers running at once per queue in this process. */
  concurrency?: number;
  tuning?: QueueTuning;
};

/** How often the queue looks after itself; tests shorten these. */
export type QueueTuning = {
  /** Expired (crashed) jobs are found and retried at this interval. */
  superviseIntervalSeconds?: number;
  monitorIntervalSeconds?: number;
  /** Polling when notifications are unavailable (min 0.5). */
  pollingIntervalSeconds?: number;
  /** Polling beside notifications: picks up retries and delayed jobs, which no NOTIFY announces. */
  notifyPollingIntervalSeconds?: number;
};

export function createJobQueue({
  database,
  logger,
  definitions,
  concurrency = 4,
  tuning = {},
}: JobQueueDeps): JobQueue {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  if (byName.size !== definitions.length) throw new Error('two job definitions share a name');
  let boss: PgBoss | undefined;
  let starting: Promise<PgBoss> | undefined;

  const base = {
    schema: SCHEMA,
    createSchema: false,
    migrate: true,
    useListenNotify: true,
    application_name: 'kontor-jobs',
    superviseIntervalSeconds: tuning.superviseIntervalSeconds ?? 30,
    monitorIntervalSeconds: tuning.monitorIntervalSeconds ?? 30,
  } as const;

  function instance(): PgBoss {
    if (!boss) throw new Error('the job queue is not started');
    return boss;
  }

  /** Creates each queue, and brings an existing queue's retry and expiry settings up to date. */
  async function ensureQueues(b: PgBoss): Promise<void> {
    const deadLetterOptions = { retryLimit: 10, retryDelay: 5, retryBackoff: true };
    await b.createQueue(DEAD_LETTER_QUEUE, { ...deadLetterOptions, notify: true } as never);
    for (const d of definitions) {
      const options = {
        retryLimit: d.retryLimit ?? 5,
        retryDelay: d.retryDelaySeconds ?? 10,
        retryBackoff: true,
        retryDelayMax: 3600,
        expireInSeconds: d.expireInSeconds ?? 300,
        ...(d.heartbeatSeconds ? { heartbeatSeconds: d.heartbeatSeconds } : {}),
        deadLetter: DEAD_LETTER_QUEUE,
      };
      await b.createQueue(d.name, { ...options, notify: true } as never);
      await b.updateQueue(d.name, options);
    }
  }

  async function runJob(definition: AnyJobDefinition, job: JobWithMetadata<unknown>): Promise<JobResult> {
    const envelope = envelopeSchema.safeParse(job.data);
    const payload = envelope.success ? definition.schema.safeParse(envelope.data.data) : undefined;
    if (!envelope.success || !payload?.success || envelope.data.v > definition.version) {
      logger.error(
        { queue: definition.name, jobId: job.id },
        'job payload does not match its schema; dead-lettered',
      );
      return {
        id: job.id,
        status: 'deadletter',
        output: { message: 'payload does not match the job schema' },
      };
    }
    const tenantId = envelope.data.tenantId;
    const running: RunningJob<unknown> = {
      id: job.id,
      queue: definition.name,
      data: payload.data,
      tenantId,
      idempotencyKey: envelope.data.key ?? job.id,
      attempt: job.retryCount,
    };
    const ctx = jobContext(running);
    try {
      await definition.handler(running, ctx);
      return { id: job.id, status: 'completed' };
    } catch (error) {
      const message = scrubText(error instanceof Error ? error.message : String(error)).slice(0, 1000);
      logger.warn(
        { queue: definition.name, jobId: job.id, attempt: job.retryCount, err: error },
        'job attempt failed',
      );
      return { id: job.id, status: 'failed', output: { message } };
    }
  }

  function jobContext(job: RunningJob<unknown>): JobContext {
    const inTenant: JobContext['inTenant'] = (work) => {
      if (!job.tenantId) throw new Error(`job ${job.queue} has no tenant`);
      return withTenant(database.db, job.tenantId, work);
    };
    return {
      inTenant,
      once: (effect, key = job.idempotencyKey) =>
        inTenant(async (tx) => {
          const claimed = await tx
            .insertInto('jobEffect')
            .values({
              tenantId: job.tenantId as string,
              idempotencyKey: key,
              queue: job.queue,
              jobId: job.id,
            })
            .onConflict((oc) => oc.doNothing())
            .returning('idempotencyKey')
            .executeTakeFirst();
          if (!claimed) return false;
          await effect(tx);
          return true;
        }),
    };
  }

  /** Keeps a tenant-visible record of every job that failed for good (retries used up or expired). */
  async function recordDeadLetter(job: JobWithMetadata<unknown>): Promise<void> {
    const envelope = envelopeSchema.safeParse(job.data);
    const source = job as JobWithMetadata<unknown> & {
      sourceName?: string | null;
      sourceId?: string | null;
      sourceRetryCount?: number | null;
      sourceOutput?: { message?: unknown } | null;
    };
    const queue = source.sourceName ?? 'unknown';
    if (!envelope.success || !envelope.data.tenantId) {
      logger.error({ queue, jobId: source.sourceId }, 'system job failed for good');
      return;
    }
    const error =
      typeof source.sourceOutput?.message === 'string' ? source.sourceOutput.message : 'expired or failed';
    await withTenant(database.db, envelope.data.tenantId, (tx) =>
      tx
        .insertInto('deadLetter')
        .values({
          tenantId: envelope.data.tenantId as string,
          queue,
          jobId: source.sourceId ?? job.id,
          payload: JSON.stringify(envelope.data),
          error: scrubText(error).slice(0, 1000),
          attempts: (source.sourceRetryCount ?? 0) + 1,
        })
        .onConflict((oc) => oc.columns(['tenantId', 'jobId']).doNothing())
        .execute(),
    );
    logger.error({ queue, jobId: source.sourceId }, 'job failed for good; recorded as dead letter');
  }

  async function startBoss(work: boolean): Promise<PgBoss> {
    const connection =
      database.kind === 'pglite'
        ? { db: fromPglite(database.pglite as never), backend: 'pglite' as const }
        : { connectionString: database.connectionString, options: '-c role=kontor_app', max: 4 };
    const b = new PgBoss({ ...base, ...connection, supervise: work, schedule: work } as never);
    b.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
    await b.start();
    await ensureQueues(b);
    if (work) {
      const options = {
        batchSize: 10,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: tuning.pollingIntervalSeconds ?? 2,
        notifyPollingIntervalSeconds: tuning.notifyPollingIntervalSeconds ?? 5,
        localConcurrency: concurrency,
        includeMetadata: true,
        perJobResults: true,
      } as const;
      for (const d of definitions) {
        await b.work<unknown>(d.name, options, async (jobs) =>
          Promise.all((jobs as JobWithMetadata<unknown>[]).map((j) => runJob(d, j))),
        );
        if (d.cron) await b.schedule(d.name, d.cron, envelopeOf(d, undefined, {}), { tz: 'UTC' } as never);
      }
      await b.work<unknown>(DEAD_LETTER_QUEUE, { ...options, perJobResults: true }, async (jobs) =>
        Promise.all(
          (jobs as JobWithMetadata<unknown>[]).map(async (j): Promise<JobResult> => {
            await recordDeadLetter(j);
            return { id: j.id, status: 'completed' };
          }),
        ),
      );
    }
    return b;
  }

  function envelopeOf<P>(definition: JobDefinition<P>, data: P, options: SendOptions): Envelope {
    return {
      v: definition.version,
      tenantId: options.tenantId ?? null,
      key: options.idempotencyKey ?? null,
      data,
    };
  }

  return {
    async start({ work }) {
      starting ??= startBoss(work);
      boss = await starting;
    },
    async stop() {
      const b = boss ?? (starting ? await starting.catch(() => undefined) : undefined);
      boss = undefined;
      starting = undefined;
      await b?.stop({ graceful: true, timeout: 10_000, close: true });
    },
    async send(definition, data, options = {}) {
      if (!byName.has(definition.name)) throw new Error(`job ${definition.name} is not registered`);
      if (definition.scope === 'tenant' && !options.tenantId)
        throw new Error(`job ${definition.name} needs a tenantId`);
      const parsed = definition.schema.parse(data);
      const id = await instance().send(definition.name, envelopeOf(definition, parsed, options), {
        ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
        ...(options.tx ? { db: inTransaction(options.tx) } : {}),
        id: randomUUID(),
      });
      if (!id) throw new Error(`job ${definition.name} was not queued`);
      return id;
    },
    async resend(queue, envelope, originalJobId, tx) {
      const definition = byName.get(queue);
      if (!definition) throw new Error(`job ${queue} is not registered`);
      const parsed = envelopeSchema.parse(envelope);
      // Keep the original idempotency key: sending the same dead letter back twice runs its effect once.
      const again: Envelope = { ...parsed, key: parsed.key ?? originalJobId };
      const id = await instance().send(queue, again, {
        id: randomUUID(),
        ...(tx ? { db: inTransaction(tx) } : {}),
      });
      if (!id) throw new Error(`job ${queue} was not queued`);
      return id;
    },
  };
}

/** pg-boss's database interface over one of our transactions. */
function inTransaction(tx: TenantTx): IDatabase {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result = await tx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] as never[] };
    },
  };
}

/** Installs the queue's own tables (pg-boss migrations) as part of `kontor migrate`. */
export async function installJobSchema(database: Database, logger: Logger): Promise<void> {
  const queue = createJobQueue({ database, logger, definitions: [] });
  await queue.start({ work: false });
  await queue.stop();
}
