/**
 * Newsletters: the admin use cases (create, change, archive or delete; subscriptions listed,
 * added by staff — double opt-in — and ended) and the functions other parts call (issue-6
 * contract): requestSubscription, assertNewsletters, loadNewsletters, listContactSubscriptions,
 * preferencesUrl, newsletterHeaders. Each runs in the caller's tenant transaction.
 */
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../../kernel/errors.ts';
import type { Principal } from '../../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../../kernel/http/pagination.ts';
import type { JobQueue } from '../../../kernel/jobs/queue.ts';
import { auditBy } from '../../audit/index.ts';
import { getContact } from '../../contacts/index.ts';
import { newslettersError } from './newsletters.errors.ts';
import { checkWelcome, listIdHeader } from './newsletters.mails.ts';
import * as repo from './newsletters.repository.ts';
import type {
  CreateNewsletterBody,
  GdprSubscription,
  NewsletterTexts,
  NewsletterView,
  SubscriptionView,
  UpdateNewsletterBody,
} from './newsletters.schema.ts';
import {
  type ParsedNewsletter,
  parseNewsletter,
  type RequestInput,
  requestSubscription as request,
  textsIn,
  unsubscribe,
} from './newsletters.subscriptions.ts';
import type { Language, SubscriptionStatus } from './newsletters.tables.ts';

export { preferencesUrl } from '../consent.links.ts';
export { newsletterHeaders } from './newsletters.mails.ts';
export { newsletterFooter } from './newsletters.texts.ts';

type Queue = Pick<JobQueue, 'send'>;
type ConsentSource = 'form' | 'portal' | 'preferences' | 'staff' | 'import' | 'site' | 'newsletter';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// -- the contract ----------------------------------------------------------------------------------

/**
 * Starts double opt-in (or subscribes at once when the newsletter has DOI off): a pending
 * subscription and the neutral confirmation mail with a link to /public/newsletters/confirm/{token}.
 * Idempotent per (contact, newsletter, sourceRef); already subscribed: nothing.
 */
export async function requestSubscription(
  tx: TenantTx,
  queue: Queue,
  input: {
    contactId: string;
    newsletterId: string;
    source: ConsentSource;
    sourceRef?: string | null;
    language: Language;
    baseUrl: string;
  },
): Promise<{ status: 'pending' | 'subscribed' }> {
  const { status } = await request(tx, queue, input);
  return { status };
}

/** Throws CONSENT_UNKNOWN_NEWSLETTER (400) naming each unknown, other tenant's or archived id (path = the id). */
export async function assertNewsletters(tx: TenantTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Map((await repo.findNewsletters(tx, ids)).map((n) => [n.id, n]));
  const errors: ErrorDetail[] = [];
  for (const id of new Set(ids)) {
    const newsletter = found.get(id);
    if (!newsletter) errors.push({ path: id, message: 'is not a newsletter of this tenant' });
    else if (newsletter.archivedAt) errors.push({ path: id, message: 'is archived' });
  }
  if (errors.length > 0) {
    throw newslettersError(
      'CONSENT_UNKNOWN_NEWSLETTER',
      'Some newsletters are unknown or archived; see errors.',
      errors,
    );
  }
}

/** Newsletters as a form offers them, in the order of `ids`: unknown and archived ones are left out. */
export async function loadNewsletters(
  tx: TenantTx,
  ids: string[],
  language: Language,
): Promise<Array<{ id: string; title: string; description: string | null }>> {
  const byId = new Map(
    (await repo.findNewsletters(tx, ids)).filter((n) => !n.archivedAt).map((n) => [n.id, parseNewsletter(n)]),
  );
  return [...new Set(ids)].flatMap((id) => {
    const newsletter = byId.get(id);
    if (!newsletter) return [];
    const { title, description } = textsIn(newsletter, language);
    return [{ id, title, description }];
  });
}

/** The GDPR tab's subscriptions part (API.md shape, plus the newsletter's name and the legal basis). */
export async function listContactSubscriptions(tx: TenantTx, contactId: string): Promise<GdprSubscription[]> {
  const rows = await repo.listSubscriptionsOfContact(tx, contactId);
  return rows.map((r) => ({
    newsletterId: r.newsletterId,
    newsletter: r.newsletterName,
    status: r.status,
    legalBasis: r.legalBasis,
    requestedAt: r.requestedAt.toISOString(),
    confirmedAt: iso(r.confirmedAt),
    unsubscribedAt: iso(r.unsubscribedAt),
  }));
}

