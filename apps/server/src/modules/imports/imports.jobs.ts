import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';
import { recordAudit } from '../audit/index.ts';
import { IMPORT_FAILURES } from './imports.errors.ts';
import * as repo from './imports.repository.ts';
import { fail, type RunOptions, runImport } from './imports.runner.ts';
import { endImport } from './imports.service.ts';

type JobDeps = { db: Kysely<Tables>; logger: Logger };

export const RUN_RETRY_LIMIT = 5;

/**
 * Runs an import (see imports.runner.ts). Long by nature, so bounded by a heartbeat rather than
 * a short expiry: a worker that dies stops beating, and after `heartbeatSeconds` the job is
 * retried — by this or another worker — and resumes from the last committed batch.
 */
export function runImportJob(deps: JobDeps, options: RunOptions = {}) {
  return defineJob<{ importId: string }>({
    name: 'imports.run',
    version: 1,
    scope: 'tenant',
    schema: z.object({ importId: z.uuid() }).strict(),
    retryLimit: RUN_RETRY_LIMIT,
    retryDelaySeconds: 5,
    heartbeatSeconds: 10,
    expireInSeconds: 4 * 3600,
    handler: async (job, ctx) => {
      const tenantId = job.tenantId;
      if (!tenantId) throw new Error('imports.run needs a tenant');
      const run = { tenantId, importId: job.data.importId, idempotencyKey: job.idempotencyKey };
      try {
        await runImport(deps, ctx, run, options);
      } catch (error) {
        if (job.attempt >= RUN_RETRY_LIMIT)
          await fail(deps, tenantId, run.importId, IMPORT_FAILURES.jobFailed);
        throw withoutValues(error);
      }
    },
  });
}

/**
 * A database error of a batch may quote the row it refused (`Failing row contains (…)`): what is
 * logged and kept of a failed attempt is its SQLSTATE and constraint only, never the values.
 */
function withoutValues(error: unknown): unknown {
  const e = error as { code?: unknown; constraint?: unknown };
  if (error instanceof Error && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    const constraint = typeof e.constraint === 'string' ? `, constraint ${e.constraint}` : '';
    return new Error(`database error ${e.code}${constraint} while importing a batch`);
  }
  return error;
}

/** An upload never started is removed after this long (its file with it). */
const UPLOAD_TTL_HOURS = 24;
/** A running import without a committed batch for this long lost its worker for good. */
const STALLED_HOURS = 6;
/** Finished imports (and their error reports, which hold the file's values) are kept this long. */
const KEEP_DAYS = 30;

/**
 * Nightly: uploads never started expire (their file is deleted), imports that stopped moving are
 * failed, and finished imports older than 30 days are removed with their error reports.
 */
export function pruneImportsJob(deps: JobDeps) {
  return defineJob({
    name: 'imports.prune',
    version: 1,
    scope: 'system',
    cron: '53 3 * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
      let expired = 0;
      let removed = 0;
      for (const { id: tenantId } of tenants.rows) {
        const now = Date.now();
        await withTenant(deps.db, tenantId, async (tx) => {
          for (const stale of await repo.staleImports(
            tx,
            ['uploading', 'uploaded'],
            hoursAgo(now, UPLOAD_TTL_HOURS),
          )) {
            if (stale.status === 'uploading') {
              await repo.deleteImport(tx, stale.id);
              continue;
            }
            await endImport(tx, stale, 'cancelled', IMPORT_FAILURES.expired);
            await recordAudit(tx, {
              tenantId,
              actor: { kind: 'system' },
              action: 'import.expired',
              entityType: 'data_import',
              entityId: stale.id,
              changes: { kind: 'settings', before: { status: 'uploaded' }, after: { status: 'cancelled' } },
            });
            expired += 1;
          }
          for (const old of await repo.staleImports(
            tx,
            ['completed', 'failed', 'cancelled'],
            hoursAgo(now, KEEP_DAYS * 24),
          )) {
            await repo.deleteImport(tx, old.id);
            removed += 1;
          }
        });
        const stalled = await withTenant(deps.db, tenantId, (tx) =>
          repo.staleImports(tx, ['running'], hoursAgo(now, STALLED_HOURS)),
        );
        for (const s of stalled) await fail(deps, tenantId, s.id, IMPORT_FAILURES.stalled);
      }
      deps.logger.info({ expired, removed }, 'pruned imports');
    },
  });
}

function hoursAgo(now: number, hours: number): Date {
  return new Date(now - hours * 3600 * 1000);
}
