import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import {
  approvalSchema,
  approvalsPageSchema,
  decisionBodySchema,
  idParams,
  listApprovalsQuerySchema,
} from './approvals.schema.ts';
import type { ApprovalsService } from './approvals.service.ts';

/**
 * The privacy officer's queue of requests. Reading: any signed-in user — those with
 * `privacy:approve` or `privacy:read` see every request, anyone else their own. Deciding needs
 * `privacy:approve`; withdrawing is the requester's.
 */
export function approvalsRoutes(deps: { database: Database; queue: JobQueue; approvals: ApprovalsService }) {
  const { database, approvals } = deps;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/approvals',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['approvals'],
          summary:
            'Approval requests, newest first (privacy:approve or privacy:read: all of the tenant; otherwise your own)',
          querystring: listApprovalsQuerySchema,
          response: { 200: approvalsPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          approvals.list(tx, principal, request.query),
        );
      },
    );

    r.get(
      '/api/v1/approvals/:id',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['approvals'],
          summary: 'One approval request (404 unless you may see it)',
          params: idParams,
          response: { 200: approvalSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          approvals.get(tx, principal, request.params.id),
        );
      },
    );

    for (const [verb, status] of [
      ['approve', 'approved'],
      ['reject', 'rejected'],
    ] as const) {
      r.post(
        `/api/v1/approvals/:id/${verb}`,
        {
          config: { access: { area: 'privacy', action: 'approve' } },
          schema: {
            tags: ['approvals'],
            summary:
              verb === 'approve'
                ? 'Approve a pending request: what waited for it runs (an export is produced). Not your own.'
                : 'Reject a pending request: nothing runs. Not your own.',
            params: idParams,
            body: decisionBodySchema.nullish(),
            response: { 200: approvalSchema },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          return withTenant(database.db, principal.tenantId, (tx) =>
            approvals.decide(tx, principal, request.params.id, status, request.body, { queue: deps.queue }),
          );
        },
      );
    }

    r.post(
      '/api/v1/approvals/:id/cancel',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['approvals'],
          summary: 'Withdraw a pending request of your own: nothing runs',
          params: idParams,
          response: { 200: approvalSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          approvals.cancel(tx, principal, request.params.id),
        );
      },
    );
  };
}
