import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';

export type AccessEntry = {
  tenantId: string;
  userId: string;
  recordType: 'contact' | 'company';
  recordIds: string[];
  /** Why: the route pattern (`GET /api/v1/contacts/{id}`), never a URL with its query. */
  purpose: string;
  kind?: 'read' | 'search' | 'export';
};

const MAX_IDS = 1000;

/**
 * Records that a user saw personal data, in the transaction that read it (no read without
 * its record). Large result sets are recorded in chunks of 1,000 ids. No IP address is kept.
 */
export async function recordAccess(tx: TenantTx, entry: AccessEntry): Promise<void> {
  const ids = [...new Set(entry.recordIds)];
  for (let i = 0; i < ids.length; i += MAX_IDS) {
    await tx
      .insertInto('accessLog')
      .values({
        tenantId: entry.tenantId,
        userId: entry.userId,
        recordType: entry.recordType,
        recordIds: ids.slice(i, i + MAX_IDS),
        purpose: entry.purpose.slice(0, 200),
        kind: entry.kind ?? 'read',
      })
      .execute();
  }
}

/** Nightly: removes access records older than each tenant's retention (default 365 days). */
export function pruneAccessLogJob(deps: { db: Kysely<Tables>; logger: Logger }) {
  return defineJob({
    name: 'privacy.prune-access-log',
    version: 1,
    scope: 'system',
    cron: '41 3 * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
      let removed = 0;
      for (const { id } of tenants.rows) {
        removed += await withTenant(deps.db, id, (tx) => pruneAccessLog(tx));
      }
      deps.logger.info({ removed }, 'pruned the access log');
    },
  });
}

export async function pruneAccessLog(tx: TenantTx, now = new Date()): Promise<number> {
  const tenant = await tx.selectFrom('tenant').select('accessLogRetentionDays').executeTakeFirst();
  if (!tenant) return 0;
  const cutoff = new Date(now.getTime() - tenant.accessLogRetentionDays * 86_400_000);
  const result = await tx.deleteFrom('accessLog').where('occurredAt', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