// -- newsletters --------------------------------------------------------------------------------------

function present(
  n: ParsedNewsletter,
  tenantId: string,
  baseUrl: string,
  counts: Record<SubscriptionStatus, number> | undefined,
): NewsletterView {
  return {
    id: n.id,
    name: n.name,
    listId: n.listId,
    listIdHeader: listIdHeader(n, tenantId, baseUrl),
    languages: n.languages,
    texts: n.texts,
    doubleOptIn: n.doubleOptIn,
    welcomeEnabled: n.welcomeEnabled,
    welcome: n.welcome,
    senderName: n.senderName,
    senderAddress: n.senderAddress,
    archived: n.archivedAt !== null,
    archivedAt: iso(n.archivedAt),
    counts: counts ?? { pending: 0, subscribed: 0, unsubscribed: 0 },
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

/** A list label from a name: ASCII letters and digits joined by -, at most 63 characters. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug || 'newsletter';
}

/** Every language of the newsletter needs its title; the welcome templates must render. */
async function checkNewsletter(
  input: Pick<ParsedNewsletter, 'languages' | 'texts' | 'welcome' | 'welcomeEnabled'>,
): Promise<void> {
  const errors: ErrorDetail[] = [];
  for (const lang of input.languages) {
    if (!input.texts[lang]?.title)
      errors.push({ path: `texts.${lang}.title`, message: 'is required for each language' });
  }
  errors.push(...(await checkWelcome(input.welcome, input.languages, input.welcomeEnabled)));
  if (errors.length > 0) {
    throw newslettersError(
      'CONSENT_NEWSLETTER_INVALID',
      'The newsletter is not complete; see errors.',
      errors,
    );
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === constraint || Boolean(e.message?.includes(constraint)));
}

async function uniquely<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'newsletter_tenant_id_name_key')) {
      throw newslettersError('CONSENT_NEWSLETTER_NAME_TAKEN', 'Another newsletter has this name.', [
        { path: 'name', message: 'is taken' },
      ]);
    }
    if (isUniqueViolation(error, 'newsletter_tenant_id_list_id_key')) {
      throw newslettersError('CONSENT_NEWSLETTER_LIST_ID_TAKEN', 'Another newsletter has this list id.', [
        { path: 'listId', message: 'is taken' },
      ]);
    }
    throw error;
  }
}

/** What the audit log keeps of a newsletter (settings, not personal data). */
function auditView(n: ParsedNewsletter) {
  return {
    name: n.name,
    listId: n.listId,
    languages: n.languages,
    texts: n.texts,
    doubleOptIn: n.doubleOptIn,
    welcomeEnabled: n.welcomeEnabled,
    welcome: n.welcome,
    senderName: n.senderName,
    senderAddress: n.senderAddress,
    archived: n.archivedAt !== null,
  };
}

export async function getNewsletter(tx: TenantTx, id: string, baseUrl: string): Promise<NewsletterView> {
  const row = await repo.findNewsletter(tx, id);
  if (!row) throw newslettersError('CONSENT_NEWSLETTER_NOT_FOUND', 'There is no such newsletter.');
  const counts = await repo.countByStatus(tx, [id]);
  return present(parseNewsletter(row), await tenantOf(tx), baseUrl, counts.get(id));
}

