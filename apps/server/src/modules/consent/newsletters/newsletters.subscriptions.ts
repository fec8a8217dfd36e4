/**
 * The life of a subscription, as the business says it: requested (double opt-in starts, or —
 * with DOI off — subscribed at once), confirmed by the link's button, unsubscribed (one click,
 * the page, the preference centre, staff), resubscribed (preference centre, once confirmed
 * before) and expired (the hourly purge). Each change writes one append-only subscription_event,
 * a `subscription.changed` webhook, and — when the contact made it — an unprocessed change in
 * the privacy officer's queue (H1's recordSubscriptionChange). All in the caller's tenant
 * transaction.
 */
import canonicalize from 'canonicalize';
import type { SecretBox } from '../../../kernel/crypto/secret-box.ts';
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import type { JobQueue } from '../../../kernel/jobs/queue.ts';
import { getContact } from '../../contacts/index.ts';
import { queueMail } from '../../mail/index.ts';
import { emitWebhookEvent } from '../../webhooks/index.ts';
import {
  CONFIRMATION_LINK_DAYS,
  confirmationUrl,
  newConfirmationToken,
  readConfirmationToken,
  sha256Hex,
} from '../consent.links.ts';
import { recordSubscriptionChange } from '../consent.service.ts';
import { newslettersError } from './newsletters.errors.ts';
import {
  footerLinks,
  newsletterHeaders,
  renderWelcome,
  TemplateError,
  welcomeVariables,
} from './newsletters.mails.ts';
import * as repo from './newsletters.repository.ts';
import type { NewsletterTexts, SubscriptionChangedData, Welcome } from './newsletters.schema.ts';
import type { Language, SubscriptionSource, SubscriptionStatus } from './newsletters.tables.ts';
import { confirmationMail } from './newsletters.texts.ts';

type Queue = Pick<JobQueue, 'send'>;

/** A new confirmation mail for a pending request goes out at most this often (mail bombing). */
export const RESEND_CONFIRMATION_MINUTES = 10;
/** Used confirmation tokens are kept this long (the link then says "already confirmed"). */
export const USED_CONFIRMATION_DAYS = 90;

// -- the newsletter as shown ------------------------------------------------------------------

export type ParsedNewsletter = Omit<repo.NewsletterRow, 'texts' | 'welcome'> & {
  texts: NewsletterTexts;
  welcome: Welcome;
};

export function parseNewsletter(row: repo.NewsletterRow): ParsedNewsletter {
  return {
    ...row,
    texts: JSON.parse(row.texts) as NewsletterTexts,
    welcome: JSON.parse(row.welcome) as Welcome,
  };
}

/** The texts in `language`, else in the newsletter's first language that has them, else any. */
export function textsIn(
  newsletter: Pick<ParsedNewsletter, 'texts' | 'languages' | 'name'>,
  language: Language,
): { title: string; description: string | null; optOutText: string | null } {
  const t =
    newsletter.texts[language] ??
    newsletter.languages.map((l) => newsletter.texts[l]).find(Boolean) ??
    Object.values(newsletter.texts).find(Boolean);
  return {
    title: t?.title || newsletter.name,
    description: t?.description ?? null,
    optOutText: t?.optOutText ?? null,
  };
}

/** sha256 of the canonical JSON of the wording a person was shown ({ title, description }). */
export function wordingHash(
  newsletter: Pick<ParsedNewsletter, 'texts' | 'languages' | 'name'>,
  language: Language,
) {
  const t = textsIn(newsletter, language);
  return sha256Hex(canonicalize({ title: t.title, description: t.description }) ?? '');
}

async function currentTenant(tx: TenantTx): Promise<string> {
  const row = await tx
    .selectNoFrom((eb) => eb.fn<string>('kontor_current_tenant', []).as('id'))
    .executeTakeFirstOrThrow();
  if (!row.id) throw new Error('the newsletters part needs a tenant transaction (withTenant)');
  return row.id;
}

async function loadNewsletter(tx: TenantTx, id: string): Promise<ParsedNewsletter> {
  const row = await repo.findNewsletter(tx, id);
  if (!row) throw newslettersError('CONSENT_NEWSLETTER_NOT_FOUND', 'There is no such newsletter.');
  return parseNewsletter(row);
}

// -- one change --------------------------------------------------------------------------------------

