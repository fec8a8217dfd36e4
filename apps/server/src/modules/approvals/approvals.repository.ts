import { type SqlBool, sql, type Transaction } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import type { ApprovalStatus, ApprovalsTables } from './approvals.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant.
 */
type Db = Transaction<Tables & ApprovalsTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<ApprovalsTables>();
}

/** A pending request past its expiry is expired, whether or not the expiry job has run yet. */
const effectiveStatus = sql<ApprovalStatus>`case when approval_request.status = 'pending'
  and approval_request.expires_at <= now() then 'expired' else approval_request.status end`;

function selectRequests(db: Db) {
  return db.selectFrom('approvalRequest').select([
    'approvalRequest.id',
    'approvalRequest.tenantId',
    'approvalRequest.kind',
    // As text: the CamelCasePlugin would rename the keys of a jsonb value.
    sql<string>`approval_request.subject::text`.as('subject'),
    'approvalRequest.reason',
    effectiveStatus.as('status'),
    'approvalRequest.requestedBy',
    'approvalRequest.decidedBy',
    'approvalRequest.decidedAt',
    'approvalRequest.decisionNote',
    'approvalRequest.expiresAt',
    'approvalRequest.createdAt',
    sql<string>`to_char(approval_request.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
      'cursorTs',
    ),
  ]);
}

export type ApprovalRow = Awaited<ReturnType<ReturnType<typeof selectRequests>['execute']>>[number];

export type NewApprovalRequest = {
  tenantId: string;
  kind: string;
  subject: string;
  subjectKey: string;
  reason: string | null;
  requestedBy: string;
  expiresAt: Date;
};

/** Inserts a pending request; undefined when the requester has one pending for the same subject. */
export async function insertPending(tx: TenantTx, values: NewApprovalRequest): Promise<string | undefined> {
  const row = await own(tx)
    .insertInto('approvalRequest')
    .values({ ...values, status: 'pending' })
    .onConflict((oc) =>
      oc
        .columns(['tenantId', 'kind', 'requestedBy', 'subjectKey'])
        .where('status', '=', 'pending')
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The requester's open request for the same subject (pending and not past its expiry). */
export async function findOpenForSubject(
  tx: TenantTx,
  key: { kind: string; requestedBy: string; subjectKey: string },
): Promise<ApprovalRow | undefined> {
  return selectRequests(own(tx))
    .where('approvalRequest.kind', '=', key.kind)
    .where('approvalRequest.requestedBy', '=', key.requestedBy)
    .where('approvalRequest.subjectKey', '=', key.subjectKey)
    .where('approvalRequest.status', '=', 'pending')
    .executeTakeFirst();
}

/** One request; `lock` holds it (FOR UPDATE) until the transaction ends, so two decisions queue. */
export async function findRequest(tx: TenantTx, id: string, lock = false): Promise<ApprovalRow | undefined> {
  const query = selectRequests(own(tx)).where('approvalRequest.id', '=', id);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export type ApprovalFilter = {
  status?: ApprovalStatus | undefined;
  kind?: string | undefined;
  requestedBy?: string | undefined;
};

/** Newest first, `limit + 1` rows for toPage(). */
export async function listRequests(
  tx: TenantTx,
  filter: ApprovalFilter,
  page: { limit: number; after: Keyset | undefined },
): Promise<ApprovalRow[]> {
  let query = selectRequests(own(tx))
    .orderBy('approvalRequest.createdAt', 'desc')
    .orderBy('approvalRequest.id', 'desc')
    .limit(page.limit + 1);
  if (filter.status === 'pending') {
    query = query
      .where('approvalRequest.status', '=', 'pending')
      .where(sql<SqlBool>`approval_request.expires_at > now()`);
  } else if (filter.status === 'expired') {
    query = query.where(
      sql<SqlBool>`(approval_request.status = 'expired' or (approval_request.status = 'pending' and approval_request.expires_at <= now()))`,
    );
  } else if (filter.status) {
    query = query.where('approvalRequest.status', '=', filter.status);
  }
  if (filter.kind) query = query.where('approvalRequest.kind', '=', filter.kind);
  if (filter.requestedBy) query = query.where('approvalRequest.requestedBy', '=', filter.requestedBy);
  if (page.after) {
    query = query.where(
      sql<SqlBool>`(approval_request.created_at, approval_request.id) < (${page.after.t}::timestamptz, ${page.after.i}::uuid)`,
    );
  }
  return query.execute();
}

/** Records a decision on a pending request; false when it was no longer pending. */
export async function decide(
  tx: TenantTx,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; note: string | null },
): Promise<boolean> {
  const result = await own(tx)
    .updateTable('approvalRequest')
    .set({
      status: decision.status,
      decidedBy: decision.decidedBy,
      decidedAt: sql<Date>`now()`,
      decisionNote: decision.note,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where(sql<SqlBool>`expires_at > now()`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Closes a pending request without a decision (withdrawn by the requester). */
export async function cancel(tx: TenantTx, id: string): Promise<boolean> {
  const result = await own(tx)
    .updateTable('approvalRequest')
    .set({ status: 'cancelled', decidedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where(sql<SqlBool>`expires_at > now()`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Marks the tenant's pending requests past their expiry (at `now`, default the database's
 * clock) as expired — only those for one subject when `only` is given; returns them.
 */
export async function expireDue(
  tx: TenantTx,
  now: Date | undefined,
  only?: { kind: string; requestedBy: string; subjectKey: string },
): Promise<ApprovalRow[]> {
  const at = now ?? sql<Date>`now()`;
  let update = own(tx)
    .updateTable('approvalRequest')
    .set({ status: 'expired', decidedAt: at })
    .where('status', '=', 'pending')
    .where('expiresAt', '<=', at);
  if (only) {
    update = update
      .where('kind', '=', only.kind)
      .where('requestedBy', '=', only.requestedBy)
      .where('subjectKey', '=', only.subjectKey);
  }
  const due = await update.returning('id').execute();
  if (due.length === 0) return [];
  return selectRequests(own(tx))
    .where(
      'approvalRequest.id',
      'in',
      due.map((d) => d.id),
    )
    .execute();
}
