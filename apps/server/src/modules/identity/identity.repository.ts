import { type Kysely, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { cursorTimestamp, type Keyset } from '../../kernel/http/pagination.ts';

export type NewUser = {
  tenantId: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
  contactScope?: string[] | null;
};

export async function insertUser(tx: TenantTx, user: NewUser) {
  return tx
    .insertInto('appUser')
    .values(user)
    .returning(['id', 'email', 'createdAt'])
    .executeTakeFirstOrThrow();
}

export async function findUserByEmail(tx: TenantTx, email: string) {
  return tx.selectFrom('appUser').select(['id']).where('email', '=', email).executeTakeFirst();
}

export async function findUser(tx: TenantTx, id: string) {
  return tx
    .selectFrom('appUser')
    .select(['id', 'email', 'displayName', 'contactScope', 'createdAt', 'updatedAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateUser(
  tx: TenantTx,
  id: string,
  patch: { displayName?: string | null; contactScope?: string[] | null },
) {
  if (Object.keys(patch).length === 0) return;
  await tx.updateTable('appUser').set(patch).where('id', '=', id).execute();
}

export async function listUsers(tx: TenantTx, page: { limit: number; after: Keyset | undefined }) {
  let query = tx
    .selectFrom('appUser')
    .select([
      'id',
      'email',
      'displayName',
      'contactScope',
      'createdAt',
      'updatedAt',
      cursorTimestamp.as('cursorTs'),
    ])
    // The page's roles in the same statement (one round trip less per list request).
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('userRole')
          .innerJoin('role', 'role.id', 'userRole.roleId')
          .select(['role.id', 'role.name'])
          .whereRef('userRole.userId', '=', 'appUser.id')
          .orderBy('role.name'),
      ).as('roles'),
    )
    .orderBy('createdAt')
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.after) {
    const { t, i } = page.after;
    query = query.where((eb) =>
      eb.or([
        eb('createdAt', '>', sql<Date>`${t}::timestamptz`),
        eb.and([eb('createdAt', '=', sql<Date>`${t}::timestamptz`), eb('id', '>', i)]),
      ]),
    );
  }
  return query.execute();
}

/** Roles of the given users, by user id. */
export async function rolesOfUsers(tx: TenantTx, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, { id: string; name: string }[]>();
  const rows = await tx
    .selectFrom('userRole')
    .innerJoin('role', 'role.id', 'userRole.roleId')
    .select(['userRole.userId', 'role.id', 'role.name'])
    .where('userRole.userId', 'in', userIds)
    .orderBy('role.name')
    .execute();
  const byUser = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), { id: r.id, name: r.name }]);
  return byUser;
}

export async function setUserRoles(tx: TenantTx, tenantId: string, userId: string, roleIds: string[]) {
  await tx.deleteFrom('userRole').where('userId', '=', userId).execute();
  if (roleIds.length > 0) {
    await tx
      .insertInto('userRole')
      .values(roleIds.map((roleId) => ({ tenantId, userId, roleId })))
      .execute();
  }
}

export async function countUsersWithRole(tx: TenantTx, roleId: string): Promise<number> {
  const row = await tx
    .selectFrom('userRole')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('roleId', '=', roleId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertRole(
  tx: TenantTx,
  role: {
    tenantId: string;
    name: string;
    builtinKey: string | null;
    rights: string[];
    fieldAccess: Record<string, string>;
  },
) {
  return tx
    .insertInto('role')
    .values({ ...role, fieldAccess: JSON.stringify(role.fieldAccess) })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function findRole(tx: TenantTx, id: string) {
  return tx
    .selectFrom('role')
    .select(['id', 'name', 'builtinKey', 'rights', 'fieldAccess', 'createdAt', 'updatedAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findRoleByBuiltinKey(tx: TenantTx, key: string) {
  return tx.selectFrom('role').select(['id']).where('builtinKey', '=', key).executeTakeFirst();
}

export async function findRoleByName(tx: TenantTx, name: string) {
  return tx.selectFrom('role').select(['id']).where('name', '=', name).executeTakeFirst();
}

export async function existingRoleIds(tx: TenantTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('role').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function listRoles(tx: TenantTx) {
  return tx
    .selectFrom('role')
    .select(['id', 'name', 'builtinKey', 'rights', 'fieldAccess', 'createdAt', 'updatedAt'])
    .orderBy('createdAt')
    .orderBy('name')
    .execute();
}

export async function updateRole(
  tx: TenantTx,
  id: string,
  patch: { name?: string; rights?: string[]; fieldAccess?: Record<string, string> },
) {
  const { fieldAccess, ...rest } = patch;
  await tx
    .updateTable('role')
    .set({ ...rest, ...(fieldAccess ? { fieldAccess: JSON.stringify(fieldAccess) } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function deleteRole(tx: TenantTx, id: string) {
  await tx.deleteFrom('role').where('id', '=', id).execute();
}

export async function insertApiToken(
  tx: TenantTx,
  token: { tenantId: string; userId: string; name: string; tokenHash: string; expiresAt: Date | null },
) {
  return tx.insertInto('apiToken').values(token).returning(['id', 'createdAt']).executeTakeFirstOrThrow();
}

export async function listApiTokens(tx: TenantTx, userId: string) {
  return tx
    .selectFrom('apiToken')
    .select(['id', 'name', 'expiresAt', 'lastUsedAt', 'createdAt'])
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .execute();
}

export async function revokeApiToken(tx: TenantTx, userId: string, id: string): Promise<boolean> {
  const result = await tx
    .updateTable('apiToken')
    .set({ revokedAt: new Date() })
    .where('id', '=', id)
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Cross-tenant by design (the tenant is not known yet): goes through a SECURITY DEFINER function. */
export async function resolveApiTokenHash(db: Kysely<Tables>, tokenHash: string) {
  const result = await sql<{
    tokenId: string;
    tenantId: string;
    userId: string;
    rights: string[];
    fieldAccess: unknown;
    contactScope: string[] | null;
  }>`
    select token_id as "tokenId", tenant_id as "tenantId", user_id as "userId", rights, field_access as "fieldAccess",
      contact_scope as "contactScope"
    from kontor_resolve_api_token(${tokenHash})`.execute(db);
  return result.rows[0];
}
