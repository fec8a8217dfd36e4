import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { recordAudit } from '../audit/index.ts';
import { createUser, issueApiToken, seedBuiltinRoles } from '../identity/index.ts';
import { type CreatedTenant, type CreateTenantInput, createTenantSchema } from './tenants.schema.ts';

/**
 * Creates a tenant with its built-in roles, its first user (an Owner) and an API token for that
 * user, in one transaction: either all of it exists afterwards or none does.
 */
export async function createTenant(db: Kysely<Tables>, raw: CreateTenantInput): Promise<CreatedTenant> {
  const input = createTenantSchema.parse(raw);
  const tenantId = randomUUID();
  return withTenant(db, tenantId, async (tx) => {
    await tx
      .insertInto('tenant')
      .values({ id: tenantId, name: input.name, defaultLanguage: input.defaultLanguage })
      .execute();
    const roles = await seedBuiltinRoles(tx, tenantId);
    const admin = await createUser(tx, {
      tenantId,
      email: input.adminEmail,
      displayName: null,
      password: input.adminPassword ?? null,
      roleIds: [roles.owner],
    });
    const { token } = await issueApiToken(tx, {
      tenantId,
      userId: admin.id,
      name: 'admin (created with the tenant)',
    });
    await recordAudit(tx, {
      tenantId,
      actor: { kind: 'cli' },
      action: 'tenant.created',
      entityType: 'tenant',
      entityId: tenantId,
      changes: {
        kind: 'settings',
        before: null,
        after: { name: input.name, defaultLanguage: input.defaultLanguage },
      },
    });
    await recordAudit(tx, {
      tenantId,
      actor: { kind: 'cli' },
      action: 'user.created',
      entityType: 'user',
      entityId: admin.id,
      changes: { kind: 'personal-data', fields: input.adminPassword ? ['email', 'password'] : ['email'] },
    });
    return { tenantId, adminUserId: admin.id, apiToken: token };
  });
}

export async function getTenant(db: Kysely<Tables>, tenantId: string) {
  return withTenant(db, tenantId, (tx) =>
    tx.selectFrom('tenant').select(['id', 'name', 'defaultLanguage', 'createdAt']).executeTakeFirst(),
  );
}
