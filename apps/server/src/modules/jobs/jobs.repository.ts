import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { cursorTimestamp, type Keyset } from '../../kernel/http/pagination.ts';

export async function listDeadLetters(
  tx: TenantTx,
  page: { limit: number; after: Keyset | undefined; open: boolean },
) {
  let query = tx
    .selectFrom('deadLetter')
    .select([
      'id',
      'queue',
      'jobId',
      'error',
      'attempts',
      'failedAt',
      'requeuedAt',
      'createdAt',
      cursorTimestamp.as('cursorTs'),
    ])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.open) query = query.where('requeuedAt', 'is', null);
  if (page.after) {
    const { t, i } = page.after;
    query = query.where((eb) =>
      eb.or([
        eb('createdAt', '<', sql<Date>`${t}::timestamptz`),
        eb.and([eb('createdAt', '=', sql<Date>`${t}::timestamptz`), eb('id', '<', i)]),
      ]),
    );
  }
  return query.execute();
}

export async function findDeadLetter(tx: TenantTx, id: string) {
  return tx
    .selectFrom('deadLetter')
    .select(['id', 'queue', 'jobId', 'payload', 'requeuedAt'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks a dead letter as sent back; false when another request did so first. */
export async function markRequeued(tx: TenantTx, id: string): Promise<boolean> {
  const result = await tx
    .updateTable('deadLetter')
    .set({ requeuedAt: new Date() })
    .where('id', '=', id)
    .where('requeuedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function allTenantIds(db: Kysely<Tables>): Promise<string[]> {
  const result = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(db);
  return result.rows.map((r) => r.id);
}

export async function pruneJobEffects(tx: TenantTx, olderThan: Date) {
  const result = await tx.deleteFrom('jobEffect').where('createdAt', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function pruneRequeuedDeadLetters(tx: TenantTx, olderThan: Date) {
  const result = await tx.deleteFrom('deadLetter').where('requeuedAt', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
