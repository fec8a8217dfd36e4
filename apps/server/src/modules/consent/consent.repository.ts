import { type SqlBool, sql, type Transaction } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { type Keyset, timestampText } from '../../kernel/http/pagination.ts';
import type {
  ConsentChannel,
  ConsentPolarity,
  ConsentSource,
  ConsentState,
  ConsentTables,
} from './consent.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction: row-level security
 * limits each query to that tenant (and, opened with withPrincipal, contacts to the scope).
 * jsonb columns are read as text (`::text`): the CamelCasePlugin would rename keys inside them.
 */
type Db = Transaction<Tables & ConsentTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<ConsentTables>();
}

export async function currentTenant(tx: TenantTx): Promise<string> {
  const row = await tx
    .selectNoFrom((eb) => eb.fn<string>('kontor_current_tenant', []).as('id'))
    .executeTakeFirstOrThrow();
  if (!row.id) throw new Error('consent: needs a tenant transaction (withTenant)');
  return row.id;
}

// ---------------------------------------------------------------------------------------------
// questions
// ---------------------------------------------------------------------------------------------

function selectQuestions(db: Db) {
  return db
    .selectFrom('consentQuestion as q')
    .innerJoin('consentQuestionVersion as v', (j) =>
      j.onRef('v.questionId', '=', 'q.id').onRef('v.version', '=', 'q.currentVersion'),
    )
    .select([
      'q.id',
      'q.key',
      'q.purpose',
      'q.channel',
      'q.legalBasis',
      'q.currentVersion',
      'q.archivedAt',
      'q.createdAt',
      'q.updatedAt',
      sql<string>`v.texts::text`.as('texts'),
      sql<string>`v.options::text`.as('options'),
      'v.textHash',
      sql<boolean>`exists (select 1 from consent_event e where e.question_id = q.id)`.as('inUse'),
      timestampText('q.created_at').as('cursorTs'),
    ]);
}

export type QuestionRow = Awaited<ReturnType<ReturnType<typeof selectQuestions>['execute']>>[number];

export async function findQuestion(tx: TenantTx, id: string, lock = false): Promise<QuestionRow | undefined> {
  let q = selectQuestions(own(tx)).where('q.id', '=', id);
  if (lock) q = q.forUpdate('q');
  return q.executeTakeFirst();
}

export async function listQuestions(
  tx: TenantTx,
  filter: { archived: 'true' | 'false' | 'all' },
  page: { limit: number; after: Keyset | undefined },
): Promise<QuestionRow[]> {
  let q = selectQuestions(own(tx))
    .orderBy('q.createdAt')
    .orderBy('q.id')
    .limit(page.limit + 1);
  if (filter.archived === 'false') q = q.where('q.archivedAt', 'is', null);
  if (filter.archived === 'true') q = q.where('q.archivedAt', 'is not', null);
  if (page.after) {
    const { t, i } = page.after;
    q = q.where(sql<SqlBool>`(q.created_at, q.id) > (${t}::timestamptz, ${i}::uuid)`);
  }
  return q.execute();
}

