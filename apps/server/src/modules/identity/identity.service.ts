import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { isRight, type Right } from '../../kernel/http/access.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { combineFieldAccess, type FieldAccess, fieldAccessOf } from '../privacy/privacy.fields.ts';
import { identityError } from './identity.errors.ts';
import * as repo from './identity.repository.ts';
import { BUILTIN_FIELD_ACCESS, BUILTIN_RIGHTS, BUILTIN_ROLES, type BuiltinRole } from './identity.rights.ts';
import { hashApiToken, looksLikeApiToken, newApiTokenSecret } from './identity.tokens.ts';

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, not importable under isolatedModules)

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 12) {
    throw identityError('IDENTITY_WEAK_PASSWORD', 'The password must have at least 12 characters.', [
      { path: 'password', message: 'must have at least 12 characters' },
    ]);
  }
  return hash(password, { algorithm: ARGON2ID });
}

/** Creates the built-in roles of a new tenant; returns their ids by key. */
export async function seedBuiltinRoles(tx: TenantTx, tenantId: string): Promise<Record<BuiltinRole, string>> {
  const ids = {} as Record<BuiltinRole, string>;
  for (const key of BUILTIN_ROLES) {
    const { name, rights } = BUILTIN_RIGHTS[key];
    const fieldAccess = BUILTIN_FIELD_ACCESS[key] as Record<string, string>;
    ids[key] = (
      await repo.insertRole(tx, { tenantId, name, builtinKey: key, rights: [...rights], fieldAccess })
    ).id;
  }
  return ids;
}

/** Creates a user of the transaction's tenant, with the given roles. */
export async function createUser(
  tx: TenantTx,
  input: {
    tenantId: string;
    email: string;
    displayName?: string | null;
    password?: string | null;
    roleIds?: string[];
    contactScope?: string[] | null | undefined;
  },
) {
  const email = input.email.trim().toLowerCase();
  if (await repo.findUserByEmail(tx, email)) {
    throw identityError('IDENTITY_EMAIL_TAKEN', 'A user with this email already exists.', [
      { path: 'email', message: 'is already taken' },
    ]);
  }
  await assertRolesExist(tx, input.roleIds ?? []);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const user = await repo.insertUser(tx, {
    tenantId: input.tenantId,
    email,
    displayName: input.displayName ?? null,
    passwordHash,
    contactScope: input.contactScope ?? null,
  });
  await repo.setUserRoles(tx, input.tenantId, user.id, input.roleIds ?? []);
  return user;
}

export async function getUser(tx: TenantTx, id: string) {
  const user = await repo.findUser(tx, id);
  if (!user) throw identityError('IDENTITY_USER_NOT_FOUND', 'There is no such user.');
  const roles = (await repo.rolesOfUsers(tx, [id])).get(id) ?? [];
  return { ...user, roles };
}

export async function updateUser(
  tx: TenantTx,
  tenantId: string,
  id: string,
  patch: {
    displayName?: string | null | undefined;
    roleIds?: string[] | undefined;
    contactScope?: string[] | null | undefined;
  },
) {
  const before = await getUser(tx, id);
  if (patch.displayName !== undefined) await repo.updateUser(tx, id, { displayName: patch.displayName });
  if (patch.contactScope !== undefined) await repo.updateUser(tx, id, { contactScope: patch.contactScope });
  if (patch.roleIds) {
    await assertRolesExist(tx, patch.roleIds);
    const owner = await repo.findRoleByBuiltinKey(tx, 'owner');
    const wasOwner = before.roles.some((r) => r.id === owner?.id);
    if (
      owner &&
      wasOwner &&
      !patch.roleIds.includes(owner.id) &&
      (await repo.countUsersWithRole(tx, owner.id)) <= 1
    ) {
      throw identityError('IDENTITY_LAST_OWNER', 'A tenant keeps at least one Owner.', [
        { path: 'roleIds', message: 'must keep the Owner role: this is the last Owner' },
      ]);
    }
    await repo.setUserRoles(tx, tenantId, id, [...new Set(patch.roleIds)]);
  }
  return getUser(tx, id);
}

async function assertRolesExist(tx: TenantTx, roleIds: string[]) {
  const found = await repo.existingRoleIds(tx, roleIds);
  const missing = roleIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw identityError(
      'IDENTITY_UNKNOWN_ROLES',
      'Some roles do not exist.',
      missing.map((id) => ({
        path: `roleIds.${roleIds.indexOf(id)}`,
        message: 'is not a role of this tenant',
      })),
    );
  }
}

