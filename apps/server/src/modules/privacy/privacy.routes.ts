import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { decodeCursor, listQuerySchema, toPage } from '../../kernel/http/pagination.ts';
import { auditActorOf, recordAudit } from '../audit/index.ts';

const accessEntrySchema = z.object({
  id: z.string().uuid(),
  userId: z.string().uuid(),
  recordType: z.enum(['contact', 'company']),
  recordIds: z.array(z.string().uuid()),
  purpose: z.string(),
  kind: z.enum(['read', 'search', 'export']),
  occurredAt: z.string().datetime(),
});

const settingsSchema = z.object({
  accessLogRetentionDays: z
    .number()
    .int()
    .min(30)
    .max(3650)
    .describe('How long access records are kept (30–3650 days).'),
  bulkExportThreshold: z
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .describe(
      'Exports of more contacts than this wait for the privacy officer’s approval (0: every export).',
    ),
});

export function privacyRoutes(database: Database) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/access-log',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags: ['privacy'],
          summary:
            'Who read or exported which personal data: per record ("who looked at this person") or per user',
          querystring: listQuerySchema.extend({
            userId: z.string().uuid().optional(),
            recordType: z.enum(['contact', 'company']).optional(),
            recordId: z.string().uuid().optional(),
            from: z.string().datetime({ offset: true }).optional(),
            to: z.string().datetime({ offset: true }).optional(),
          }),
          response: {
            200: z.object({ items: z.array(accessEntrySchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const q = request.query;
        const after = decodeCursor(q.cursor);
        const rows = await withTenant(database.db, tenantId, (tx) => {
          let query = tx
            .selectFrom('accessLog')
            .select(['id', 'userId', 'recordType', 'recordIds', 'purpose', 'kind', 'occurredAt'])
            .select(
              sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
                'cursorTs',
              ),
            )
            .orderBy('occurredAt', 'desc')
            .orderBy('id', 'desc')
            .limit(q.limit + 1);
          if (q.userId) query = query.where('userId', '=', q.userId);
          if (q.recordType) query = query.where('recordType', '=', q.recordType);
          if (q.recordId) query = query.where(sql<boolean>`record_ids @> array[${q.recordId}]::uuid[]`);
          if (q.from) query = query.where('occurredAt', '>=', new Date(q.from));
          if (q.to) query = query.where('occurredAt', '<', new Date(q.to));
          if (after) {
            const t = sql<Date>`${after.t}::timestamptz`;
            query = query.where((eb) =>
              eb.or([eb('occurredAt', '<', t), eb.and([eb('occurredAt', '=', t), eb('id', '<', after.i)])]),
            );
          }
          return query.execute();
        });
        return toPage(rows, q.limit, (e) => ({
          id: e.id,
          userId: e.userId,
          recordType: e.recordType,
          recordIds: e.recordIds,
          purpose: e.purpose,
          kind: e.kind,
          occurredAt: e.occurredAt.toISOString(),
        }));
      },
    );

    r.get(
      '/api/v1/settings/privacy',
      {
        config: { access: { area: 'settings', action: 'read' } },
        schema: {
          tags: ['privacy'],
          summary: 'Privacy settings of the tenant',
          response: { 200: settingsSchema },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const tenant = await withTenant(database.db, tenantId, (tx) =>
          tx
            .selectFrom('tenant')
            .select(['accessLogRetentionDays', 'bulkExportThreshold'])
            .executeTakeFirstOrThrow(),
        );
        return {
          accessLogRetentionDays: tenant.accessLogRetentionDays,
          bulkExportThreshold: tenant.bulkExportThreshold,
        };
      },
    );

    r.patch(
      '/api/v1/settings/privacy',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: ['privacy'],
          summary: 'Change privacy settings',
          body: settingsSchema.partial(),
          response: { 200: settingsSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, async (tx) => {
          const read = () =>
            tx
              .selectFrom('tenant')
              .select(['accessLogRetentionDays', 'bulkExportThreshold'])
              .executeTakeFirstOrThrow();
          const before = await read();
          if (request.body.accessLogRetentionDays !== undefined) {
            await tx
              .updateTable('tenant')
              .set({ accessLogRetentionDays: request.body.accessLogRetentionDays })
              .execute();
          }
          if (request.body.bulkExportThreshold !== undefined) {
            await tx
              .updateTable('tenant')
              .set({ bulkExportThreshold: request.body.bulkExportThreshold })
              .execute();
          }
          const after = await read();
          if (
            after.accessLogRetentionDays !== before.accessLogRetentionDays ||
            after.bulkExportThreshold !== before.bulkExportThreshold
          ) {
            await recordAudit(tx, {
              tenantId: principal.tenantId,
              actor: auditActorOf(principal),
              action: 'settings.privacy-changed',
              entityType: 'tenant',
              entityId: principal.tenantId,
              changes: { kind: 'settings', before, after },
            });
          }
          return after;
        });
      },
    );
  };
}
