import { type SqlBool, sql, type Transaction } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { type Keyset, timestampText } from '../../kernel/http/pagination.ts';
import type { MailKind, MailStatus, MailTables } from './mail.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant.
 */
type Db = Transaction<Tables & MailTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<MailTables>();
}

export type NewMessage = {
  tenantId: string;
  kind: MailKind;
  idempotencyKey: string;
  contactId: string | null;
  toAddress: string;
  toName: string | null;
  replyTo: string | null;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  headers: string;
};

/** Inserts the message unless its key exists; returns its id and whether it is new. */
export async function insertMessage(
  tx: TenantTx,
  values: NewMessage,
): Promise<{ id: string; created: boolean }> {
  const inserted = await own(tx)
    .insertInto('mailMessage')
    .values(values)
    .onConflict((oc) => oc.columns(['tenantId', 'idempotencyKey']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await own(tx)
    .selectFrom('mailMessage')
    .select('id')
    .where('idempotencyKey', '=', values.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export async function findSender(tx: TenantTx) {
  return own(tx).selectFrom('mailSender').selectAll().executeTakeFirst();
}
export type SenderRow = NonNullable<Awaited<ReturnType<typeof findSender>>>;

/** The sender row, created empty when the tenant has none yet, locked for the transaction. */
export async function lockSender(tx: TenantTx, tenantId: string): Promise<SenderRow> {
  await own(tx)
    .insertInto('mailSender')
    .values({ tenantId })
    .onConflict((oc) => oc.column('tenantId').doNothing())
    .execute();
  return own(tx).selectFrom('mailSender').selectAll().forUpdate().executeTakeFirstOrThrow();
}

export async function updateSender(
  tx: TenantTx,
  values: Partial<{
    fromName: string | null;
    fromAddress: string | null;
    replyTo: string | null;
    dkimDomain: string | null;
    dkimSelector: string | null;
    dkimPrivateKey: string | null;
    pausedAt: Date | null;
    pausedReason: string | null;
  }>,
): Promise<void> {
  await own(tx).updateTable('mailSender').set(values).execute();
}

/** Pauses the tenant's sending (keeps the first reason when already paused). */
export async function pause(tx: TenantTx, tenantId: string, reason: string): Promise<void> {
  await own(tx)
    .insertInto('mailSender')
    .values({ tenantId, pausedAt: new Date(), pausedReason: reason })
    .onConflict((oc) =>
      oc
        .column('tenantId')
        .doUpdateSet({ pausedAt: new Date(), pausedReason: reason })
        .where('mailSender.pausedAt', 'is', null),
    )
    .execute();
}

/** The message locked for an attempt, with the database's clock. */
export async function lockMessage(tx: TenantTx, id: string) {
  return own(tx)
    .selectFrom('mailMessage')
    .select([
      'id',
      'kind',
      'status',
      'attempts',
      'toAddress',
      'toName',
      'replyTo',
      'subject',
      'textBody',
      'htmlBody',
      sql<string>`headers::text`.as('headers'),
      'messageId',
      'createdAt',
      // Seconds until the lease (sending) or the retry time (deferred); ≤ 0 when due.
      sql<number>`coalesce(extract(epoch from (next_attempt_at - now())), 0)::float8`.as('dueIn'),
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}
export type LockedMessage = NonNullable<Awaited<ReturnType<typeof lockMessage>>>;

export async function markHeld(tx: TenantTx, id: string, lastError: string | null): Promise<void> {
  await own(tx)
    .updateTable('mailMessage')
    .set({ status: 'held', nextAttemptAt: null, ...(lastError ? { lastError } : {}) })
    .where('id', '=', id)
    .execute();
}

/** Starts an attempt: `sending`, one more attempt, held until the lease ends. */
export async function markSending(
  tx: TenantTx,
  id: string,
  values: { messageId: string; fromAddress: string; fromName: string | null; leaseSeconds: number },
): Promise<number> {
  const row = await own(tx)
    .updateTable('mailMessage')
    .set({
      status: 'sending',
      attempts: sql<number>`attempts + 1`,
      nextAttemptAt: sql<Date>`now() + make_interval(secs => ${values.leaseSeconds})`,
      messageId: values.messageId,
      fromAddress: values.fromAddress,
      fromName: values.fromName,
    })
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

/** Sent wins over anything but sent: a second attempt that also got through changes nothing. */
export async function markSent(tx: TenantTx, id: string): Promise<boolean> {
  const result = await own(tx)
    .updateTable('mailMessage')
    .set({ status: 'sent', sentAt: sql<Date>`now()`, nextAttemptAt: null, lastError: null })
    .where('id', '=', id)
    .where('status', '!=', 'sent')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends this attempt (identified by its number) as deferred, failed or held; false when another attempt took over. */
export async function endAttempt(
  tx: TenantTx,
  id: string,
  attempt: number,
  values: {
    status: Extract<MailStatus, 'deferred' | 'failed' | 'held'>;
    lastError: string;
    retryInSeconds?: number;
  },
): Promise<boolean> {
  const result = await own(tx)
    .updateTable('mailMessage')
    .set({
      status: values.status,
      lastError: values.lastError,
      nextAttemptAt:
        values.retryInSeconds !== undefined
          ? sql<Date>`now() + make_interval(secs => ${values.retryInSeconds})`
          : null,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Held messages back to queued (resume); their ids, to send a job for each. */
export async function releaseHeld(tx: TenantTx): Promise<string[]> {
  const rows = await own(tx)
    .updateTable('mailMessage')
    .set({ status: 'queued', nextAttemptAt: null })
    .where('status', '=', 'held')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Messages whose job went missing: queued or deferred long past their time, or sending long
 * past the lease (the job's retries were used up while the row stayed behind).
 */
export async function findStranded(tx: TenantTx, graceSeconds: number, limit: number): Promise<string[]> {
  const rows = await own(tx)
    .selectFrom('mailMessage')
    .select('id')
    .where('status', 'in', ['queued', 'sending', 'deferred'])
    .where(
      sql<SqlBool>`coalesce(next_attempt_at, updated_at) < now() - make_interval(secs => ${graceSeconds})`,
    )
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Touches the stranded message so the sweep does not pick it again before its new job runs. */
export async function touch(tx: TenantTx, id: string): Promise<void> {
  await own(tx).updateTable('mailMessage').set({ updatedAt: new Date() }).where('id', '=', id).execute();
}

export async function insertCatcherEntry(
  tx: TenantTx,
  values: {
    tenantId: string;
    messageId: string;
    toAddress: string;
    subject: string;
    headers: string;
    textBody: string | null;
    htmlBody: string | null;
    rawSize: number;
  },
): Promise<void> {
  await own(tx)
    .insertInto('mailCatcherEntry')
    .values(values)
    .onConflict((oc) => oc.columns(['tenantId', 'messageId']).doNothing())
    .execute();
}

export async function countByStatus(tx: TenantTx): Promise<Record<string, number>> {
  const rows = await own(tx)
    .selectFrom('mailMessage')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function listMessages(
  tx: TenantTx,
  page: { limit: number; after: Keyset | undefined; status: MailStatus | undefined },
) {
  let query = own(tx)
    .selectFrom('mailMessage')
    .select([
      'id',
      'kind',
      'toAddress',
      'subject',
      'status',
      'attempts',
      'nextAttemptAt',
      'lastError',
      'messageId',
      'sentAt',
      'createdAt',
      timestampText('mail_message.created_at').as('cursorTs'),
    ])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.status) query = query.where('status', '=', page.status);
  if (page.after) {
    query = query.where(
      sql<SqlBool>`(mail_message.created_at, mail_message.id) < (${page.after.t}::timestamptz, ${page.after.i}::uuid)`,
    );
  }
  return query.execute();
}

export async function listOutbox(tx: TenantTx, page: { limit: number; after: Keyset | undefined }) {
  let query = own(tx)
    .selectFrom('mailCatcherEntry')
    .select([
      'id',
      'messageId',
      'toAddress',
      'subject',
      sql<string>`headers::text`.as('headers'),
      'textBody',
      'htmlBody',
      'createdAt',
      timestampText('mail_catcher_entry.created_at').as('cursorTs'),
    ])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.after) {
    query = query.where(
      sql<SqlBool>`(mail_catcher_entry.created_at, mail_catcher_entry.id) < (${page.after.t}::timestamptz, ${page.after.i}::uuid)`,
    );
  }
  return query.execute();
}

/** Retention: catcher entries after `catcherDays`; bodies of finished messages after `bodyDays`. */
export async function prune(tx: TenantTx, catcherDays: number, bodyDays: number): Promise<number> {
  const catcher = await own(tx)
    .deleteFrom('mailCatcherEntry')
    .where(sql<SqlBool>`created_at < now() - make_interval(days => ${catcherDays})`)
    .executeTakeFirst();
  await sql`UPDATE mail_message SET text_body = '', html_body = NULL
            WHERE status IN ('sent', 'failed') AND text_body <> ''
              AND updated_at < now() - make_interval(days => ${bodyDays})`.execute(tx);
  return Number(catcher.numDeletedRows);
}
