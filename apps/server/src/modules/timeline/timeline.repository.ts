import { type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import type { ActivityKind } from './timeline.schema.ts';
import type { ActivityTable, TimelineTables } from './timeline.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction: row-level security
 * limits each query to that tenant and, for a user limited to some groups, to the activities of
 * contacts in those groups (policy activity_contact_scope).
 */
type Db = Transaction<Tables & TimelineTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<TimelineTables>();
}

function selectActivities(db: Db) {
  return db.selectFrom('activity').select([
    'activity.id',
    'activity.contactId',
    'activity.companyId',
    'activity.kind',
    'activity.direction',
    'activity.subject',
    'activity.body',
    'activity.occurredAt',
    'activity.durationMinutes',
    'activity.source',
    'activity.refType',
    'activity.refId',
    'activity.createdBy',
    'activity.createdAt',
    'activity.updatedAt',
    // The keyset at full (microsecond) precision: a page boundary never skips or repeats.
    sql<string>`to_char(activity.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
      'cursorTs',
    ),
  ]);
}

export type ActivityRow = Awaited<ReturnType<ReturnType<typeof selectActivities>['execute']>>[number];

export type NewActivity = {
  tenantId: string;
  contactId: string;
  companyId: string | null;
  kind: ActivityKind;
  direction: string | null;
  subject: string | null;
  body: string | null;
  occurredAt: Date | string | undefined;
  durationMinutes: number | null;
  source: string;
  refType: string | null;
  refId: string | null;
  createdBy: string | null;
};

/**
 * Inserts an entry; with a reference, at most once per (ref_type, ref_id): the id of the new
 * row, or undefined when the reference is recorded already.
 */
export async function insertActivity(tx: TenantTx, values: NewActivity): Promise<string | undefined> {
  const row = await own(tx)
    .insertInto('activity')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['tenantId', 'refType', 'refId']).where('refType', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findActivity(tx: TenantTx, id: string): Promise<ActivityRow | undefined> {
  return selectActivities(own(tx)).where('activity.id', '=', id).executeTakeFirst();
}

export async function findActivityByRef(
  tx: TenantTx,
  refType: string,
  refId: string,
): Promise<ActivityRow | undefined> {
  return selectActivities(own(tx))
    .where('activity.refType', '=', refType)
    .where('activity.refId', '=', refId)
    .executeTakeFirst();
}

/** One contact's entries, newest first by occurred_at (then id), `limit + 1` rows for toPage(). */
export async function listActivities(
  tx: TenantTx,
  contactId: string,
  filter: { kinds: ActivityKind[] },
  page: { limit: number; after: Keyset | undefined },
): Promise<ActivityRow[]> {
  let query = selectActivities(own(tx)).where('activity.contactId', '=', contactId);
  if (filter.kinds.length > 0) query = query.where('activity.kind', 'in', filter.kinds);
  if (page.after) {
    query = query.where(
      sql<SqlBool>`(activity.occurred_at, activity.id) < (${page.after.t}::timestamptz, ${page.after.i}::uuid)`,
    );
  }
  return query
    .orderBy('activity.occurredAt', 'desc')
    .orderBy('activity.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export type ActivityValues = Omit<
  Updateable<ActivityTable>,
  'id' | 'tenantId' | 'contactId' | 'source' | 'refType' | 'refId' | 'createdBy' | 'createdAt' | 'updatedAt'
>;

export async function updateActivity(tx: TenantTx, id: string, values: ActivityValues): Promise<void> {
  await own(tx).updateTable('activity').set(values).where('id', '=', id).execute();
}

export async function deleteActivity(tx: TenantTx, id: string): Promise<boolean> {
  const result = await own(tx).deleteFrom('activity').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
