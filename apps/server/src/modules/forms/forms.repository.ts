import { type Kysely, sql, type Transaction } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { type Keyset, timestampText } from '../../kernel/http/pagination.ts';
import type { FormStatus, FormsTables, SpamReason } from './forms.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction; row-level security
 * limits each query to that tenant (except the two cross-tenant ones named below).
 */
type Db = Transaction<Tables & FormsTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<FormsTables>();
}

export type FormRow = {
  id: string;
  name: string;
  status: FormStatus;
  version: number;
  definition: string;
  createdAt: Date;
  updatedAt: Date;
};

export async function insertForm(
  tx: TenantTx,
  values: { id: string; tenantId: string; name: string; status: FormStatus; createdBy: string | null },
): Promise<void> {
  await own(tx).insertInto('form').values(values).execute();
}

export async function insertVersion(
  tx: TenantTx,
  values: { tenantId: string; formId: string; version: number; definition: string },
): Promise<void> {
  await own(tx).insertInto('formVersion').values(values).execute();
}

/** The form with its current definition (as JSON text). */
export async function findForm(tx: TenantTx, id: string, lock = false): Promise<FormRow | undefined> {
  let q = own(tx)
    .selectFrom('form')
    .innerJoin('formVersion', (j) =>
      j.onRef('formVersion.formId', '=', 'form.id').onRef('formVersion.version', '=', 'form.version'),
    )
    .select([
      'form.id',
      'form.name',
      'form.status',
      'form.version',
      sql<string>`form_version.definition::text`.as('definition'),
      'form.createdAt',
      'form.updatedAt',
    ])
    .where('form.id', '=', id);
  if (lock) q = q.forUpdate('form');
  return q.executeTakeFirst();
}

export async function updateForm(
  tx: TenantTx,
  id: string,
  values: { name?: string; status?: FormStatus; version?: number },
): Promise<void> {
  await own(tx).updateTable('form').set(values).where('id', '=', id).execute();
}

export async function deleteForm(tx: TenantTx, id: string): Promise<void> {
  await own(tx).deleteFrom('form').where('id', '=', id).execute();
}

export async function listForms(tx: TenantTx, page: { limit: number; after: Keyset | undefined }) {
  let q = own(tx)
    .selectFrom('form')
    .select([
      'form.id',
      'form.name',
      'form.status',
      'form.version',
      'form.updatedAt',
      timestampText('form.created_at').as('cursorTs'),
      (eb) =>
        eb
          .selectFrom('formSubmission')
          .select(sql<string>`count(*)`.as('n'))
          .whereRef('formSubmission.formId', '=', 'form.id')
          .as('submissionCount'),
    ])
    .orderBy('form.createdAt', 'desc')
    .orderBy('form.id', 'desc')
    .limit(page.limit + 1);
  if (page.after) {
    const { t, i } = page.after;
    q = q.where(sql<boolean>`(form.created_at, form.id) < (${t}::timestamptz, ${i}::uuid)`);
  }
  return q.execute();
}

