import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith, queryString } from '../../../api/schemas.ts';

const changesSchema = z.union([
  z.object({ kind: z.literal('settings'), before: z.unknown(), after: z.unknown() }),
  z.object({ kind: z.literal('personal-data'), fields: z.array(z.string()) }),
  z.unknown().transform((raw) => ({ kind: 'other' as const, raw })),
]);
export type AuditChanges = z.output<typeof changesSchema>;

// The server names the actor either as `actor: { kind, userId }` or as flat `actorKind`/`actorUserId`;
// both are read, and the rest of the app sees one shape.
const auditEntrySchema = z
  .object({
    id: z.string(),
    seq: z.number(),
    occurredAt: z.string(),
    actor: z.object({ kind: z.string(), userId: z.string().nullish() }).optional(),
    actorKind: z.string().optional(),
    actorUserId: z.string().nullish(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullish(),
    changes: changesSchema,
  })
  .transform(({ actor, actorKind, actorUserId, entityId, ...entry }) => ({
    ...entry,
    entityId: entityId ?? null,
    actorKind: actor?.kind ?? actorKind ?? 'unknown',
    actorUserId: actor?.userId ?? actorUserId ?? null,
  }));
export type AuditEntry = z.output<typeof auditEntrySchema>;

const auditPageSchema = z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
export type AuditPage = z.output<typeof auditPageSchema>;

export type AuditFilter = {
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorUserId?: string | undefined;
  /** ISO date-times: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
};

export function listAuditLog(
  filter: AuditFilter & { limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<AuditPage> {
  return apiFetch(`/api/v1/audit-log${queryString(filter)}`, parseWith(auditPageSchema), { signal });
}