export async function createRole(
  tx: TenantTx,
  tenantId: string,
  input: { name: string; rights: Right[]; fieldAccess?: Partial<FieldAccess> | undefined },
) {
  if (await repo.findRoleByName(tx, input.name)) {
    throw identityError('IDENTITY_ROLE_NAME_TAKEN', 'A role with this name exists.', [
      { path: 'name', message: 'is already taken' },
    ]);
  }
  const { id } = await repo.insertRole(tx, {
    tenantId,
    name: input.name,
    builtinKey: null,
    rights: [...new Set(input.rights)].sort(),
    fieldAccess: (input.fieldAccess ?? {}) as Record<string, string>,
  });
  return getRole(tx, id);
}

export async function getRole(tx: TenantTx, id: string) {
  const role = await repo.findRole(tx, id);
  if (!role) throw identityError('IDENTITY_ROLE_NOT_FOUND', 'There is no such role.');
  return role;
}

export async function updateRole(
  tx: TenantTx,
  id: string,
  patch: {
    name?: string | undefined;
    rights?: Right[] | undefined;
    fieldAccess?: Partial<FieldAccess> | undefined;
  },
) {
  const role = await getRole(tx, id);
  if (role.builtinKey === 'owner') {
    throw identityError(
      'IDENTITY_OWNER_ROLE_FIXED',
      'The Owner role always holds every right and keeps its name.',
    );
  }
  if (patch.name !== undefined && patch.name !== role.name && (await repo.findRoleByName(tx, patch.name))) {
    throw identityError('IDENTITY_ROLE_NAME_TAKEN', 'A role with this name exists.', [
      { path: 'name', message: 'is already taken' },
    ]);
  }
  await repo.updateRole(tx, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.rights !== undefined ? { rights: [...new Set(patch.rights)].sort() } : {}),
    ...(patch.fieldAccess !== undefined ? { fieldAccess: patch.fieldAccess as Record<string, string> } : {}),
  });
  return { before: role, after: await getRole(tx, id) };
}

export async function deleteRole(tx: TenantTx, id: string) {
  const role = await getRole(tx, id);
  if (role.builtinKey === 'owner')
    throw identityError('IDENTITY_OWNER_ROLE_FIXED', 'The Owner role cannot be deleted.');
  const users = await repo.countUsersWithRole(tx, id);
  if (users > 0) {
    throw identityError(
      'IDENTITY_ROLE_IN_USE',
      `The role is held by ${users} user(s); take it from them first.`,
    );
  }
  await repo.deleteRole(tx, id);
  return role;
}

/** Issues an API token for a user. The secret is returned once and only its hash is kept. */
export async function issueApiToken(
  tx: TenantTx,
  input: { tenantId: string; userId: string; name: string; expiresAt?: Date | null },
): Promise<{ id: string; token: string; createdAt: Date }> {
  const token = newApiTokenSecret();
  const row = await repo.insertApiToken(tx, {
    tenantId: input.tenantId,
    userId: input.userId,
    name: input.name,
    tokenHash: hashApiToken(token),
    expiresAt: input.expiresAt ?? null,
  });
  return { id: row.id, token, createdAt: row.createdAt };
}

export async function revokeApiToken(tx: TenantTx, userId: string, id: string): Promise<void> {
  if (!(await repo.revokeApiToken(tx, userId, id))) {
    throw identityError('IDENTITY_TOKEN_NOT_FOUND', 'There is no such token of yours.');
  }
}

/** The signed-in user as the UI shows them. */
export async function describeMe(tx: TenantTx, userId: string) {
  const user = await getUser(tx, userId);
  const row = await tx
    .selectFrom('appUser')
    .select('totpEnabledAt')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const rights = await tx
    .selectFrom('userRole')
    .innerJoin('role', 'role.id', 'userRole.roleId')
    .select(['role.rights', 'role.fieldAccess'])
    .where('userRole.userId', '=', userId)
    .execute();
  return {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles.map((r) => r.name),
    rights: [...new Set(rights.flatMap((r) => r.rights))].filter(isRight).sort(),
    totpEnabled: row.totpEnabledAt !== null,
    fieldAccess: principalFieldAccess(rights.map((r) => r.fieldAccess)),
  };
}

/** The union of the roles' field access, as the resolve functions return it (one object per role). */
export function principalFieldAccess(perRole: unknown): FieldAccess {
  return combineFieldAccess(Array.isArray(perRole) ? perRole.map(fieldAccessOf) : []);
}

/** Resolves a bearer token to its tenant, user and rights; undefined for unknown, revoked or expired tokens. */
export async function authenticateApiToken(
  db: Kysely<Tables>,
  token: string,
): Promise<Principal | undefined> {
  if (!looksLikeApiToken(token)) return undefined;
  const found = await repo.resolveApiTokenHash(db, hashApiToken(token));
  if (!found) return undefined;
  return {
    tenantId: found.tenantId,
    userId: found.userId,
    via: { kind: 'api_token', id: found.tokenId },
    rights: new Set(found.rights.filter(isRight)),
    fieldAccess: principalFieldAccess(found.fieldAccess),
    contactScope: found.contactScope,
  };
}