async function tenantOf(tx: TenantTx): Promise<string> {
  const row = await tx.selectFrom('tenant').select('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function listNewsletters(
  tx: TenantTx,
  query: { limit: number; cursor?: string | undefined; archived?: boolean | undefined },
  baseUrl: string,
) {
  const rows = await repo.listNewsletters(tx, {
    limit: query.limit,
    after: decodeCursor(query.cursor),
    archived: query.archived,
  });
  const counts = await repo.countByStatus(
    tx,
    rows.map((r) => r.id),
  );
  const tenantId = await tenantOf(tx);
  return toPage(rows, query.limit, (r) => present(parseNewsletter(r), tenantId, baseUrl, counts.get(r.id)));
}

export async function createNewsletter(
  tx: TenantTx,
  principal: Principal,
  body: CreateNewsletterBody,
  baseUrl: string,
): Promise<NewsletterView> {
  const texts = body.texts as NewsletterTexts;
  await checkNewsletter({ ...body, texts });
  const id = await uniquely(() =>
    repo.insertNewsletter(tx, {
      tenantId: principal.tenantId,
      name: body.name,
      listId: body.listId ?? slugOf(body.name),
      texts: JSON.stringify(texts),
      languages: body.languages,
      doubleOptIn: body.doubleOptIn,
      welcomeEnabled: body.welcomeEnabled,
      welcome: JSON.stringify(body.welcome),
      senderName: body.senderName,
      senderAddress: body.senderAddress,
      createdBy: principal.userId,
    }),
  );
  const created = await getNewsletter(tx, id, baseUrl);
  const row = await repo.findNewsletter(tx, id);
  if (row) {
    await auditBy(tx, principal, 'newsletter.created', 'newsletter', id, {
      kind: 'settings',
      before: null,
      after: auditView(parseNewsletter(row)),
    });
  }
  return created;
}

export async function updateNewsletter(
  tx: TenantTx,
  principal: Principal,
  id: string,
  body: UpdateNewsletterBody,
  baseUrl: string,
): Promise<NewsletterView> {
  const row = await repo.findNewsletter(tx, id, true);
  if (!row) throw newslettersError('CONSENT_NEWSLETTER_NOT_FOUND', 'There is no such newsletter.');
  const before = parseNewsletter(row);
  const next: ParsedNewsletter = {
    ...before,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.listId !== undefined ? { listId: body.listId } : {}),
    ...(body.languages !== undefined ? { languages: body.languages } : {}),
    ...(body.texts !== undefined ? { texts: body.texts as NewsletterTexts } : {}),
    ...(body.doubleOptIn !== undefined ? { doubleOptIn: body.doubleOptIn } : {}),
    ...(body.welcomeEnabled !== undefined ? { welcomeEnabled: body.welcomeEnabled } : {}),
    ...(body.welcome !== undefined ? { welcome: body.welcome } : {}),
    ...(body.senderName !== undefined ? { senderName: body.senderName } : {}),
    ...(body.senderAddress !== undefined ? { senderAddress: body.senderAddress } : {}),
    ...(body.archived !== undefined
      ? { archivedAt: body.archived ? (before.archivedAt ?? new Date()) : null }
      : {}),
  };
  await checkNewsletter(next);
  await uniquely(() =>
    repo.updateNewsletter(tx, id, {
      name: next.name,
      listId: next.listId,
      texts: JSON.stringify(next.texts),
      languages: next.languages,
      doubleOptIn: next.doubleOptIn,
      welcomeEnabled: next.welcomeEnabled,
      welcome: JSON.stringify(next.welcome),
      senderName: next.senderName,
      senderAddress: next.senderAddress,
      archivedAt: next.archivedAt,
    }),
  );
  const a = auditView(before);
  const b = auditView(next);
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    await auditBy(tx, principal, 'newsletter.updated', 'newsletter', id, {
      kind: 'settings',
      before: a,
      after: b,
    });
  }
  return getNewsletter(tx, id, baseUrl);
}

/** Deletes a newsletter nobody ever subscribed to; once used, archives it (the evidence keeps it). */
export async function deleteNewsletter(
  tx: TenantTx,
  principal: Principal,
  id: string,
): Promise<{ deleted: boolean }> {
  const row = await repo.findNewsletter(tx, id, true);
  if (!row) throw newslettersError('CONSENT_NEWSLETTER_NOT_FOUND', 'There is no such newsletter.');
  const before = auditView(parseNewsletter(row));
  if (await repo.newsletterIsUsed(tx, id)) {
    if (!row.archivedAt) {
      await repo.updateNewsletter(tx, id, { archivedAt: new Date() });
      await auditBy(tx, principal, 'newsletter.archived', 'newsletter', id, {
        kind: 'settings',
        before,
        after: { ...before, archived: true },
      });
    }
    return { deleted: false };
  }
  await repo.deleteNewsletter(tx, id);
  await auditBy(tx, principal, 'newsletter.deleted', 'newsletter', id, {
    kind: 'settings',
    before,
    after: null,
  });
  return { deleted: true };
}

// -- subscriptions ---------------------------------------------------------------------------------------

