import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { pendingMigrations, readMigrations } from '../../kernel/db/migrate.ts';
import { problemOf, sendProblem } from '../../kernel/http/problem.ts';

const healthSchema = z.object({ status: z.literal('ok') });
const readySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['pglite', 'postgres']),
  migrations: z.number().int(),
  pending: z.array(z.string()).optional(),
});

/** `/healthz`: the process lives. `/readyz`: the database answers and every migration is applied. */
export function systemRoutes(database: Database) {
  let migrated = false;
  const total = readMigrations().length;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/healthz',
      {
        schema: { tags: ['system'], security: [], response: { 200: healthSchema } },
        config: { access: 'public' },
        logLevel: 'warn',
      },
      async () => ({ status: 'ok' as const }),
    );
    r.get(
      '/readyz',
      {
        schema: { tags: ['system'], security: [], response: { 200: readySchema, 503: readySchema } },
        config: { access: 'public' },
        logLevel: 'warn',
      },
      async (_request, reply) => {
        try {
          const pending = migrated ? [] : await pendingMigrations(database);
          migrated = pending.length === 0;
          const body = {
            status: migrated ? ('ready' as const) : ('not_ready' as const),
            database: database.kind,
            migrations: total,
          };
          return migrated ? body : reply.status(503).send({ ...body, pending });
        } catch {
          return sendProblem(
            reply,
            problemOf('unavailable', 'DATABASE_UNAVAILABLE', 'The database does not answer.'),
          );
        }
      },
    );
  };
}
