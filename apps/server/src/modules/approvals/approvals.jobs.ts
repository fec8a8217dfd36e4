import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { ApprovalsService } from './approvals.service.ts';

/**
 * Every 10 minutes: requests that lapsed undecided are closed as expired, and their kind's
 * handler hears of it (an export waiting for approval is then expired too). Reads already show
 * a lapsed request as expired; this makes it so in the table.
 */
export function expireApprovalsJob(deps: {
  db: Kysely<Tables>;
  logger: Logger;
  approvals: ApprovalsService;
}) {
  return defineJob({
    name: 'approvals.expire-requests',
    version: 1,
    scope: 'system',
    cron: '*/10 * * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
      let expired = 0;
      for (const { id } of tenants.rows) {
        expired += await withTenant(deps.db, id, (tx) => deps.approvals.expireDue(tx));
      }
      if (expired > 0) deps.logger.info({ expired }, 'expired approval requests');
    },
  });
}