function presentSubscription(r: repo.SubscriptionRow): SubscriptionView {
  return {
    id: r.id,
    contactId: r.contactId,
    newsletterId: r.newsletterId,
    status: r.status,
    legalBasis: r.legalBasis,
    language: r.language,
    source: r.source,
    sourceRef: r.sourceRef,
    requestedAt: r.requestedAt.toISOString(),
    confirmedAt: iso(r.confirmedAt),
    unsubscribedAt: iso(r.unsubscribedAt),
    expiresAt: iso(r.expiresAt),
  };
}

export async function listSubscriptions(
  tx: TenantTx,
  newsletterId: string,
  query: { limit: number; cursor?: string | undefined; status?: SubscriptionStatus | undefined },
) {
  if (!(await repo.findNewsletter(tx, newsletterId))) {
    throw newslettersError('CONSENT_NEWSLETTER_NOT_FOUND', 'There is no such newsletter.');
  }
  const rows = await repo.listSubscriptionsOfNewsletter(tx, newsletterId, {
    limit: query.limit,
    after: decodeCursor(query.cursor),
    status: query.status,
  });
  return toPage(rows, query.limit, presentSubscription);
}

function isLanguage(value: unknown): value is Language {
  return value === 'de' || value === 'en' || value === 'fr';
}

/** Staff adds a contact to a newsletter: double opt-in starts (the contact confirms by mail). */
export async function addSubscription(
  tx: TenantTx,
  principal: Principal,
  queue: Queue,
  body: { contactId: string; newsletterId: string; language?: Language | undefined },
  baseUrl: string,
): Promise<{ status: 'pending' | 'subscribed'; subscription: SubscriptionView }> {
  const newsletterRow = await repo.findNewsletter(tx, body.newsletterId);
  if (!newsletterRow) {
    throw newslettersError('CONSENT_NEWSLETTER_NOT_FOUND', 'There is no such newsletter.', [
      { path: 'newsletterId', message: 'is not a newsletter of this tenant' },
    ]);
  }
  const contact = await visibleContact(tx, body.contactId);
  const contactLanguage = contact.language?.slice(0, 2).toLowerCase();
  const language: Language =
    body.language ?? (isLanguage(contactLanguage) ? contactLanguage : (newsletterRow.languages[0] ?? 'de'));
  const input: RequestInput = {
    contactId: body.contactId,
    newsletterId: body.newsletterId,
    source: 'staff',
    sourceRef: principal.userId,
    actorUserId: principal.userId,
    language,
    baseUrl,
  };
  const { status, subscriptionId } = await request(tx, queue, input);
  const row = await repo.findSubscriptionById(tx, subscriptionId);
  if (!row) throw new Error('the subscription vanished');
  await auditBy(tx, principal, 'subscription.requested', 'subscription', row.id, {
    kind: 'personal-data',
    fields: ['status'],
  });
  return { status, subscription: presentSubscription(row) };
}

/** The contact, if the transaction (the principal's: withPrincipal) sees it; else 404. */
async function visibleContact(tx: TenantTx, contactId: string) {
  try {
    return await getContact(tx, contactId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONTACTS_NOT_FOUND') {
      throw newslettersError('CONSENT_CONTACT_NOT_FOUND', 'There is no such contact.', [
        { path: 'contactId', message: 'is not a contact you can see' },
      ]);
    }
    throw error;
  }
}

/** Staff ends a subscription (not the contact's own change: no entry in the privacy officer's queue). */
export async function removeSubscription(
  tx: TenantTx,
  principal: Principal,
  queue: Queue,
  id: string,
): Promise<void> {
  const row = await repo.findSubscriptionById(tx, id);
  if (!row) throw newslettersError('CONSENT_SUBSCRIPTION_NOT_FOUND', 'There is no such subscription.');
  // A user limited to some contacts (contact scope) ends only their subscriptions.
  await visibleContact(tx, row.contactId).catch(() => {
    throw newslettersError('CONSENT_SUBSCRIPTION_NOT_FOUND', 'There is no such subscription.');
  });
  const { changed } = await unsubscribe(tx, queue, {
    contactId: row.contactId,
    newsletterId: row.newsletterId,
    source: 'staff',
    sourceRef: principal.userId,
    actorUserId: principal.userId,
    byContact: false,
  });
  if (changed) {
    await auditBy(tx, principal, 'subscription.unsubscribed', 'subscription', id, {
      kind: 'personal-data',
      fields: ['status'],
    });
  }
}
