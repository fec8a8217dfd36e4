import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import type { DeliveryStatus, WebhookEndpointTable, WebhooksTables } from './webhooks.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant.
 */
type Db = Transaction<Tables & WebhooksTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<WebhooksTables>();
}

const cursorTs = (table: string) =>
  sql<string>`to_char(${sql.ref(`${table}.created_at`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function selectEndpoints(db: Db) {
  return db
    .selectFrom('webhookEndpoint')
    .select([
      'webhookEndpoint.id',
      'webhookEndpoint.url',
      'webhookEndpoint.description',
      'webhookEndpoint.eventTypes',
      'webhookEndpoint.active',
      'webhookEndpoint.disabledReason',
      'webhookEndpoint.disabledAt',
      'webhookEndpoint.secretRotatedAt',
      'webhookEndpoint.createdAt',
      'webhookEndpoint.updatedAt',
      cursorTs('webhook_endpoint').as('cursorTs'),
    ]);
}
export type EndpointRow = Awaited<ReturnType<ReturnType<typeof selectEndpoints>['execute']>>[number];

export async function listEndpoints(
  tx: TenantTx,
  page: { limit: number; after: Keyset | undefined },
): Promise<EndpointRow[]> {
  let query = selectEndpoints(own(tx));
  if (page.after) {
    const { t, i } = page.after;
    query = query.where(
      sql<boolean>`(webhook_endpoint.created_at, webhook_endpoint.id) < (${t}::timestamptz, ${i}::uuid)`,
    );
  }
  return query
    .orderBy('webhookEndpoint.createdAt', 'desc')
    .orderBy('webhookEndpoint.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export async function findEndpoint(tx: TenantTx, id: string): Promise<EndpointRow | undefined> {
  return selectEndpoints(own(tx)).where('webhookEndpoint.id', '=', id).executeTakeFirst();
}

export async function insertEndpoint(
  tx: TenantTx,
  values: {
    id: string;
    tenantId: string;
    url: string;
    description: string | null;
    eventTypes: string[];
    secret: string;
    active: boolean;
    createdBy: string | null;
  },
): Promise<void> {
  await own(tx).insertInto('webhookEndpoint').values(values).execute();
}

type EndpointChanges = Pick<
  Updateable<WebhookEndpointTable>,
  | 'url'
  | 'description'
  | 'eventTypes'
  | 'active'
  | 'disabledReason'
  | 'disabledAt'
  | 'secret'
  | 'previousSecret'
  | 'previousSecretExpiresAt'
  | 'secretRotatedAt'
>;

export async function updateEndpoint(tx: TenantTx, id: string, changes: EndpointChanges): Promise<boolean> {
  const result = await own(tx)
    .updateTable('webhookEndpoint')
    .set({ ...changes, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The sealed secret of an endpoint, its row locked until the transaction ends. */
export async function lockEndpointSecret(tx: TenantTx, id: string): Promise<string | undefined> {
  const row = await own(tx)
    .selectFrom('webhookEndpoint')
    .select('secret')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row?.secret;
}

export async function deleteEndpoint(tx: TenantTx, id: string): Promise<boolean> {
  const result = await own(tx).deleteFrom('webhookEndpoint').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The active endpoints subscribed to an event type (the look-up of every emit). */
export async function subscribedEndpointIds(tx: TenantTx, type: string): Promise<string[]> {
  const rows = await own(tx)
    .selectFrom('webhookEndpoint')
    .select('id')
    .where('active', '=', true)
    .where(sql<boolean>`${type} = ANY(event_types)`)
    .execute();
  return rows.map((r) => r.id);
}

/** The new event's id, or undefined when an event with this key exists already. */
export async function insertEvent(
  tx: TenantTx,
  values: { tenantId: string; key: string; type: string; payload: string },
): Promise<string | undefined> {
  const row = await own(tx)
    .insertInto('webhookEvent')
    .values(values)
    .onConflict((oc) => oc.columns(['tenantId', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function insertDeliveries(
  tx: TenantTx,
  rows: { tenantId: string; endpointId: string; eventId: string; eventType: string; nextAttemptAt: Date }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await own(tx).insertInto('webhookDelivery').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

function selectDeliveries(db: Db) {
  return db.selectFrom('webhookDelivery').select([
    'webhookDelivery.id',
    'webhookDelivery.endpointId',
    'webhookDelivery.eventId',
    'webhookDelivery.eventType',
    'webhookDelivery.status',
    'webhookDelivery.attempts',
    'webhookDelivery.nextAttemptAt',
    'webhookDelivery.claimedUntil',
    'webhookDelivery.lastAttemptAt',
    'webhookDelivery.lastStatusCode',
    'webhookDelivery.lastDurationMs',
    'webhookDelivery.lastError',
    'webhookDelivery.lastResponseSnippet',
    // As text: the CamelCasePlugin would rename the keys of a jsonb value.
    sql<string>`webhook_delivery.attempt_log::text`.as('attemptLog'),
    'webhookDelivery.succeededAt',
    'webhookDelivery.createdAt',
    cursorTs('webhook_delivery').as('cursorTs'),
  ]);
}
export type DeliveryRow = Awaited<ReturnType<ReturnType<typeof selectDeliveries>['execute']>>[number];

export async function listDeliveries(
  tx: TenantTx,
  endpointId: string,
  filter: { status: DeliveryStatus | undefined },
  page: { limit: number; after: Keyset | undefined },
): Promise<DeliveryRow[]> {
  let query = selectDeliveries(own(tx)).where('webhookDelivery.endpointId', '=', endpointId);
  if (filter.status) query = query.where('webhookDelivery.status', '=', filter.status);
  if (page.after) {
    const { t, i } = page.after;
    query = query.where(
      sql<boolean>`(webhook_delivery.created_at, webhook_delivery.id) < (${t}::timestamptz, ${i}::uuid)`,
    );
  }
  return query
    .orderBy('webhookDelivery.createdAt', 'desc')
    .orderBy('webhookDelivery.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export async function findDelivery(tx: TenantTx, id: string): Promise<DeliveryRow | undefined> {
  return selectDeliveries(own(tx)).where('webhookDelivery.id', '=', id).executeTakeFirst();
}

export type ClaimedDelivery = {
  id: string;
  eventId: string;
  eventType: string;
  attempts: number;
  endpointId: string;
  url: string;
  active: boolean;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  payload: string;
};

/**
 * Takes a delivery for attempt number `attempt` (0-based) for `leaseSeconds`: only when that
 * attempt has not been made, the delivery still waits for one and no other attempt holds it.
 */
export async function claimDelivery(
  tx: TenantTx,
  id: string,
  attempt: number,
  leaseSeconds: number,
): Promise<ClaimedDelivery | undefined> {
  const db = own(tx);
  const claimed = await db
    .updateTable('webhookDelivery')
    .set({ claimedUntil: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .where('status', 'in', ['pending', 'retrying'])
    .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', sql<Date>`now()`)]))
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return undefined;
  return db
    .selectFrom('webhookDelivery as d')
    .innerJoin('webhookEndpoint as e', 'e.id', 'd.endpointId')
    .innerJoin('webhookEvent as v', 'v.id', 'd.eventId')
    .select([
      'd.id',
      'd.eventId',
      'd.eventType',
      'd.attempts',
      'd.endpointId',
      'e.url',
      'e.active',
      'e.secret',
      'e.previousSecret',
      sql<Date | null>`e.previous_secret_expires_at`.as('previousSecretExpiresAt'),
      sql<string>`v.payload::text`.as('payload'),
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export type AttemptOutcome = {
  status: DeliveryStatus;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  snippet: string | null;
  nextAttemptAt: Date | null;
};

/** Writes attempt number `attempt` (0-based) into the delivery, unless it was written already. */
export async function recordAttempt(
  tx: TenantTx,
  id: string,
  attempt: number,
  outcome: AttemptOutcome,
): Promise<boolean> {
  const entry = JSON.stringify([
    {
      at: outcome.at.toISOString(),
      statusCode: outcome.statusCode,
      durationMs: outcome.durationMs,
      error: outcome.error,
    },
  ]);
  const result = await own(tx)
    .updateTable('webhookDelivery')
    .set({
      status: outcome.status,
      attempts: attempt + 1,
      claimedUntil: null,
      nextAttemptAt: outcome.nextAttemptAt,
      lastAttemptAt: outcome.at,
      lastStatusCode: outcome.statusCode,
      lastDurationMs: outcome.durationMs,
      lastError: outcome.error,
      lastResponseSnippet: outcome.snippet,
      attemptLog: sql<string>`attempt_log || ${entry}::jsonb`,
      succeededAt: outcome.status === 'succeeded' ? outcome.at : null,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives up a delivery without an attempt (its endpoint was switched off meanwhile). */
export async function failWithoutAttempt(tx: TenantTx, id: string, error: string): Promise<void> {
  await own(tx)
    .updateTable('webhookDelivery')
    .set({
      status: 'failed',
      claimedUntil: null,
      nextAttemptAt: null,
      lastError: error,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Makes a delivery wait for another attempt now (a manual retry). */
export async function requeueDelivery(tx: TenantTx, id: string, at: Date): Promise<void> {
  await own(tx)
    .updateTable('webhookDelivery')
    .set({ status: 'retrying', nextAttemptAt: at, succeededAt: null, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Events older than `olderThan` whose deliveries are all done (their deliveries go with them). */
export async function pruneEvents(tx: TenantTx, olderThan: Date): Promise<number> {
  const result = await own(tx)
    .deleteFrom('webhookEvent')
    .where('createdAt', '<', olderThan)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhookDelivery')
            .select(sql`1`.as('one'))
            .whereRef('webhookDelivery.eventId', '=', 'webhookEvent.id')
            .where('webhookDelivery.status', 'in', ['pending', 'retrying']),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Every tenant's id (SECURITY DEFINER kontor_tenant_ids(): the one cross-tenant read of the clean-up). */
export async function allTenantIds(db: Kysely<Tables>): Promise<string[]> {
  const result = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(db);
  return result.rows.map((r) => r.id);
}
