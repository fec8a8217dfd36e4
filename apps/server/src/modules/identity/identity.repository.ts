import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { cursorTimestamp, type Keyset } from '../../kernel/http/pagination.ts';

export type NewUser = {
  tenantId: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
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

export async function insertApiToken(
  tx: TenantTx,
  token: { tenantId: string; userId: string; name: string; tokenHash: string; expiresAt: Date | null },
) {
  return tx.insertInto('apiToken').values(token).returning(['id']).executeTakeFirstOrThrow();
}

/** Cross-tenant by design (the tenant is not known yet): goes through a SECURITY DEFINER function. */
export async function resolveApiTokenHash(db: Kysely<Tables>, tokenHash: string) {
  const result = await sql<{ tokenId: string; tenantId: string; userId: string }>`
    select token_id as "tokenId", tenant_id as "tenantId", user_id as "userId"
    from kontor_resolve_api_token(${tokenHash})`.execute(db);
  return result.rows[0];
}

export async function listUsers(tx: TenantTx, page: { limit: number; after: Keyset | undefined }) {
  let query = tx
    .selectFrom('appUser')
    .select(['id', 'email', 'displayName', 'createdAt', 'updatedAt', cursorTimestamp.as('cursorTs')])
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
