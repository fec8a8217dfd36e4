import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { listAuditEntries } from './audit.repository.ts';
import { type AuditEntry, auditEntrySchema, listAuditQuerySchema } from './audit.schema.ts';

// JSON and text columns are parsed at the edge, as everything external is.
const actorKind = auditEntrySchema.shape.actor.shape.kind;
const changes = auditEntrySchema.shape.changes;

/** The tenant's audit log, newest first, for those who may read privacy records. */
export function auditRoutes(database: Database) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/v1/audit-log',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags: ['audit'],
          summary: 'Changes of settings, rights and personal data, newest first',
          querystring: listAuditQuerySchema,
          response: {
            200: z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { limit, cursor, ...filter } = request.query;
        const after = decodeCursor(cursor);
        const rows = await withTenant(database.db, tenantId, (tx) =>
          listAuditEntries(tx, filter, { limit, after }),
        );
        return toPage(
          rows,
          limit,
          (e): AuditEntry => ({
            id: e.id,
            seq: Number(e.seq),
            occurredAt: e.occurredAt.toISOString(),
            actor: { kind: actorKind.parse(e.actorKind), userId: e.actorUserId },
            action: e.action,
            entityType: e.entityType,
            entityId: e.entityId,
            changes: changes.parse(e.changes),
            hash: e.hash,
          }),
        );
      },
    );
  };
}
