import { type Kysely, sql, type Transaction } from 'kysely';
import type { Tables } from '../../../kernel/db/tables.ts';
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import { type Keyset, timestampText } from '../../../kernel/http/pagination.ts';
import type {
  Language,
  NewslettersTables,
  SubscriptionEventType,
  SubscriptionLegalBasis,
  SubscriptionSource,
  SubscriptionStatus,
} from './newsletters.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant (except the link-request throttle, which is no tenant data,
 * and `kontor_preference_contacts`).
 */
type Db = Transaction<Tables & NewslettersTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<NewslettersTables>();
}

// -- newsletters ---------------------------------------------------------------------------------

export type NewsletterRow = {
  id: string;
  name: string;
  listId: string;
  /** JSON text. */
  texts: string;
  languages: Language[];
  doubleOptIn: boolean;
  welcomeEnabled: boolean;
  /** JSON text. */
  welcome: string;
  senderName: string | null;
  senderAddress: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const newsletterColumns = [
  'newsletter.id',
  'newsletter.name',
  'newsletter.listId',
  sql<string>`newsletter.texts::text`.as('texts'),
  'newsletter.languages',
  'newsletter.doubleOptIn',
  'newsletter.welcomeEnabled',
  sql<string>`newsletter.welcome::text`.as('welcome'),
  'newsletter.senderName',
  'newsletter.senderAddress',
  'newsletter.archivedAt',
  'newsletter.createdAt',
  'newsletter.updatedAt',
] as const;

export async function insertNewsletter(
  tx: TenantTx,
  values: {
    tenantId: string;
    name: string;
    listId: string;
    texts: string;
    languages: Language[];
    doubleOptIn: boolean;
    welcomeEnabled: boolean;
    welcome: string;
    senderName: string | null;
    senderAddress: string | null;
    createdBy: string | null;
  },
): Promise<string> {
  const row = await own(tx).insertInto('newsletter').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findNewsletter(
  tx: TenantTx,
  id: string,
  lock = false,
): Promise<NewsletterRow | undefined> {
  let q = own(tx).selectFrom('newsletter').select(newsletterColumns).where('newsletter.id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The newsletters of `ids` (any order; unknown ids are missing). */
export async function findNewsletters(tx: TenantTx, ids: readonly string[]): Promise<NewsletterRow[]> {
  if (ids.length === 0) return [];
  return own(tx)
    .selectFrom('newsletter')
    .select(newsletterColumns)
    .where(sql<boolean>`newsletter.id = any(${sql.val([...ids])}::uuid[])`)
    .execute();
}

/** Active newsletters, oldest first (the preference centre's list). */
export async function listActiveNewsletters(tx: TenantTx): Promise<NewsletterRow[]> {
  return own(tx)
    .selectFrom('newsletter')
    .select(newsletterColumns)
    .where('newsletter.archivedAt', 'is', null)
    .orderBy('newsletter.createdAt')
    .orderBy('newsletter.id')
    .limit(100)
    .execute();
}

export async function listNewsletters(
  tx: TenantTx,
  page: { limit: number; after: Keyset | undefined; archived: boolean | undefined },
) {
  let q = own(tx)
    .selectFrom('newsletter')
    .select([...newsletterColumns, timestampText('newsletter.created_at').as('cursorTs')])
    .orderBy('newsletter.createdAt', 'desc')
    .orderBy('newsletter.id', 'desc')
    .limit(page.limit + 1);
  if (page.archived === true) q = q.where('newsletter.archivedAt', 'is not', null);
  if (page.archived === false) q = q.where('newsletter.archivedAt', 'is', null);
  if (page.after) {
    const { t, i } = page.after;
    q = q.where(sql<boolean>`(newsletter.created_at, newsletter.id) < (${t}::timestamptz, ${i}::uuid)`);
  }
  return q.execute();
}

export async function updateNewsletter(
  tx: TenantTx,
  id: string,
  values: Partial<Omit<NewsletterRow, 'id' | 'createdAt' | 'updatedAt'>>,
): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await own(tx).updateTable('newsletter').set(values).where('id', '=', id).execute();
}

export async function deleteNewsletter(tx: TenantTx, id: string): Promise<void> {
  await own(tx).deleteFrom('newsletter').where('id', '=', id).execute();
}

/** Whether anybody ever asked for the newsletter (a subscription or any event of one). */
export async function newsletterIsUsed(tx: TenantTx, id: string): Promise<boolean> {
  const row = await sql<{ used: boolean }>`
    select exists (select 1 from subscription where newsletter_id = ${id}::uuid)
        or exists (select 1 from subscription_event where newsletter_id = ${id}::uuid) as used`.execute(tx);
  return Boolean(row.rows[0]?.used);
}

/** Subscriptions per newsletter and status. */
export async function countByStatus(
  tx: TenantTx,
  ids: readonly string[],
): Promise<Map<string, Record<SubscriptionStatus, number>>> {
  const counts = new Map<string, Record<SubscriptionStatus, number>>();
  if (ids.length === 0) return counts;
  const rows = await own(tx)
    .selectFrom('subscription')
    .select(['newsletterId', 'status', sql<string>`count(*)`.as('n')])
    .where(sql<boolean>`newsletter_id = any(${sql.val([...ids])}::uuid[])`)
    .groupBy(['newsletterId', 'status'])
    .execute();
  for (const r of rows) {
    const c = counts.get(r.newsletterId) ?? { pending: 0, subscribed: 0, unsubscribed: 0 };
    c[r.status] = Number(r.n);
    counts.set(r.newsletterId, c);
  }
  return counts;
}

// -- subscriptions --------------------------------------------------------------------------------

export type SubscriptionRow = {
  id: string;
  contactId: string;
  newsletterId: string;
  status: SubscriptionStatus;
  legalBasis: SubscriptionLegalBasis;
  language: Language;
  source: SubscriptionSource;
  sourceRef: string | null;
  requestedAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
};

const subscriptionColumns = [
  'subscription.id',
  'subscription.contactId',
  'subscription.newsletterId',
  'subscription.status',
  'subscription.legalBasis',
  'subscription.language',
  'subscription.source',
  'subscription.sourceRef',
  'subscription.requestedAt',
  'subscription.confirmedAt',
  'subscription.unsubscribedAt',
  'subscription.expiresAt',
  'subscription.createdAt',
] as const;

export async function findSubscription(
  tx: TenantTx,
  contactId: string,
  newsletterId: string,
  lock = false,
): Promise<SubscriptionRow | undefined> {
  let q = own(tx)
    .selectFrom('subscription')
    .select(subscriptionColumns)
    .where('subscription.contactId', '=', contactId)
    .where('subscription.newsletterId', '=', newsletterId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findSubscriptionById(
  tx: TenantTx,
  id: string,
  lock = false,
): Promise<SubscriptionRow | undefined> {
  let q = own(tx).selectFrom('subscription').select(subscriptionColumns).where('subscription.id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Inserts the row unless one exists for (contact, newsletter); either way returns the row,
 * locked for the transaction (two requests at once end up on one row).
 */
export async function upsertSubscriptionLocked(
  tx: TenantTx,
  values: {
    tenantId: string;
    contactId: string;
    newsletterId: string;
    status: SubscriptionStatus;
    legalBasis: SubscriptionLegalBasis;
    language: Language;
    source: SubscriptionSource;
    sourceRef: string | null;
    expiresAt: Date | null;
    confirmedAt: Date | null;
  },
): Promise<{ row: SubscriptionRow; created: boolean }> {
  const inserted = await own(tx)
    .insertInto('subscription')
    .values(values)
    .onConflict((oc) => oc.columns(['tenantId', 'contactId', 'newsletterId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const row = await findSubscription(tx, values.contactId, values.newsletterId, true);
  if (!row) throw new Error('the subscription vanished');
  return { row, created: Boolean(inserted) };
}

export async function updateSubscription(
  tx: TenantTx,
  id: string,
  values: Partial<{
    status: SubscriptionStatus;
    legalBasis: SubscriptionLegalBasis;
    language: Language;
    source: SubscriptionSource;
    sourceRef: string | null;
    requestedAt: Date;
    confirmedAt: Date | null;
    unsubscribedAt: Date | null;
    expiresAt: Date | null;
  }>,
): Promise<void> {
  await own(tx).updateTable('subscription').set(values).where('id', '=', id).execute();
}

export async function deleteSubscription(tx: TenantTx, id: string): Promise<void> {
  await own(tx).deleteFrom('subscription').where('id', '=', id).execute();
}

export async function listSubscriptionsOfNewsletter(
  tx: TenantTx,
  newsletterId: string,
  page: { limit: number; after: Keyset | undefined; status: SubscriptionStatus | undefined },
) {
  // The join keeps the contact scope (withPrincipal): subscriptions of contacts the reader may not see are left out.
  let q = own(tx)
    .selectFrom('subscription')
    .innerJoin('contact', 'contact.id', 'subscription.contactId')
    .select([...subscriptionColumns, timestampText('subscription.created_at').as('cursorTs')])
    .where('subscription.newsletterId', '=', newsletterId)
    .orderBy('subscription.createdAt', 'desc')
    .orderBy('subscription.id', 'desc')
    .limit(page.limit + 1);
  if (page.status) q = q.where('subscription.status', '=', page.status);
  if (page.after) {
    const { t, i } = page.after;
    q = q.where(sql<boolean>`(subscription.created_at, subscription.id) < (${t}::timestamptz, ${i}::uuid)`);
  }
  return q.execute();
}

/** A contact's subscriptions with each newsletter's name, oldest first. */
export async function listSubscriptionsOfContact(tx: TenantTx, contactId: string) {
  return own(tx)
    .selectFrom('subscription')
    .innerJoin('newsletter', 'newsletter.id', 'subscription.newsletterId')
    .select([...subscriptionColumns, 'newsletter.name as newsletterName'])
    .where('subscription.contactId', '=', contactId)
    .orderBy('subscription.createdAt')
    .orderBy('subscription.id')
    .execute();
}

/** Pending requests past their expiry, locked (others skip them), at most `limit`. */
export async function expiredPending(tx: TenantTx, now: Date, limit: number): Promise<SubscriptionRow[]> {
  return own(tx)
    .selectFrom('subscription')
    .select(subscriptionColumns)
    .where('subscription.status', '=', 'pending')
    .where('subscription.expiresAt', '<=', now)
    .orderBy('subscription.expiresAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

// -- events ------------------------------------------------------------------------------------------

export type NewEvent = {
  tenantId: string;
  subscriptionId: string;
  contactId: string;
  newsletterId: string;
  type: SubscriptionEventType;
  fromStatus: SubscriptionStatus | null;
  toStatus: SubscriptionStatus | null;
  source: SubscriptionSource;
  sourceRef: string | null;
  actorUserId: string | null;
  byContact: boolean;
  language: Language | null;
  textHash: string | null;
  doiMessageId?: string | null;
  doiRequestedAt?: Date | null;
  occurredAt: Date;
};

export async function insertEvent(tx: TenantTx, values: NewEvent): Promise<string> {
  const row = await own(tx)
    .insertInto('subscriptionEvent')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether the contact ever confirmed the newsletter (a confirmed or resubscribed event). */
export async function confirmedBefore(
  tx: TenantTx,
  contactId: string,
  newsletterId: string,
): Promise<boolean> {
  const row = await own(tx)
    .selectFrom('subscriptionEvent')
    .select('id')
    .where('contactId', '=', contactId)
    .where('newsletterId', '=', newsletterId)
    .where('type', 'in', ['confirmed', 'resubscribed'])
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

// -- confirmations ----------------------------------------------------------------------------------

export async function insertConfirmation(
  tx: TenantTx,
  values: {
    tenantId: string;
    subscriptionId: string;
    tokenHash: string;
    language: Language;
    textHash: string;
    source: SubscriptionSource;
    sourceRef: string | null;
    expiresAt: Date;
  },
): Promise<string> {
  const row = await own(tx)
    .insertInto('subscriptionConfirmation')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setConfirmationMail(tx: TenantTx, id: string, mailMessageId: string): Promise<void> {
  await own(tx).updateTable('subscriptionConfirmation').set({ mailMessageId }).where('id', '=', id).execute();
}

export type ConfirmationRow = {
  id: string;
  subscriptionId: string;
  mailMessageId: string | null;
  language: Language;
  textHash: string;
  source: SubscriptionSource;
  sourceRef: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
};

export async function findConfirmation(
  tx: TenantTx,
  tokenHash: string,
): Promise<ConfirmationRow | undefined> {
  return own(tx)
    .selectFrom('subscriptionConfirmation')
    .select([
      'id',
      'subscriptionId',
      'mailMessageId',
      'language',
      'textHash',
      'source',
      'sourceRef',
      'createdAt',
      'expiresAt',
      'usedAt',
    ])
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/** Uses the token up in the statement that checks it is unused and unexpired: two clicks, one confirmation. */
export async function useConfirmation(tx: TenantTx, id: string, now: Date): Promise<boolean> {
  const row = await own(tx)
    .updateTable('subscriptionConfirmation')
    .set({ usedAt: now })
    .where('id', '=', id)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

/** Ends every other open token of the subscription (confirmed once is enough). */
export async function closeOpenConfirmations(tx: TenantTx, subscriptionId: string, now: Date): Promise<void> {
  await own(tx)
    .updateTable('subscriptionConfirmation')
    .set({ usedAt: now })
    .where('subscriptionId', '=', subscriptionId)
    .where('usedAt', 'is', null)
    .execute();
}

/** The newest token of the subscription still open, if any. */
export async function latestOpenConfirmation(
  tx: TenantTx,
  subscriptionId: string,
  now: Date,
): Promise<{ id: string; createdAt: Date; sourceRef: string | null } | undefined> {
  return own(tx)
    .selectFrom('subscriptionConfirmation')
    .select(['id', 'createdAt', 'sourceRef'])
    .where('subscriptionId', '=', subscriptionId)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Forgets expired unused tokens, and used ones after `usedDays`; returns how many. */
export async function pruneConfirmations(tx: TenantTx, now: Date, usedDays: number): Promise<number> {
  const result = await own(tx)
    .deleteFrom('subscriptionConfirmation')
    .where((eb) =>
      eb.or([
        eb.and([eb('usedAt', 'is', null), eb('expiresAt', '<=', now)]),
        eb('usedAt', '<=', new Date(now.getTime() - usedDays * 86_400_000)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// -- preference links (no tenant yet) -------------------------------------------------------------

/** Counts one request in the key's window (15 min); returns the count so far and the seconds left. */
export async function countLinkRequest(
  db: Kysely<Tables>,
  keyHash: string,
  windowSeconds: number,
): Promise<{ count: number; secondsLeft: number }> {
  const row = await sql<{ count: number; secondsLeft: number }>`
    insert into newsletter_link_request (key_hash, requests, window_started_at) values (${keyHash}, 1, now())
    on conflict (key_hash) do update set
      requests = case when newsletter_link_request.window_started_at <= now() - make_interval(secs => ${windowSeconds})
        then 1 else newsletter_link_request.requests + 1 end,
      window_started_at = case when newsletter_link_request.window_started_at <= now() - make_interval(secs => ${windowSeconds})
        then now() else newsletter_link_request.window_started_at end
    returning requests as count,
      ceil(extract(epoch from (window_started_at + make_interval(secs => ${windowSeconds}) - now())))::int as "secondsLeft"`.execute(
    db,
  );
  return row.rows[0] ?? { count: 1, secondsLeft: windowSeconds };
}

export async function pruneLinkRequests(db: Kysely<Tables>, windowSeconds: number): Promise<number> {
  const result = await sql`
    delete from newsletter_link_request
    where window_started_at <= now() - make_interval(secs => ${windowSeconds})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Contacts with the email: in `tenantId`, or in every tenant when null (at most 10). */
export async function preferenceContacts(
  db: Kysely<Tables>,
  email: string,
  tenantId: string | null,
): Promise<{ tenantId: string; contactId: string }[]> {
  const { rows } = await sql<{ tenantId: string; contactId: string }>`
    select tenant_id as "tenantId", contact_id as "contactId"
    from kontor_preference_contacts(${email}, ${tenantId}::uuid)`.execute(db);
  return rows;
}
