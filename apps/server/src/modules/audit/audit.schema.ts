import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';

export const AUDIT_ACTOR_KINDS = ['user', 'api_token', 'system', 'cli'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/** Who made the change: a signed-in user, a user's API token, the system (jobs) or the CLI. */
export type AuditActor =
  | { kind: 'user' | 'api_token'; userId: string }
  | { kind: 'system' | 'cli'; userId?: undefined };

/**
 * What changed. Settings and rights: the value before and after (JSON; null for none).
 * Personal data: the names of the fields that changed, never their values — the audit log must
 * not become a second copy of personal data that erasure would have to reach.
 */
export type AuditChanges =
  | { kind: 'settings'; before: unknown; after: unknown }
  | { kind: 'personal-data'; fields: string[] };

export type AuditEntryInput = {
  /** Must be the tenant of the transaction (row-level security refuses anything else). */
  tenantId: string;
  actor: AuditActor;
  /** `<entity>.<verb>`: 'tenant.created', 'role.updated', 'api_token.revoked'. */
  action: string;
  entityType: string;
  entityId?: string | null;
  changes: AuditChanges;
  /** Defaults to now. */
  occurredAt?: Date;
};

export type RecordedAuditEntry = { id: string; seq: number; hash: string };

const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.]{0,99}$/, 'must be a field name (letters, digits, _ and .), not a value');

export const auditChangesSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('settings'), before: z.json(), after: z.json() }).strict(),
  z.object({ kind: z.literal('personal-data'), fields: z.array(fieldName).min(1).max(200) }).strict(),
]);

export const auditEntryInputSchema = z
  .object({
    tenantId: z.string().uuid(),
    actor: z.discriminatedUnion('kind', [
      z.object({ kind: z.enum(['user', 'api_token']), userId: z.string().uuid() }).strict(),
      z.object({ kind: z.enum(['system', 'cli']), userId: z.undefined().optional() }).strict(),
    ]),
    action: z
      .string()
      .max(100)
      .regex(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/, 'must look like entity.verb'),
    entityType: z
      .string()
      .max(100)
      .regex(/^[a-z][a-z0-9_-]*$/, 'must be a lower-case name'),
    entityId: z.string().min(1).max(200).nullable().optional(),
    changes: auditChangesSchema,
    occurredAt: z.date().optional(),
  })
  .strict();

export const auditEntrySchema = z.object({
  id: z.string().uuid(),
  seq: z.number().int(),
  occurredAt: z.string().datetime(),
  actor: z.object({ kind: z.enum(AUDIT_ACTOR_KINDS), userId: z.string().uuid().nullable() }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  changes: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('settings'), before: z.unknown(), after: z.unknown() }),
    z.object({ kind: z.literal('personal-data'), fields: z.array(z.string()) }),
  ]),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const listAuditQuerySchema = listQuerySchema.extend({
  action: z.string().max(100).optional().describe('Only this action, e.g. role.updated.'),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(200).optional(),
  actorUserId: z.string().uuid().optional(),
  from: z.string().datetime({ offset: true }).optional().describe('Occurred at or after (inclusive).'),
  to: z.string().datetime({ offset: true }).optional().describe('Occurred before (exclusive).'),
});
export type AuditFilter = Pick<
  z.infer<typeof listAuditQuerySchema>,
  'action' | 'entityType' | 'entityId' | 'actorUserId' | 'from' | 'to'
>;
