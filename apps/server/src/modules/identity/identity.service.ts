import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { identityError } from './identity.errors.ts';
import * as repo from './identity.repository.ts';
import { hashApiToken, looksLikeApiToken, newApiTokenSecret } from './identity.tokens.ts';

export type Principal = { tenantId: string; userId: string; tokenId: string };

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, not importable under isolatedModules)

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 12) {
    throw identityError('IDENTITY_WEAK_PASSWORD', 'The password must have at least 12 characters.', [
      { path: 'password', message: 'must have at least 12 characters' },
    ]);
  }
  return hash(password, { algorithm: ARGON2ID });
}

/** Creates a user of the transaction's tenant. */
export async function createUser(
  tx: TenantTx,
  input: { tenantId: string; email: string; displayName?: string | null; password?: string | null },
) {
  const email = input.email.trim().toLowerCase();
  if (await repo.findUserByEmail(tx, email)) {
    throw identityError('IDENTITY_EMAIL_TAKEN', 'A user with this email already exists.', [
      { path: 'email', message: 'is already taken' },
    ]);
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return repo.insertUser(tx, {
    tenantId: input.tenantId,
    email,
    displayName: input.displayName ?? null,
    passwordHash,
  });
}

/** Issues an API token for a user. The secret is returned once and only its hash is kept. */
export async function issueApiToken(
  tx: TenantTx,
  input: { tenantId: string; userId: string; name: string; expiresAt?: Date | null },
): Promise<{ id: string; token: string }> {
  const token = newApiTokenSecret();
  const row = await repo.insertApiToken(tx, {
    tenantId: input.tenantId,
    userId: input.userId,
    name: input.name,
    tokenHash: hashApiToken(token),
    expiresAt: input.expiresAt ?? null,
  });
  return { id: row.id, token };
}

/** Resolves a bearer token to its tenant and user; undefined for unknown, revoked or expired tokens. */
export async function authenticateApiToken(
  db: Kysely<Tables>,
  token: string,
): Promise<Principal | undefined> {
  if (!looksLikeApiToken(token)) return undefined;
  return repo.resolveApiTokenHash(db, hashApiToken(token));
}

export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw identityError('IDENTITY_UNAUTHENTICATED', 'Sign in or send a valid API token.');
  return principal;
}
