import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../src/kernel/db/database.ts';
import { defineJob } from '../../src/kernel/jobs/jobs.ts';

/**
 * A tenant-owned table only tests use, as the visible "effect" of test jobs: a job that ran its
 * effect twice would leave two rows with the same key.
 */
export async function createProbeTable(database: Database): Promise<void> {
  await database.asOwner((s) =>
    s.exec(`
      CREATE TABLE IF NOT EXISTS job_probe (
        tenant_id uuid NOT NULL,
        key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      ALTER TABLE job_probe ENABLE ROW LEVEL SECURITY;
      ALTER TABLE job_probe FORCE ROW LEVEL SECURITY;
      DROP POLICY IF EXISTS tenant_isolation ON job_probe;
      CREATE POLICY tenant_isolation ON job_probe
        USING (tenant_id = kontor_current_tenant()) WITH CHECK (tenant_id = kontor_current_tenant());
      GRANT SELECT, INSERT ON job_probe TO kontor_app;`),
  );
}

export async function probeKeys(database: Database): Promise<string[]> {
  const rows = await database.asOwner((s) =>
    s.query<{ key: string }>('SELECT key FROM job_probe ORDER BY key'),
  );
  return rows.map((r) => r.key);
}

export const probePayload = z.object({
  key: z.string(),
  failTimes: z.number().int().min(0).default(0),
  workMs: z.number().int().min(0).default(0),
});

/** A tenant job whose effect is one job_probe row; it fails `failTimes` attempts before succeeding. */
export function probeJob(
  options: {
    name?: string;
    retryLimit?: number;
    expireInSeconds?: number;
    onEffect?: (key: string) => void;
  } = {},
) {
  return defineJob({
    name: options.name ?? 'test.probe',
    version: 1,
    scope: 'tenant',
    schema: probePayload,
    retryLimit: options.retryLimit ?? 3,
    retryDelaySeconds: 1,
    ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
    handler: async (job, ctx) => {
      if (job.attempt < job.data.failTimes)
        throw new Error(`planned failure ${job.attempt + 1} for test@example.com`);
      const ran = await ctx.once(async (tx) => {
        await sql`insert into job_probe (tenant_id, key) values (${job.tenantId}, ${job.data.key})`.execute(
          tx,
        );
        if (job.data.workMs > 0) await new Promise((r) => setTimeout(r, job.data.workMs));
      });
      if (ran) options.onEffect?.(job.data.key);
    },
  });
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  seconds = 30,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
