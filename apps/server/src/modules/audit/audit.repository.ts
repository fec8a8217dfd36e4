import { sql, type Transaction } from 'kysely';
import type { OwnerSession } from '../../kernel/db/database.ts';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import { GENESIS_HASH } from './audit.hash.ts';
import type { AuditFilter } from './audit.schema.ts';
import type { AuditTables } from './audit.tables.ts';

type AuditTx = Transaction<Tables & AuditTables>;

/** The transaction with this module's tables known to Kysely (until they are in `Tables`). */
function audited(tx: TenantTx): AuditTx {
  return tx.$extendTables<AuditTables>();
}

/**
 * The tenant's chain head, locked until the transaction ends: concurrent appends of one tenant
 * wait here, one after another. Created (seq 0, genesis hash) on the tenant's first entry.
 */
export async function lockChainHead(tx: TenantTx, tenantId: string): Promise<{ seq: number; hash: string }> {
  const db = audited(tx);
  await db
    .insertInto('auditChainHead')
    .values({ tenantId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('tenantId').doNothing())
    .execute();
  const head = await db
    .selectFrom('auditChainHead')
    .select(['seq', 'hash'])
    .where('tenantId', '=', tenantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

export type AuditRowInsert = {
  id: string;
  tenantId: string;
  seq: number;
  occurredAt: Date;
  actorKind: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: string;
  prevHash: string;
  hash: string;
};

/** Several entries in one statement (a bulk change), in chain order. */
export async function insertAuditEntries(tx: TenantTx, rows: AuditRowInsert[]): Promise<void> {
  // Bounded statement size: 13 parameters a row stay well below PostgreSQL's 65,535.
  for (let i = 0; i < rows.length; i += 2000) {
    await audited(tx)
      .insertInto('auditLog')
      .values(rows.slice(i, i + 2000))
      .execute();
  }
}

export async function insertAuditEntry(
  tx: TenantTx,
  row: {
    id: string;
    tenantId: string;
    seq: number;
    occurredAt: Date;
    actorKind: string;
    actorUserId: string | null;
    action: string;
    entityType: string;
    entityId: string | null;
    changes: string;
    prevHash: string;
    hash: string;
  },
): Promise<void> {
  await audited(tx).insertInto('auditLog').values(row).execute();
}

export async function advanceChainHead(tx: TenantTx, tenantId: string, seq: number, hash: string) {
  await audited(tx)
    .updateTable('auditChainHead')
    .set({ seq, hash })
    .where('tenantId', '=', tenantId)
    .execute();
}

const occurredCursor = sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Newest first (occurred_at, then id), `limit + 1` rows for toPage(). */
export async function listAuditEntries(
  tx: TenantTx,
  filter: AuditFilter,
  page: { limit: number; after: Keyset | undefined },
) {
  let query = audited(tx)
    .selectFrom('auditLog')
    .select([
      'id',
      'seq',
      'occurredAt',
      'actorKind',
      'actorUserId',
      'action',
      'entityType',
      'entityId',
      'changes',
      'hash',
      occurredCursor.as('cursorTs'),
    ])
    .orderBy('occurredAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.entityType !== undefined) query = query.where('entityType', '=', filter.entityType);
  if (filter.entityId !== undefined) query = query.where('entityId', '=', filter.entityId);
  if (filter.actorUserId !== undefined) query = query.where('actorUserId', '=', filter.actorUserId);
  if (filter.from !== undefined)
    query = query.where('occurredAt', '>=', sql<Date>`${filter.from}::timestamptz`);
  if (filter.to !== undefined) query = query.where('occurredAt', '<', sql<Date>`${filter.to}::timestamptz`);
  if (page.after) {
    const { t, i } = page.after;
    query = query.where((eb) =>
      eb.or([
        eb('occurredAt', '<', sql<Date>`${t}::timestamptz`),
        eb.and([eb('occurredAt', '=', sql<Date>`${t}::timestamptz`), eb('id', '<', i)]),
      ]),
    );
  }
  return query.execute();
}

// The verifier reads as the schema owner, one tenant at a time with that tenant set, so it works
// whether or not the owner is exempt from row-level security.

/** An audit row as stored, occurred_at as microsecond text (what the hash covers). */
export type StoredAuditRow = {
  id: string;
  tenantId: string;
  seq: number;
  occurredAt: string;
  actorKind: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: unknown;
  prevHash: string;
  hash: string;
};

export async function setOwnerTenant(session: OwnerSession, tenantId: string): Promise<void> {
  await session.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
}

/** Whether the owner sees every tenant's rows (superuser or BYPASSRLS), as listing all needs. */
export async function ownerBypassesRls(session: OwnerSession): Promise<boolean> {
  const rows = await session.query<{ bypass: boolean }>(
    'SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user',
  );
  return rows[0]?.bypass === true;
}

export async function ownerTenantIds(session: OwnerSession, only?: string): Promise<string[]> {
  const rows = await session.query<{ id: string }>(
    only === undefined ? 'SELECT id FROM tenant ORDER BY id' : 'SELECT id FROM tenant WHERE id = $1',
    only === undefined ? [] : [only],
  );
  return rows.map((r) => r.id);
}

export async function readChainHead(
  session: OwnerSession,
  tenantId: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const rows = await session.query<{ seq: number | string; hash: string }>(
    'SELECT seq, hash FROM audit_chain_head WHERE tenant_id = $1',
    [tenantId],
  );
  const head = rows[0];
  return head ? { seq: Number(head.seq), hash: head.hash } : undefined;
}

/** The tenant's entries after `afterSeq`, in seq order, at most `limit`. */
export async function readAuditRows(
  session: OwnerSession,
  tenantId: string,
  afterSeq: number,
  limit: number,
): Promise<StoredAuditRow[]> {
  const rows = await session.query<Omit<StoredAuditRow, 'seq'> & { seq: number | string }>(
    `SELECT id, tenant_id AS "tenantId", seq,
        to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt",
        actor_kind AS "actorKind", actor_user_id AS "actorUserId", action, entity_type AS "entityType",
        entity_id AS "entityId", changes, prev_hash AS "prevHash", hash
      FROM audit_log
      WHERE tenant_id = $1 AND seq > $2
      ORDER BY seq
      LIMIT $3`,
    [tenantId, afterSeq, limit],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}
