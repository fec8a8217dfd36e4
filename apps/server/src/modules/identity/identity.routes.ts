import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { decodeCursor, listQuerySchema, toPage } from '../../kernel/http/pagination.ts';
import { listUsers } from './identity.repository.ts';

const userSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  displayName: z.string().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

export function identityRoutes(database: Database) {
  return async (app: FastifyInstance) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/api/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: "List the tenant's users",
          querystring: listQuerySchema,
          response: { 200: z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { limit, cursor } = request.query;
        const rows = await withTenant(database.db, tenantId, (tx) =>
          listUsers(tx, { limit, after: decodeCursor(cursor) }),
        );
        return toPage(rows, limit, (u) => ({
          id: u.id,
          email: u.email,
          displayName: u.displayName,
          createdAt: u.createdAt.toISOString(),
          updatedAt: u.updatedAt.toISOString(),
        }));
      },
    );
  };
}
