import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ColumnType, type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../db/tables.ts';
import { defineJob } from '../jobs/jobs.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Logger } from '../logger.ts';
import { scrubText } from '../logger.ts';
import { assertBlobKey, type BlobStore } from './blob-store.ts';

/**
 * Crash-safe blob deletion. The `blob_deletion` table (kernel, migration
 * 20261130100000_documents_core.sql) lists keys whose blobs must go, each due at a time:
 *
 * - An upload first *reserves* its key, due in an hour, in a transaction of its own. The row
 *   that will own the blob (a document) removes the reservation in its insert's transaction (a
 *   trigger), so a blob whose row never committed — a failed insert, a killed process — is
 *   swept once the reservation falls due.
 * - A deleted row hands its key back, due at once (an AFTER DELETE trigger): whether the row
 *   was deleted directly or by a cascade (a contact, a company, a tenant), in the same
 *   transaction, so the blob goes if and only if the deletion commits.
 *
 * `sweepBlobs()` deletes due blobs, then their rows, in short transactions that hold the rows
 * (`FOR UPDATE SKIP LOCKED`): two sweeps never work on one key, and an insert racing an expired
 * reservation waits for the sweep and then fails instead of pointing at a deleted blob. A failed
 * deletion stays listed and is retried with backoff. On the embedded database a transaction
 * holds the whole database, so a batch is kept small (50 keys; local deletions take
 * microseconds, S3 ones a round trip each, 8 at a time).
 */

type BlobDeletionTable = {
  key: string;
  dueAt: ColumnType<Date, Date | string, Date | string>;
  attempts: ColumnType<number, number | undefined, number>;
  lastError: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};
type BlobTables = { blobDeletion: BlobDeletionTable };

/** How long an upload may take before what it wrote counts as abandoned. */
export const UPLOAD_RESERVATION_SECONDS = 60 * 60;
const MAX_BACKOFF_SECONDS = 24 * 60 * 60;

function own(db: Kysely<Tables>): Kysely<Tables & BlobTables> {
  return db.withTables<BlobTables>();
}

/**
 * Reserves a fresh key for an upload, committed before any byte is written (call it outside
 * any transaction). Whatever ends up under the key is deleted once the reservation is due,
 * unless a row has claimed the key by then.
 */
export async function reserveBlobKey(
  db: Kysely<Tables>,
  key: string,
  seconds = UPLOAD_RESERVATION_SECONDS,
): Promise<void> {
  assertBlobKey(key);
  await own(db)
    .insertInto('blobDeletion')
    .values({ key, dueAt: sql<Date>`now() + make_interval(secs => ${seconds})` })
    .execute();
}

/**
 * Gives up an upload at once: deletes what was written and the reservation. Used when the
 * upload failed before its row was inserted; if this fails too, the reservation still falls due.
 */
export async function discardBlob(db: Kysely<Tables>, blobs: BlobStore, key: string): Promise<void> {
  await blobs.delete(key);
  await own(db).deleteFrom('blobDeletion').where('key', '=', key).execute();
}

export type SweepResult = { deleted: number; failed: number };

/**
 * Deletes every due blob and its row, a batch at a time: one short transaction locks up to
 * `batch` due rows (`FOR UPDATE SKIP LOCKED`: rows another sweep or an open insert holds are
 * left alone), deletes their blobs, `concurrency` at a time, and removes the rows of the blobs
 * that went; a failed deletion stays, due again after a backoff (30 s, doubling, at most a day).
 */
export async function sweepBlobs(
  db: Kysely<Tables>,
  blobs: BlobStore,
  logger: Logger,
  options: { batch?: number; concurrency?: number } = {},
): Promise<SweepResult> {
  const batch = options.batch ?? 50;
  const concurrency = options.concurrency ?? 8;
  const result: SweepResult = { deleted: 0, failed: 0 };
  for (;;) {
    const round = await own(db)
      .transaction()
      .execute(async (tx) => {
        const due = await tx
          .selectFrom('blobDeletion')
          .select('key')
          .where('dueAt', '<=', sql<Date>`now()`)
          .orderBy('dueAt')
          .limit(batch)
          .forUpdate()
          .skipLocked()
          .execute();
        const keys = due.map((r) => r.key);
        const failures = await deleteAll(blobs, keys, concurrency);
        const deleted = keys.filter((k) => !failures.has(k));
        if (deleted.length > 0) await tx.deleteFrom('blobDeletion').where('key', 'in', deleted).execute();
        for (const [key, failure] of failures) {
          await tx
            .updateTable('blobDeletion')
            .set((eb) => ({
              attempts: eb('attempts', '+', 1),
              lastError: scrubText(failure.message).slice(0, 500),
              dueAt: sql<Date>`now() + make_interval(secs => least(${MAX_BACKOFF_SECONDS}, 30 * power(2, attempts)))`,
            }))
            .where('key', '=', key)
            .execute();
          logger.warn({ key, err: failure }, 'could not delete a blob; will retry');
        }
        return { locked: keys.length, deleted: deleted.length, failed: failures.size };
      });
    result.deleted += round.deleted;
    result.failed += round.failed;
    // Failed keys are due later now, so the next batch holds new keys or none.
    if (round.locked < batch) break;
  }
  return result;
}

/** Deletes the blobs, `concurrency` at a time; the keys that failed, with why. */
async function deleteAll(blobs: BlobStore, keys: string[], concurrency: number): Promise<Map<string, Error>> {
  const failures = new Map<string, Error>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, keys.length) }, async () => {
      for (let i = next++; i < keys.length; i = next++) {
        const key = keys[i] as string;
        try {
          await blobs.delete(key);
        } catch (error) {
          failures.set(key, error instanceof Error ? error : new Error(String(error)));
        }
      }
    }),
  );
  return failures;
}

/**
 * The sweep as a job: every minute, and sent (kicked) right after a request that deleted
 * something, so files go within seconds. Also removes a local store's stale partial files.
 */
export function sweepBlobsJob(deps: { db: Kysely<Tables>; blobs: BlobStore; logger: Logger }) {
  return defineJob({
    name: 'kernel.sweep-blobs',
    version: 1,
    scope: 'system',
    cron: '* * * * *',
    retryLimit: 2,
    expireInSeconds: 600,
    schema: z.object({}).strict(),
    handler: async () => {
      const result = await sweepBlobs(deps.db, deps.blobs, deps.logger);
      const partials = await deps.blobs.cleanUp();
      if (result.deleted > 0 || result.failed > 0 || partials > 0) {
        deps.logger.info({ ...result, partials }, 'swept blobs');
      }
    },
  });
}

/**
 * An `onResponse` hook: after a successful DELETE under /api/v1 (a document, a contact, a
 * company — anything whose rows may hand blobs back through a cascade), send the sweep job.
 * The response is out and the transaction committed by then; a failed send only delays the
 * sweep to its next minute.
 */
export function kickBlobSweepAfterDeletes(deps: {
  queue: JobQueue;
  db: Kysely<Tables>;
  blobs: BlobStore;
  logger: Logger;
}) {
  const { queue, logger } = deps;
  const job = sweepBlobsJob(deps);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method !== 'DELETE' || reply.statusCode >= 300 || !request.url.startsWith('/api/v1/')) return;
    try {
      await queue.send(job, {});
    } catch (error) {
      logger.warn({ err: error }, 'could not send the blob sweep; it runs within a minute anyway');
    }
  };
}