export async function countSubmissions(tx: TenantTx, formId: string): Promise<number> {
  const row = await own(tx)
    .selectFrom('formSubmission')
    .select(sql<string>`count(*)`.as('n'))
    .where('formId', '=', formId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type ClaimedSubmission = {
  id: string;
  formId: string;
  formVersion: number;
  language: 'de' | 'en' | 'fr';
  data: string;
  /** JSON text: `[{ questionId, version, optionKey }]` and the ticked newsletters' ids. */
  consent: string;
  newsletterIds: string;
  createdAt: Date;
};

/**
 * Up to `limit` received submissions of the tenant, `first` among them, oldest first after it;
 * locked for this transaction (others skip them).
 */
export async function claimReceived(
  tx: TenantTx,
  first: string,
  limit: number,
): Promise<ClaimedSubmission[]> {
  return own(tx)
    .selectFrom('formSubmission')
    .select([
      'id',
      'formId',
      'formVersion',
      'language',
      sql<string>`data::text`.as('data'),
      sql<string>`consent::text`.as('consent'),
      sql<string>`newsletter_ids::text`.as('newsletterIds'),
      'createdAt',
    ])
    .where('status', '=', 'received')
    .orderBy(sql`id = ${first}::uuid`, 'desc')
    .orderBy('createdAt')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markProcessed(
  tx: TenantTx,
  id: string,
  values: { contactId: string; autoReplyMessageId: string | null },
): Promise<void> {
  await own(tx)
    .updateTable('formSubmission')
    .set({ ...values, status: 'processed', failure: null, processedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(tx: TenantTx, id: string, failure: string): Promise<void> {
  await own(tx)
    .updateTable('formSubmission')
    .set({ status: 'failed', failure: failure.slice(0, 1000), processedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Names of the tenant's forms by id. */
export async function formNames(tx: TenantTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await own(tx).selectFrom('form').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The ids of up to `limit` submissions received over `seconds` ago, oldest first: the ones the
 * intake sweep makes sure a processing job covers.
 */
export async function staleReceived(tx: TenantTx, seconds: number, limit: number): Promise<string[]> {
  const rows = await own(tx)
    .selectFrom('formSubmission')
    .select('id')
    .where('status', '=', 'received')
    .where('createdAt', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .orderBy('createdAt')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Serialises the processing of one tenant's submissions (one contact per email across batches). */
export async function lockIntake(tx: TenantTx, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`form-intake:${tenantId}`}, 0))`.execute(tx);
}

export async function listSubmissions(
  tx: TenantTx,
  filter: { formId?: string | undefined },
  page: { limit: number; after: Keyset | undefined },
) {
  let q = own(tx)
    .selectFrom('formSubmission')
    .select([
      'id',
      'formId',
      'formVersion',
      'contactId',
      'language',
      sql<string>`data::text`.as('data'),
      sql<string>`consent::text`.as('consent'),
      sql<string>`newsletter_ids::text`.as('newsletterIds'),
      'autoReplyMessageId',
      'status',
      'failure',
      'createdAt',
      timestampText('created_at').as('cursorTs'),
    ])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (filter.formId) q = q.where('formId', '=', filter.formId);
  if (page.after) {
    const { t, i } = page.after;
    q = q.where(sql<boolean>`(created_at, id) < (${t}::timestamptz, ${i}::uuid)`);
  }
  return q.execute();
}

/** Auto-replies sent to one contact since `since` (the per-recipient limit). */
export async function autoRepliesSince(tx: TenantTx, contactId: string, since: Date): Promise<number> {
  const row = await own(tx)
    .selectFrom('formSubmission')
    .select(sql<string>`count(*)`.as('n'))
    .where('contactId', '=', contactId)
    .where('autoReplyMessageId', 'is not', null)
    .where('createdAt', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countSpam(
  tx: TenantTx,
  tenantId: string,
  formId: string,
  reason: SpamReason,
): Promise<void> {
  await own(tx)
    .insertInto('formSpamCount')
    .values({ tenantId, formId, day: sql<string>`(now() at time zone 'UTC')::date`, reason, count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['tenantId', 'formId', 'day', 'reason'])
        .doUpdateSet({ count: sql<number>`form_spam_count.count + 1` }),
    )
    .execute();
}

export async function spamCounts(tx: TenantTx, formId: string, days: number) {
  return own(tx)
    .selectFrom('formSpamCount')
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'reason', 'count'])
    .where('formId', '=', formId)
    .where(sql<boolean>`day > (now() at time zone 'UTC')::date - ${days}::int`)
    .orderBy('day', 'desc')
    .orderBy('reason')
    .execute();
}

export async function pruneChallenges(db: Kysely<Tables>, now: Date): Promise<number> {
  const result = await db
    .withTables<FormsTables>()
    .deleteFrom('formChallengeUse')
    .where('expiresAt', '<', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Cross-tenant: a published form's tenant, name and version (SECURITY DEFINER function), or undefined. */
export async function findPublishedForm(
  db: Kysely<Tables>,
  formId: string,
): Promise<{ tenantId: string; name: string; version: number } | undefined> {
  const { rows } = await sql<{ tenantId: string; name: string; version: number }>`
    select tenant_id, name, version from kontor_published_form(${formId}::uuid)`.execute(db);
  return rows[0];
}

/** One version's definition (JSON text). */
export async function findVersion(
  tx: TenantTx,
  formId: string,
  version: number,
): Promise<string | undefined> {
  const row = await own(tx)
    .selectFrom('formVersion')
    .select(sql<string>`definition::text`.as('definition'))
    .where('formId', '=', formId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.definition;
}
