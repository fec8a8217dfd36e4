import { type Kysely, sql, type Transaction } from 'kysely';
import type { Tables } from './tables.ts';

export type TenantTx = Transaction<Tables>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Like withTenant, for a request's principal: also sets the principal's contact scope, which the
 * restrictive `contact_scope` policy enforces on every contact query in the transaction.
 */
export async function withPrincipal<T>(
  db: Kysely<Tables>,
  principal: { tenantId: string; contactScope: readonly string[] | null },
  work: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return withTenant(db, principal.tenantId, async (tx) => {
    if (principal.contactScope) {
      await sql`select set_config('app.contact_scope', ${JSON.stringify(principal.contactScope)}, true)`.execute(
        tx,
      );
    }
    return work(tx);
  });
}

/**
 * Runs `work` in a transaction bound to one tenant. The tenant is set once, with
 * `set_config(..., true)` (= SET LOCAL), and row-level security on every tenant-owned table
 * enforces it: a query in here that forgets its `tenant_id` filter still sees only this
 * tenant's rows, and cannot write rows of another tenant.
 */
export async function withTenant<T>(
  db: Kysely<Tables>,
  tenantId: string,
  work: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error('withTenant: tenantId must be a UUID');
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
    return work(tx);
  });
}
