import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { defineErrors } from '../../kernel/errors.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { decodeCursor, listQuerySchema, toPage } from '../../kernel/http/pagination.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { findDeadLetter, listDeadLetters, markRequeued } from './jobs.repository.ts';

const jobsError = defineErrors({
  JOBS_DEAD_LETTER_NOT_FOUND: 'not_found',
  JOBS_ALREADY_REQUEUED: 'conflict',
});

const deadLetterSchema = z.object({
  id: z.string().uuid(),
  queue: z.string(),
  jobId: z.string(),
  error: z.string(),
  attempts: z.number().int(),
  failedAt: z.string().datetime(),
  requeuedAt: z.string().datetime().nullable(),
});

/** Dead letters: jobs of this tenant that failed every retry, for admins to inspect and send back. */
export function jobsRoutes(database: Database, queue: JobQueue) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/v1/jobs/dead-letters',
      {
        config: { access: { area: 'settings', action: 'read' } },
        schema: {
          tags: ['jobs'],
          summary: 'Jobs that failed every retry',
          querystring: listQuerySchema.extend({
            state: z.enum(['open', 'all']).default('open').describe('open: not sent back yet'),
          }),
          response: {
            200: z.object({ items: z.array(deadLetterSchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { limit, cursor, state } = request.query;
        const rows = await withTenant(database.db, tenantId, (tx) =>
          listDeadLetters(tx, { limit, after: decodeCursor(cursor), open: state === 'open' }),
        );
        return toPage(rows, limit, (d) => ({
          id: d.id,
          queue: d.queue,
          jobId: d.jobId,
          error: d.error,
          attempts: d.attempts,
          failedAt: d.failedAt.toISOString(),
          requeuedAt: d.requeuedAt ? d.requeuedAt.toISOString() : null,
        }));
      },
    );
    r.post(
      '/api/v1/jobs/dead-letters/:id/requeue',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: ['jobs'],
          summary: 'Send a dead-lettered job back to its queue',
          params: z.object({ id: z.string().uuid() }),
          response: { 202: z.object({ jobId: z.string() }) },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const jobId = await withTenant(database.db, tenantId, async (tx) => {
          const letter = await findDeadLetter(tx, request.params.id);
          if (!letter) throw jobsError('JOBS_DEAD_LETTER_NOT_FOUND', 'There is no such dead letter.');
          if (letter.requeuedAt) throw jobsError('JOBS_ALREADY_REQUEUED', 'This job was already sent back.');
          if (!(await markRequeued(tx, letter.id)))
            throw jobsError('JOBS_ALREADY_REQUEUED', 'This job was already sent back.');
          return queue.resend(letter.queue, letter.payload, letter.jobId, tx);
        });
        return reply.status(202).send({ jobId });
      },
    );
  };
}