/** The new question's id, or undefined when the key is taken. */
export async function insertQuestion(
  tx: TenantTx,
  values: {
    id: string;
    tenantId: string;
    key: string;
    purpose: string;
    channel: ConsentChannel;
    legalBasis: string;
    createdBy: string | null;
  },
): Promise<string | undefined> {
  const row = await own(tx)
    .insertInto('consentQuestion')
    .values(values)
    .onConflict((oc) => oc.columns(['tenantId', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function insertVersion(
  tx: TenantTx,
  values: {
    tenantId: string;
    questionId: string;
    version: number;
    texts: string;
    options: string;
    textHash: string;
    createdBy: string | null;
  },
): Promise<void> {
  await own(tx).insertInto('consentQuestionVersion').values(values).execute();
}

export async function updateQuestion(
  tx: TenantTx,
  id: string,
  values: {
    key?: string;
    purpose?: string;
    channel?: ConsentChannel;
    legalBasis?: string;
    currentVersion?: number;
    archivedAt?: Date | null;
  },
): Promise<void> {
  await own(tx).updateTable('consentQuestion').set(values).where('id', '=', id).execute();
}

export async function deleteQuestion(tx: TenantTx, id: string): Promise<void> {
  await own(tx).deleteFrom('consentQuestion').where('id', '=', id).execute();
}

export async function keyTaken(tx: TenantTx, key: string, exceptId: string): Promise<boolean> {
  const row = await own(tx)
    .selectFrom('consentQuestion')
    .select('id')
    .where('key', '=', key)
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listVersions(tx: TenantTx, questionId: string) {
  return own(tx)
    .selectFrom('consentQuestionVersion')
    .select([
      'version',
      sql<string>`texts::text`.as('texts'),
      sql<string>`options::text`.as('options'),
      'textHash',
      'createdAt',
      'createdBy',
    ])
    .where('questionId', '=', questionId)
    .orderBy('version', 'desc')
    .execute();
}

export type QuestionMeta = {
  id: string;
  key: string;
  purpose: string;
  channel: ConsentChannel;
  legalBasis: string;
  currentVersion: number;
  archivedAt: Date | null;
};

/** Questions by id (any that exist in the tenant), metadata only. */
export async function questionsByIds(tx: TenantTx, ids: readonly string[]): Promise<QuestionMeta[]> {
  if (ids.length === 0) return [];
  return own(tx)
    .selectFrom('consentQuestion')
    .select(['id', 'key', 'purpose', 'channel', 'legalBasis', 'currentVersion', 'archivedAt'])
    .where(sql<SqlBool>`id = any(${sql.val([...ids])}::uuid[])`)
    .execute();
}

/** Questions by key or id (selection leaves name a question either way). */
export async function questionIdsByKeyOrId(tx: TenantTx, refs: readonly string[]) {
  if (refs.length === 0) return [];
  const uuids = refs.filter((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r));
  return own(tx)
    .selectFrom('consentQuestion')
    .select(['id', 'key'])
    .where((eb) =>
      eb.or([
        eb('key', 'in', [...refs]),
        ...(uuids.length > 0 ? [sql<SqlBool>`id = any(${sql.val(uuids)}::uuid[])`] : []),
      ]),
    )
    .execute();
}

export type VersionRow = {
  questionId: string;
  version: number;
  texts: string;
  options: string;
  textHash: string;
};

/** Versions by (question, version) pairs. */
export async function versionsOf(
  tx: TenantTx,
  pairs: ReadonlyArray<{ questionId: string; version: number }>,
): Promise<VersionRow[]> {
  if (pairs.length === 0) return [];
  return own(tx)
    .selectFrom('consentQuestionVersion')
    .select([
      'questionId',
      'version',
      sql<string>`texts::text`.as('texts'),
      sql<string>`options::text`.as('options'),
      'textHash',
    ])
    .where(
      sql<SqlBool>`(question_id, version) in (select * from unnest(${sql.val(pairs.map((p) => p.questionId))}::uuid[], ${sql.val(pairs.map((p) => p.version))}::int[]))`,
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------
// answers
// ---------------------------------------------------------------------------------------------

export async function contactExists(tx: TenantTx, contactId: string): Promise<boolean> {
  const row = await own(tx).selectFrom('contact').select('id').where('id', '=', contactId).executeTakeFirst();
  return row !== undefined;
}

/** Serialises the answers of one contact (two submissions of one person processed at once). */
export async function lockContactConsents(tx: TenantTx, tenantId: string, contactId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`consent:${tenantId}:${contactId}`}, 0))`.execute(
    tx,
  );
}

export type RecordRow = {
  questionId: string;
  version: number;
  optionKey: string;
  polarity: ConsentPolarity;
  state: ConsentState;
  source: ConsentSource;
  eventId: string;
  changedAt: Date;
  processedAt: Date | null;
};

export async function recordsOf(
  tx: TenantTx,
  contactId: string,
  questionIds: readonly string[],
): Promise<RecordRow[]> {
  if (questionIds.length === 0) return [];
  return own(tx)
    .selectFrom('consentRecord')
    .select([
      'questionId',
      'version',
      'optionKey',
      'polarity',
      'state',
      'source',
      'eventId',
      'changedAt',
      'processedAt',
    ])
    .where('contactId', '=', contactId)
    .where(sql<SqlBool>`question_id = any(${sql.val([...questionIds])}::uuid[])`)
    .execute();
}

export type EventValues = {
  tenantId: string;
  contactId: string;
  questionId: string;
  version: number;
  optionKey: string;
  polarity: ConsentPolarity;
  state: ConsentState;
  source: ConsentSource;
  sourceRef: string | null;
  actorUserId: string | null;
  byContact: boolean;
  language: 'de' | 'en' | 'fr';
  textHash: string;
  legalBasis: string;
  occurredAt: Date;
  supersedesEventId: string | null;
};

export async function insertEvent(tx: TenantTx, values: EventValues): Promise<string> {
  const row = await own(tx)
    .insertInto('consentEvent')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function upsertRecord(
  tx: TenantTx,
  values: {
    tenantId: string;
    contactId: string;
    questionId: string;
    version: number;
    optionKey: string;
    polarity: ConsentPolarity;
    state: ConsentState;
    source: ConsentSource;
    eventId: string;
    changedAt: Date;
    processedAt: Date | null;
  },
): Promise<void> {
  const { tenantId: _t, contactId: _c, questionId: _q, ...changes } = values;
  await own(tx)
    .insertInto('consentRecord')
    .values(values)
    .onConflict((oc) => oc.columns(['tenantId', 'contactId', 'questionId']).doUpdateSet(changes))
    .execute();
}

/** The same answer again: the record points at the newest evidence (and its version). */
export async function touchRecord(
  tx: TenantTx,
  contactId: string,
  questionId: string,
  values: { version: number; eventId: string },
): Promise<void> {
  await own(tx)
    .updateTable('consentRecord')
    .set(values)
    .where('contactId', '=', contactId)
    .where('questionId', '=', questionId)
    .execute();
}

export async function insertConsentChange(
  tx: TenantTx,
  values: { tenantId: string; contactId: string; consentEventId: string; summary: string },
): Promise<void> {
  await own(tx)
    .insertInto('consentChange')
    .values({ ...values, kind: 'consent' })
    .execute();
}

/** Once per subscription event (a second call with the same event adds nothing). */
export async function insertSubscriptionChange(
  tx: TenantTx,
  values: { tenantId: string; contactId: string; subscriptionEventId: string; summary: string },
): Promise<void> {
  await sql`
    insert into consent_change (tenant_id, contact_id, kind, subscription_event_id, summary)
    values (${values.tenantId}::uuid, ${values.contactId}::uuid, 'subscription',
      ${values.subscriptionEventId}::uuid, ${values.summary}::jsonb)
    on conflict (tenant_id, subscription_event_id) where subscription_event_id is not null do nothing`.execute(
    tx,
  );
}

/** Every question a contact's GDPR tab shows: current ones, and archived ones the contact answered. */
export async function contactConsents(tx: TenantTx, contactId: string) {
  return own(tx)
    .selectFrom('consentQuestion as q')
    .leftJoin('consentRecord as r', (j) =>
      j.onRef('r.questionId', '=', 'q.id').on('r.contactId', '=', contactId),
    )
    .innerJoin('consentQuestionVersion as v', (j) =>
      j
        .onRef('v.questionId', '=', 'q.id')
        .on(sql<SqlBool>`v.version = coalesce(r.version, q.current_version)`),
    )
    .select([
      'q.id',
      'q.key',
      'q.purpose',
      'q.channel',
      'q.currentVersion',
      'q.archivedAt',
      'v.version',
      sql<string>`v.texts::text`.as('texts'),
      sql<string>`v.options::text`.as('options'),
      'r.optionKey',
      'r.polarity',
      'r.state',
      'r.source',
      'r.changedAt',
      'r.processedAt',
    ])
    .where((eb) => eb.or([eb('q.archivedAt', 'is', null), eb('r.contactId', 'is not', null)]))
    .orderBy('q.createdAt')
    .orderBy('q.id')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// changes
// ---------------------------------------------------------------------------------------------

function selectChanges(db: Db) {
  return db
    .selectFrom('consentChange as c')
    .leftJoin('consentEvent as e', 'e.id', 'c.consentEventId')
    .leftJoin('consentEvent as p', 'p.id', 'e.supersedesEventId')
    .leftJoin('contact as ct', 'ct.id', 'c.contactId')
    .select([
      'c.id',
      'c.kind',
      'c.contactId',
      sql<string>`c.summary::text`.as('summary'),
      'c.createdAt',
      'c.processedAt',
      'c.processedBy',
      'c.actionTaken',
      'e.questionId',
      'e.version',
      'e.optionKey',
      'p.version as fromVersion',
      'p.optionKey as fromOptionKey',
      'ct.firstName',
      'ct.lastName',
      sql<string | null>`ct.email::text`.as('email'),
      timestampText('c.created_at').as('cursorTs'),
      timestampText('c.processed_at').as('processedTs'),
    ]);
}

export type ChangeRow = Awaited<ReturnType<ReturnType<typeof selectChanges>['execute']>>[number];

export async function findChange(tx: TenantTx, id: string, lock = false): Promise<ChangeRow | undefined> {
  let q = selectChanges(own(tx)).where('c.id', '=', id);
  if (lock) q = q.forUpdate('c');
  return q.executeTakeFirst();
}

export async function listChanges(
  tx: TenantTx,
  status: 'open' | 'done',
  page: { limit: number; after: Keyset | undefined },
): Promise<ChangeRow[]> {
  let q = selectChanges(own(tx)).limit(page.limit + 1);
  if (status === 'open') {
    q = q.where('c.processedAt', 'is', null).orderBy('c.createdAt').orderBy('c.id');
    if (page.after) {
      const { t, i } = page.after;
      q = q.where(sql<SqlBool>`(c.created_at, c.id) > (${t}::timestamptz, ${i}::uuid)`);
    }
  } else {
    q = q.where('c.processedAt', 'is not', null).orderBy('c.processedAt', 'desc').orderBy('c.id', 'desc');
    if (page.after) {
      const { t, i } = page.after;
      q = q.where(sql<SqlBool>`(c.processed_at, c.id) < (${t}::timestamptz, ${i}::uuid)`);
    }
  }
  return q.execute();
}

export async function countOpenChanges(tx: TenantTx): Promise<{ open: number; oldest: Date | null }> {
  const row = await own(tx)
    .selectFrom('consentChange')
    .select([sql<string>`count(*)`.as('n'), sql<Date | null>`min(created_at)`.as('oldest')])
    .where('processedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return { open: Number(row.n), oldest: row.oldest ? new Date(row.oldest) : null };
}

/** Marks the change processed unless it is already (guarded); whether it was marked now. */
export async function markProcessed(
  tx: TenantTx,
  id: string,
  values: { processedAt: Date; processedBy: string; actionTaken: string },
): Promise<boolean> {
  const result = await own(tx)
    .updateTable('consentChange')
    .set(values)
    .where('id', '=', id)
    .where('processedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * The contact's current answer to a question counts as processed once no change of the contact
 * to that question is open any more.
 */
export async function markRecordProcessed(
  tx: TenantTx,
  contactId: string,
  questionId: string,
  at: Date,
): Promise<void> {
  await sql`
    update consent_record r set processed_at = ${at}
    where r.contact_id = ${contactId}::uuid and r.question_id = ${questionId}::uuid and r.processed_at is null
      and not exists (
        select 1 from consent_change c join consent_event e on e.id = c.consent_event_id
        where c.contact_id = r.contact_id and c.processed_at is null and e.question_id = r.question_id)`.execute(
    tx,
  );
}

// ---------------------------------------------------------------------------------------------
// log and reports
// ---------------------------------------------------------------------------------------------

export type LogRow = {
  id: string;
  type: 'consent' | 'subscription' | 'processing';
  occurredAt: Date;
  cursorTs: string;
  contactId: string;
  byContact: boolean;
  actorUserId: string | null;
  source: string | null;
  sourceRef: string | null;
  questionId: string | null;
  questionKey: string | null;
  version: number | null;
  optionKey: string | null;
  state: string | null;
  textHash: string | null;
  legalBasis: string | null;
  newsletterId: string | null;
  subscriptionEvent: string | null;
  changeId: string | null;
  actionTaken: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
};

export type LogFilter = {
  contactId?: string | undefined;
  questionId?: string | undefined;
  source?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

/**
 * The consent log: answers (consent_event), newsletter events (subscription_event, the
 * newsletters part's table) and staff reactions (processed consent_change), newest first, one
 * keyset over (occurred_at, id). Each part is limited on its own index before the union.
 */
export async function consentLog(
  tx: TenantTx,
  filter: LogFilter,
  page: { limit: number; after: Keyset | undefined },
): Promise<LogRow[]> {
  const n = page.limit + 1;
  const conds = (time: string, id: string, extra: ReturnType<typeof sql<SqlBool>>[]) => {
    const parts = [...extra];
    if (filter.from) parts.push(sql<SqlBool>`${sql.raw(time)} >= ${filter.from}::timestamptz`);
    if (filter.to) parts.push(sql<SqlBool>`${sql.raw(time)} < ${filter.to}::timestamptz`);
    if (page.after) {
      parts.push(
        sql<SqlBool>`(${sql.raw(time)}, ${sql.raw(id)}) < (${page.after.t}::timestamptz, ${page.after.i}::uuid)`,
      );
    }
    return parts.length > 0 ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
  };
  const branches = [];
  {
    const extra = [];
    if (filter.contactId) extra.push(sql<SqlBool>`e.contact_id = ${filter.contactId}::uuid`);
    if (filter.questionId) extra.push(sql<SqlBool>`e.question_id = ${filter.questionId}::uuid`);
    if (filter.source) extra.push(sql<SqlBool>`e.source = ${filter.source}`);
    branches.push(sql`(select e.id, 'consent'::text as type, e.occurred_at, e.contact_id, e.by_contact,
        e.actor_user_id, e.source, e.source_ref, e.question_id, q.key as question_key, e.version,
        e.option_key, e.state, e.text_hash, e.legal_basis, null::uuid as newsletter_id,
        null::text as subscription_event, null::uuid as change_id, null::text as action_taken
      from consent_event e join consent_question q on q.id = e.question_id
      ${conds('e.occurred_at', 'e.id', extra)}
      order by e.occurred_at desc, e.id desc limit ${n})`);
  }
  if (!filter.questionId) {
    const extra = [];
    if (filter.contactId) extra.push(sql<SqlBool>`s.contact_id = ${filter.contactId}::uuid`);
    if (filter.source) extra.push(sql<SqlBool>`s.source = ${filter.source}`);
    branches.push(sql`(select s.id, 'subscription'::text, s.occurred_at, s.contact_id, s.by_contact,
        s.actor_user_id, s.source, s.source_ref, null::uuid, null::text, null::int, null::text,
        s.to_status, s.text_hash, null::text, s.newsletter_id, s.type, null::uuid, null::text
      from subscription_event s
      ${conds('s.occurred_at', 's.id', extra)}
      order by s.occurred_at desc, s.id desc limit ${n})`);
  }
  if (!filter.source) {
    const extra = [sql<SqlBool>`c.processed_at is not null`];
    if (filter.contactId) extra.push(sql<SqlBool>`c.contact_id = ${filter.contactId}::uuid`);
    if (filter.questionId) extra.push(sql<SqlBool>`ce.question_id = ${filter.questionId}::uuid`);
    branches.push(sql`(select c.id, 'processing'::text, c.processed_at, c.contact_id, false,
        c.processed_by, null::text, null::text, ce.question_id, cq.key, ce.version, ce.option_key,
        ce.state, null::text, null::text, (c.summary->>'newsletterId')::uuid, null::text, c.id,
        c.action_taken
      from consent_change c
      left join consent_event ce on ce.id = c.consent_event_id
      left join consent_question cq on cq.id = ce.question_id
      ${conds('c.processed_at', 'c.id', extra)}
      order by c.processed_at desc, c.id desc limit ${n})`);
  }
  const { rows } = await sql<LogRow>`
    select x.*, to_char(x.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_ts,
      ct.first_name, ct.last_name, ct.email::text as email
    from (${sql.join(branches, sql` union all `)}) as x
    left join contact ct on ct.id = x.contact_id
    order by x.occurred_at desc, x.id desc
    limit ${n}`.execute(tx);
  return rows;
}

export async function answerCounts(
  tx: TenantTx,
  range: { from: Date; to: Date; bucket: 'day' | 'week' | 'month' },
) {
  const { rows } = await sql<{
    bucketStart: string;
    questionId: string;
    questionKey: string;
    optionKey: string;
    state: ConsentState;
    n: string;
  }>`
    select to_char(date_trunc(${range.bucket}, e.occurred_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as bucket_start,
      e.question_id, q.key as question_key, e.option_key, e.state, count(*) as n
    from consent_event e join consent_question q on q.id = e.question_id
    where e.occurred_at >= ${range.from} and e.occurred_at < ${range.to}
    group by 1, 2, 3, 4, 5
    order by 1, 3, 4, 5`.execute(tx);
  return rows;
}

export async function openChangeAges(tx: TenantTx, now: Date) {
  const { rows } = await sql<{
    open: string;
    oldest: Date | null;
    lt1: string;
    lt3: string;
    lt7: string;
    older: string;
    processed30: string;
    medianSeconds: number | null;
  }>`
    select
      count(*) filter (where processed_at is null) as open,
      min(created_at) filter (where processed_at is null) as oldest,
      count(*) filter (where processed_at is null and created_at > ${now}::timestamptz - interval '1 day') as lt1,
      count(*) filter (where processed_at is null and created_at <= ${now}::timestamptz - interval '1 day'
        and created_at > ${now}::timestamptz - interval '3 days') as lt3,
      count(*) filter (where processed_at is null and created_at <= ${now}::timestamptz - interval '3 days'
        and created_at > ${now}::timestamptz - interval '7 days') as lt7,
      count(*) filter (where processed_at is null and created_at <= ${now}::timestamptz - interval '7 days') as older,
      count(*) filter (where processed_at >= ${now}::timestamptz - interval '30 days') as processed30,
      percentile_cont(0.5) within group (order by extract(epoch from processed_at - created_at))
        filter (where processed_at >= ${now}::timestamptz - interval '30 days') as median_seconds
    from consent_change`.execute(tx);
  return rows[0];
}

// ---------------------------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------------------------

export async function findSettings(tx: TenantTx) {
  return own(tx)
    .selectFrom('consentSettings')
    .select(['digestEnabled', 'digestRecipientUserIds'])
    .executeTakeFirst();
}

export async function saveSettings(
  tx: TenantTx,
  values: { tenantId: string; digestEnabled: boolean; digestRecipientUserIds: string[] },
): Promise<void> {
  const { tenantId: _t, ...changes } = values;
  await own(tx)
    .insertInto('consentSettings')
    .values(values)
    .onConflict((oc) => oc.column('tenantId').doUpdateSet(changes))
    .execute();
}

/** Users of the tenant holding the built-in Privacy Officer role, with their addresses. */
export async function privacyOfficers(tx: TenantTx) {
  return own(tx)
    .selectFrom('appUser as u')
    .innerJoin('userRole as ur', 'ur.userId', 'u.id')
    .innerJoin('role as r', 'r.id', 'ur.roleId')
    .select(['u.id', sql<string>`u.email::text`.as('email'), 'u.displayName'])
    .where('r.builtinKey', '=', 'privacy_officer')
    .orderBy('u.id')
    .distinct()
    .execute();
}

export async function usersByIds(tx: TenantTx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return own(tx)
    .selectFrom('appUser')
    .select(['id', sql<string>`email::text`.as('email'), 'displayName'])
    .where(sql<SqlBool>`id = any(${sql.val([...ids])}::uuid[])`)
    .execute();
}