type Change = {
  tenantId: string;
  subscription: { id: string; contactId: string; newsletterId: string };
  type: repo.NewEvent['type'];
  from: SubscriptionStatus | null;
  to: SubscriptionStatus | null;
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

/** The event, the privacy officer's queue entry (changes by the contact) and the webhook. */
async function recordChange(tx: TenantTx, queue: Queue, change: Change): Promise<string> {
  const { subscription: s } = change;
  const eventId = await repo.insertEvent(tx, {
    tenantId: change.tenantId,
    subscriptionId: s.id,
    contactId: s.contactId,
    newsletterId: s.newsletterId,
    type: change.type,
    fromStatus: change.from,
    toStatus: change.to,
    source: change.source,
    sourceRef: change.sourceRef,
    actorUserId: change.actorUserId,
    byContact: change.byContact,
    language: change.language,
    textHash: change.textHash,
    doiMessageId: change.doiMessageId ?? null,
    doiRequestedAt: change.doiRequestedAt ?? null,
    occurredAt: change.occurredAt,
  });
  // A request is not yet a change of what the person wants; its confirmation is.
  if (change.byContact && change.type !== 'requested') {
    await recordSubscriptionChange(tx, {
      contactId: s.contactId,
      subscriptionEventId: eventId,
      newsletterId: s.newsletterId,
      from: change.from,
      to: change.to ?? 'none',
    });
  }
  if (change.from !== change.to) {
    const data: SubscriptionChangedData = {
      contactId: s.contactId,
      newsletterId: s.newsletterId,
      from: change.from,
      to: change.to ?? 'none',
      source: change.source,
      occurredAt: change.occurredAt.toISOString(),
    };
    await emitWebhookEvent(tx, queue, {
      type: 'subscription.changed',
      key: `subscription.changed:${eventId}`,
      data,
    });
  }
  return eventId;
}

// -- requested -----------------------------------------------------------------------------------------

export type RequestInput = {
  contactId: string;
  newsletterId: string;
  source: SubscriptionSource;
  sourceRef?: string | null | undefined;
  actorUserId?: string | null | undefined;
  language: Language;
  baseUrl: string;
};

/**
 * Starts double opt-in for a contact and newsletter: a pending subscription (7 days) and the
 * neutral confirmation mail with a single-use link. With DOI off, subscribed at once. Already
 * subscribed: nothing. Pending with the same sourceRef (a batch run again): nothing. Pending
 * otherwise: a new link, unless one went out in the last RESEND_CONFIRMATION_MINUTES.
 */
export async function requestSubscription(
  tx: TenantTx,
  queue: Queue,
  input: RequestInput,
): Promise<{ status: 'pending' | 'subscribed'; subscriptionId: string }> {
  const tenantId = await currentTenant(tx);
  const newsletter = await loadNewsletter(tx, input.newsletterId);
  if (newsletter.archivedAt) {
    throw newslettersError(
      'CONSENT_NEWSLETTER_ARCHIVED',
      'The newsletter is archived and takes no subscriptions.',
    );
  }
  const contact = await getContact(tx, input.contactId);
  if (!contact.email) {
    throw newslettersError(
      'CONSENT_CONTACT_WITHOUT_EMAIL',
      'A subscription needs the contact’s email address.',
      [{ path: 'contactId', message: 'has no email address' }],
    );
  }
  const now = new Date();
  const sourceRef = input.sourceRef ?? null;
  const doi = newsletter.doubleOptIn;
  const textHash = wordingHash(newsletter, input.language);
  const pendingUntil = new Date(now.getTime() + CONFIRMATION_LINK_DAYS * 86_400_000);
  const { row, created } = await repo.upsertSubscriptionLocked(tx, {
    tenantId,
    contactId: input.contactId,
    newsletterId: input.newsletterId,
    status: doi ? 'pending' : 'subscribed',
    legalBasis: doi ? 'consent-doi' : 'consent',
    language: input.language,
    source: input.source,
    sourceRef,
    expiresAt: doi ? pendingUntil : null,
    confirmedAt: doi ? null : now,
  });
  const from: SubscriptionStatus | null = created ? null : row.status;
  if (!created) {
    if (row.status === 'subscribed') return { status: 'subscribed', subscriptionId: row.id };
    if (row.status === 'pending') {
      if (sourceRef !== null && row.sourceRef === sourceRef)
        return { status: 'pending', subscriptionId: row.id };
      const open = await repo.latestOpenConfirmation(tx, row.id, now);
      if (open && now.getTime() - open.createdAt.getTime() < RESEND_CONFIRMATION_MINUTES * 60_000) {
        return { status: 'pending', subscriptionId: row.id };
      }
    }
    await repo.updateSubscription(tx, row.id, {
      status: doi ? 'pending' : 'subscribed',
      legalBasis: doi ? 'consent-doi' : 'consent',
      language: input.language,
      source: input.source,
      sourceRef,
      requestedAt: now,
      confirmedAt: doi ? null : now,
      unsubscribedAt: null,
      expiresAt: doi ? pendingUntil : null,
    });
  }
  const subscription = { id: row.id, contactId: input.contactId, newsletterId: input.newsletterId };
  await recordChange(tx, queue, {
    tenantId,
    subscription,
    type: 'requested',
    from,
    to: doi ? 'pending' : 'subscribed',
    source: input.source,
    sourceRef,
    actorUserId: input.actorUserId ?? null,
    byContact: input.source !== 'staff' && input.source !== 'import',
    language: input.language,
    textHash,
    occurredAt: now,
  });
  if (!doi) return { status: 'subscribed', subscriptionId: row.id };

  const { token, hash } = newConfirmationToken(tenantId);
  const confirmationId = await repo.insertConfirmation(tx, {
    tenantId,
    subscriptionId: row.id,
    tokenHash: hash,
    language: input.language,
    textHash,
    source: input.source,
    sourceRef,
    expiresAt: pendingUntil,
  });
  const tenant = await tx.selectFrom('tenant').select('name').executeTakeFirstOrThrow();
  const mail = confirmationMail[input.language]({
    tenant: tenant.name,
    title: textsIn(newsletter, input.language).title,
    link: confirmationUrl(input.baseUrl, token),
    days: CONFIRMATION_LINK_DAYS,
  });
  // Transactional and neutral: no advertising, no name typed by whoever filled in the form.
  const queued = await queueMail(tx, queue, {
    key: `newsletter-confirmation:${confirmationId}`,
    kind: 'transactional',
    to: { address: contact.email },
    subject: mail.subject,
    text: mail.text,
    contactId: input.contactId,
  });
  await repo.setConfirmationMail(tx, confirmationId, queued.id);
  return { status: 'pending', subscriptionId: row.id };
}

// -- confirmed --------------------------------------------------------------------------------------

export type ConfirmationState =
  | { state: 'open'; title: string; language: Language }
  | { state: 'confirmed'; title: string; language: Language; welcome: 'queued' | 'off' | 'failed' }
  /** The token was used: the subscription is confirmed (subscribed) or no longer wanted. */
  | { state: 'used'; title: string; language: Language; subscribed: boolean }
  | { state: 'expired'; title: string; language: Language }
  | { state: 'unknown' };

/** The tenant a confirmation token names (undefined for a token of the wrong shape). */
export function confirmationTenant(token: string): string | undefined {
  return readConfirmationToken(token)?.tenantId;
}

/** What the link would do, changing nothing (the GET a mail scanner makes). */
export async function inspectConfirmation(tx: TenantTx, token: string): Promise<ConfirmationState> {
  const read = readConfirmationToken(token);
  const confirmation = read ? await repo.findConfirmation(tx, read.hash) : undefined;
  if (!confirmation) return { state: 'unknown' };
  const subscription = await repo.findSubscriptionById(tx, confirmation.subscriptionId);
  if (!subscription) return { state: 'unknown' };
  const newsletter = await loadNewsletter(tx, subscription.newsletterId);
  const title = textsIn(newsletter, confirmation.language).title;
  const language = confirmation.language;
  if (confirmation.usedAt)
    return { state: 'used', title, language, subscribed: subscription.status === 'subscribed' };
  if (confirmation.expiresAt.getTime() <= Date.now()) return { state: 'expired', title, language };
  return { state: 'open', title, language };
}

export type ConfirmDeps = { queue: Queue; baseUrl: string; secrets: SecretBox };

/**
 * The confirm button: uses the token up (a guarded UPDATE: two clicks, one confirmation), makes
 * the subscription subscribed with the DOI proof in its event (request time, confirmation time,
 * the confirmation mail, the hash of the wording shown), queues the change for the privacy
 * officer and sends the welcome mail when it is on. Used, expired or unknown: nothing changes.
 */
export async function confirmSubscription(
  tx: TenantTx,
  token: string,
  deps: ConfirmDeps,
): Promise<ConfirmationState> {
  const before = await inspectConfirmation(tx, token);
  if (before.state !== 'open') return before;
  const read = readConfirmationToken(token);
  const confirmation = read ? await repo.findConfirmation(tx, read.hash) : undefined;
  if (!confirmation) return { state: 'unknown' };
  const subscription = await repo.findSubscriptionById(tx, confirmation.subscriptionId, true);
  if (!subscription) return { state: 'unknown' };
  const now = new Date();
  const used = await repo.useConfirmation(tx, confirmation.id, now);
  if (!used || subscription.status !== 'pending') {
    return { ...before, state: 'used', subscribed: subscription.status === 'subscribed' };
  }
  const tenantId = await currentTenant(tx);
  await repo.updateSubscription(tx, subscription.id, {
    status: 'subscribed',
    legalBasis: 'consent-doi',
    confirmedAt: now,
    unsubscribedAt: null,
    expiresAt: null,
  });
  await repo.closeOpenConfirmations(tx, subscription.id, now);
  const eventId = await recordChange(tx, deps.queue, {
    tenantId,
    subscription,
    type: 'confirmed',
    from: 'pending',
    to: 'subscribed',
    source: confirmation.source,
    sourceRef: confirmation.sourceRef,
    actorUserId: null,
    byContact: true,
    language: confirmation.language,
    textHash: confirmation.textHash,
    doiMessageId: confirmation.mailMessageId,
    doiRequestedAt: confirmation.createdAt,
    occurredAt: now,
  });
  const welcome = await sendWelcome(tx, deps, {
    tenantId,
    contactId: subscription.contactId,
    newsletterId: subscription.newsletterId,
    language: confirmation.language,
    key: `newsletter-welcome:${eventId}`,
  });
  return { state: 'confirmed', title: before.title, language: before.language, welcome };
}

/** The welcome mail (a newsletter mail: List-* headers and the footer); 'failed' when a template breaks. */
async function sendWelcome(
  tx: TenantTx,
  deps: ConfirmDeps,
  input: { tenantId: string; contactId: string; newsletterId: string; language: Language; key: string },
): Promise<'queued' | 'off' | 'failed'> {
  const newsletter = await loadNewsletter(tx, input.newsletterId);
  if (!newsletter.welcomeEnabled) return 'off';
  const contact = await getContact(tx, input.contactId);
  if (!contact.email) return 'off';
  const title = textsIn(newsletter, input.language).title;
  const linkInput = {
    newsletter,
    tenantId: input.tenantId,
    contactId: input.contactId,
    baseUrl: deps.baseUrl,
    secrets: deps.secrets,
  };
  let rendered: Awaited<ReturnType<typeof renderWelcome>>;
  try {
    rendered = await renderWelcome({
      welcome: newsletter.welcome,
      languages: newsletter.languages,
      language: input.language,
      variables: welcomeVariables(contact, title),
      footer: { title, ...footerLinks(linkInput) },
    });
  } catch (error) {
    if (error instanceof TemplateError) return 'failed';
    throw error;
  }
  if (!rendered) return 'off';
  await queueMail(tx, deps.queue, {
    key: input.key,
    kind: 'newsletter',
    to: { address: contact.email },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: newsletterHeaders(linkInput),
    contactId: input.contactId,
  });
  return 'queued';
}

// -- unsubscribed / resubscribed ------------------------------------------------------------------

export type UnsubscribeInput = {
  contactId: string;
  newsletterId: string;
  source: SubscriptionSource;
  sourceRef?: string | null | undefined;
  actorUserId?: string | null | undefined;
  byContact: boolean;
  language?: Language | null | undefined;
};

/**
 * Ends a subscription (subscribed or pending) at once; open confirmation links stop working.
 * Idempotent: not subscribed → nothing (changed false).
 */
export async function unsubscribe(
  tx: TenantTx,
  queue: Queue,
  input: UnsubscribeInput,
): Promise<{ changed: boolean; subscriptionId: string | null }> {
  const subscription = await repo.findSubscription(tx, input.contactId, input.newsletterId, true);
  if (!subscription || subscription.status === 'unsubscribed') {
    return { changed: false, subscriptionId: subscription?.id ?? null };
  }
  const tenantId = await currentTenant(tx);
  const now = new Date();
  await repo.updateSubscription(tx, subscription.id, {
    status: 'unsubscribed',
    unsubscribedAt: now,
    expiresAt: null,
  });
  await repo.closeOpenConfirmations(tx, subscription.id, now);
  await recordChange(tx, queue, {
    tenantId,
    subscription,
    type: 'unsubscribed',
    from: subscription.status,
    to: 'unsubscribed',
    source: input.source,
    sourceRef: input.sourceRef ?? null,
    actorUserId: input.actorUserId ?? null,
    byContact: input.byContact,
    language: input.language ?? null,
    textHash: null,
    occurredAt: now,
  });
  return { changed: true, subscriptionId: subscription.id };
}

/**
 * The contact ticks a newsletter again in the preference centre: subscribed at once when they
 * confirmed it before (the preference link reached their mailbox), else double opt-in starts.
 */
export async function subscribeFromPreferences(
  tx: TenantTx,
  queue: Queue,
  input: { contactId: string; newsletterId: string; language: Language; baseUrl: string },
): Promise<'pending' | 'subscribed'> {
  const current = await repo.findSubscription(tx, input.contactId, input.newsletterId, true);
  if (current?.status === 'subscribed' || current?.status === 'pending') return current.status;
  const newsletter = await loadNewsletter(tx, input.newsletterId);
  if (
    current &&
    !newsletter.archivedAt &&
    (await repo.confirmedBefore(tx, input.contactId, input.newsletterId))
  ) {
    const tenantId = await currentTenant(tx);
    const now = new Date();
    await repo.updateSubscription(tx, current.id, {
      status: 'subscribed',
      confirmedAt: now,
      unsubscribedAt: null,
      expiresAt: null,
      source: 'preferences',
      sourceRef: null,
    });
    await recordChange(tx, queue, {
      tenantId,
      subscription: current,
      type: 'resubscribed',
      from: current.status,
      to: 'subscribed',
      source: 'preferences',
      sourceRef: null,
      actorUserId: null,
      byContact: true,
      language: input.language,
      textHash: wordingHash(newsletter, input.language),
      occurredAt: now,
    });
    return 'subscribed';
  }
  const { status } = await requestSubscription(tx, queue, { ...input, source: 'preferences' });
  return status;
}

// -- expired -------------------------------------------------------------------------------------------

/**
 * Pending requests past their expiry: an `expired` event each, then the row goes (its tokens
 * with it). Expired unused tokens of other requests go too, and used ones after
 * USED_CONFIRMATION_DAYS. The contact stays: deleting contacts is not ours.
 */
export async function purgeExpired(
  tx: TenantTx,
  queue: Queue | undefined,
  now: Date = new Date(),
): Promise<{ expired: number; tokens: number }> {
  const tenantId = await currentTenant(tx);
  let expired = 0;
  for (;;) {
    const rows = await repo.expiredPending(tx, now, 500);
    for (const row of rows) {
      const eventId = await repo.insertEvent(tx, {
        tenantId,
        subscriptionId: row.id,
        contactId: row.contactId,
        newsletterId: row.newsletterId,
        type: 'expired',
        fromStatus: 'pending',
        toStatus: null,
        source: 'system',
        sourceRef: null,
        actorUserId: null,
        byContact: false,
        language: row.language,
        textHash: null,
        occurredAt: now,
      });
      await repo.deleteSubscription(tx, row.id);
      if (queue) {
        const data: SubscriptionChangedData = {
          contactId: row.contactId,
          newsletterId: row.newsletterId,
          from: 'pending',
          to: 'none',
          source: 'system',
          occurredAt: now.toISOString(),
        };
        await emitWebhookEvent(tx, queue, {
          type: 'subscription.changed',
          key: `subscription.changed:${eventId}`,
          data,
        });
      }
    }
    expired += rows.length;
    if (rows.length < 500) break;
  }
  const tokens = await repo.pruneConfirmations(tx, now, USED_CONFIRMATION_DAYS);
  return { expired, tokens };
}
